// secretlint in-process with its recommended preset (AWS, GCP, GitHub, Slack, npm, private keys, basic-auth URLs,
// OpenAI/Anthropic keys ...): any text file the engine produced is scanned; the secret itself is masked in messages.
import { lintSource } from '@secretlint/core';
import { creator as recommendedPreset } from '@secretlint/secretlint-rule-preset-recommend';
import type { CodeFile, Finding } from '../../../../common/codegen/types';
import { secretlintSeverity } from './severity';

export const SECRETLINT_VERSION = '11.7.1'; // pinned in package.json; @secretlint/core exports no version value

export async function runSecretlint(files: CodeFile[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const f of files) {
    const ext = f.path.includes('.') ? f.path.slice(f.path.lastIndexOf('.')) : '';
    const res = await lintSource({
      source: { content: f.content, filePath: f.path, ext, contentType: 'text' },
      options: {
        config: { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommendedPreset }] },
        maskSecrets: true,
        noPhysicFilePath: true,
      },
    });
    for (const m of res.messages) {
      findings.push({
        tool: 'secretlint',
        ruleId: m.messageId ? `${m.ruleId}/${m.messageId}` : m.ruleId,
        severity: secretlintSeverity(m.severity),
        file: f.path,
        line: m.loc.start.line,
        column: m.loc.start.column + 1,
        message: m.message,
      });
    }
  }
  return findings;
}
