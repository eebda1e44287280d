// What the model sees for a problem (task, support files, current code, examples) and the visible example tests
// built from the same examples. Hidden tests and the reference are deliberately absent from both.
import { SOLUTION_FILE, type CodegenProblem } from './schema';

const FENCE: Record<CodegenProblem['lang'], string> = { python: 'python', typescript: 'ts' };

/** The full prompt text for the model. */
export function renderPrompt(p: CodegenProblem): string {
  const fence = FENCE[p.lang];
  const parts = [p.prompt.trimEnd()];
  for (const [name, source] of Object.entries(p.files)) {
    parts.push(`File \`${name}\` (already exists, do not change it):\n\`\`\`${fence}\n${source.trimEnd()}\n\`\`\``);
  }
  if (p.original !== undefined) {
    parts.push(`Current content of \`${SOLUTION_FILE[p.lang]}\`:\n\`\`\`${fence}\n${p.original.trimEnd()}\n\`\`\``);
  }
  if (p.examples.length > 0) {
    parts.push(`Examples (these must hold):\n\`\`\`${fence}\n${p.examples.join('\n')}\n\`\`\``);
  }
  return parts.join('\n\n') + '\n';
}

/** A pytest / `node --test` file running each example as its own test against the solution. */
export function exampleTestSource(p: CodegenProblem): string {
  if (p.lang === 'python') {
    const body = p.examples.map((ex, i) => `def test_example_${i + 1}():\n${indent(ex, '    ')}\n`);
    return `from solution import ${p.exports.join(', ')}\n\n\n${body.join('\n\n')}`;
  }
  const body = p.examples.map((ex, i) => `test('example ${i + 1}', async () => {\n${indent(ex, '  ')}\n});\n`);
  return [
    "import { test } from 'node:test';",
    "import assert from 'node:assert/strict';",
    `import { ${p.exports.join(', ')} } from './solution.js';`,
    '',
    ...body,
  ].join('\n');
}

function indent(text: string, pad: string): string {
  return text
    .split('\n')
    .map((line) => (line.length > 0 ? pad + line : line))
    .join('\n');
}
