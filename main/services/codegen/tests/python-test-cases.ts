// A model-written Python test function → one test per check (CodeT counts agreement test by test). A small model
// writes one `test_x()` with 8–20 asserts, some of them wrong: as one test, a single wrong assert fails every
// candidate alike and the right ones carry no evidence. A statement the token cap cut off is dropped instead of
// turning the whole file into a SyntaxError.
import { dedent, pythonIncomplete, pythonTopLevel } from './python-source';
import { dropRepeatedChecks } from './repeated-checks';

/** A single-line `def test_x(...):` header (decorators, multi-line headers and bodies on the same line stay whole). */
const TEST_HEADER = /^((?:async\s+)?def\s+)(test\w*)(\s*\([^()]*\)\s*(?:->[^:]+)?:\s*(?:#.*)?)$/;

/** A statement that checks something: an assert, `pytest.raises`, or a block (loop, with) holding one. */
function isCheck(statement: string): boolean {
  return /^\s*assert\b/m.test(statement) || /\bpytest\.(?:raises|warns)\b/.test(statement);
}

/**
 * `assert f(x) == pytest.raises(E)`: how the 1.5B writes "f(x) raises E" (bump_version's 16 such asserts). As written
 * it fails for every candidate, the right one included; as `with pytest.raises(E): f(x)` it checks what was meant.
 * One line only, so the first `==` is the comparison.
 */
const RAISES_COMPARED = /^assert\s+([^\n]+?)\s*==\s*(pytest\.raises\([^\n]*\))\s*$/;

function meantCheck(statement: string): string {
  const m = RAISES_COMPARED.exec(statement.trim());
  return m ? `with ${m[2]}:\n    ${m[1]}` : statement;
}

const indent = (code: string): string =>
  code
    .split('\n')
    .map((l) => (l ? `    ${l}` : l))
    .join('\n');

/**
 * One model test function → its test cases. Split only when every setup statement comes before the first check:
 * then each case replays the setup and runs one check. Interleaved setup (state changed between checks) keeps the
 * function whole, since a later check depends on the earlier steps. Returns [] when nothing complete is left.
 */
export function pythonTestCases(block: string): string[] {
  const lines = block.split('\n');
  const defAt = lines.findIndex((l) => /^(?:async\s+)?def\s/.test(l));
  const header = defAt >= 0 ? TEST_HEADER.exec(lines[defAt]!) : null;
  if (!header) return pythonIncomplete(block) ? [] : [block];
  const decorators = lines.slice(0, defAt);
  const written = pythonTopLevel(dedent(lines.slice(defAt + 1).join('\n')));
  // Only the last statement can be cut (an open bracket swallows everything after it).
  const cut = written.length > 0 && pythonIncomplete(written[written.length - 1]!);
  if (cut) written.pop();
  const statements = dropRepeatedChecks(written.map(meantCheck), isCheck, (st) => st);
  const checks = statements.filter(isCheck);
  // A test that checked nothing by design stays; one whose only check was cut off would pass for any candidate.
  if (statements.length === 0 || (cut && checks.length === 0)) return [];
  const render = (name: string, body: string[]): string =>
    [...decorators, `${header[1]}${name}${header[3]}`, indent(body.join('\n'))].join('\n');
  const firstCheck = statements.findIndex(isCheck);
  const interleaved = firstCheck >= 0 && statements.slice(firstCheck).some((s) => !isCheck(s));
  if (interleaved || checks.length < 2) return [render(header[2]!, statements)];
  const setup = statements.slice(0, firstCheck);
  return checks.map((check, i) => render(`${header[2]}__${i + 1}`, [...setup, check]));
}
