// The page's state: one zustand store composed of feature slices. Only slice actions call the API.
import { create } from 'zustand';
import { createChatSlice, type ChatSlice } from '../features/assistant/chat-slice';
import { createClusterSlice, type ClusterSlice } from '../features/cluster/cluster-slice';
import { createCodeSlice, type CodeSlice } from '../features/code/code-slice';
import { createReviewSlice, type ReviewSlice } from '../features/code/review-slice';
import { createInlineCompletionSlice, type InlineCompletionSlice } from '../features/code/inline-completion-slice';
import { createGitSlice, type GitSlice } from '../features/code/git-slice';
import { createExperienceSlice, type ExperienceSlice } from '../features/code/experience-slice';
import { createPerfSlice, type PerfSlice } from '../features/code/performance/perf-slice';
import { createAuditSlice, type AuditSlice } from '../features/audit/audit-slice';
import { createModelsSlice, type ModelsSlice } from '../features/models/models-slice';
import { createProvidersSlice, type ProvidersSlice } from '../features/providers/providers-slice';
import { createProjectsSlice, type ProjectsSlice } from '../features/projects/projects-slice';
import { createVaultSlice, type VaultSlice } from '../features/vault/vault-slice';
import { createAppLockSlice, type AppLockSlice } from '../features/lock/lock-slice';
import { createDiagnosticsSlice, type DiagnosticsSlice } from '../features/settings/diagnostics-slice';
import { createLogSlice, type LogSlice } from '../features/settings/log-slice';
import { createNotificationsSlice, type NotificationsSlice } from '../features/settings/notifications-slice';
import { createApiTokensSlice, type ApiTokensSlice } from '../features/settings/api-tokens-slice';
import { createSettingsSlice, type SettingsSlice } from '../features/settings/settings-slice';
import { createShellSlice, type ShellSlice } from '../features/shell/shell-slice';

export type RootState = ShellSlice &
  SettingsSlice &
  DiagnosticsSlice &
  LogSlice &
  NotificationsSlice &
  ApiTokensSlice &
  VaultSlice &
  AppLockSlice &
  AuditSlice &
  ChatSlice &
  ModelsSlice &
  ProvidersSlice &
  ClusterSlice &
  ProjectsSlice &
  CodeSlice &
  ReviewSlice &
  GitSlice &
  InlineCompletionSlice &
  ExperienceSlice &
  PerfSlice;

export const useStore = create<RootState>()((...a) => ({
  ...createShellSlice(...a),
  ...createSettingsSlice(...a),
  ...createDiagnosticsSlice(...a),
  ...createLogSlice(...a),
  ...createNotificationsSlice(...a),
  ...createApiTokensSlice(...a),
  ...createVaultSlice(...a),
  ...createAppLockSlice(...a),
  ...createAuditSlice(...a),
  ...createChatSlice(...a),
  ...createModelsSlice(...a),
  ...createProvidersSlice(...a),
  ...createClusterSlice(...a),
  ...createProjectsSlice(...a),
  ...createCodeSlice(...a),
  ...createReviewSlice(...a),
  ...createGitSlice(...a),
  ...createInlineCompletionSlice(...a),
  ...createExperienceSlice(...a),
  ...createPerfSlice(...a),
}));
