// The app's sections in sidebar order, with their labels and keyboard shortcuts (Ctrl/Cmd + digit).
import type { Section } from '../../common/contracts/app';

export interface SectionInfo {
  id: Section;
  label: string;
  shortcut: string;
  description: string;
}

export const SECTION_INFO: SectionInfo[] = [
  { id: 'assistant', label: 'Assistant', shortcut: '1', description: 'Chat and code with a local or cloud model' },
  { id: 'projects', label: 'Projects', shortcut: '2', description: 'Project folders, their index and generated changes' },
  { id: 'code', label: 'Code', shortcut: '7', description: 'Edit files, review generated diffs per hunk, undo' },
  { id: 'models', label: 'Models', shortcut: '3', description: 'Local GGUF models: download, import, load' },
  { id: 'cluster', label: 'Cluster', shortcut: '4', description: 'Ray cluster jobs, nodes and alerts' },
  { id: 'audit', label: 'Audit', shortcut: '5', description: 'Tamper-evident log of what was sent and applied' },
  { id: 'settings', label: 'Settings', shortcut: '6', description: 'Appearance, privacy, diagnostics' },
];
