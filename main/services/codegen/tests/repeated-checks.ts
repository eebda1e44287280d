// A check a model wrote again word for word (the 1.5B repeats one until its token cap) is one case, not several:
// as several it would fill the MODEL_TEST_CASES slots and count the same evidence more than once in the agreement.

/** The statements with every check whose text (whitespace aside) came before dropped; setup statements all stay. */
export function dropRepeatedChecks<T>(statements: readonly T[], isCheck: (s: T) => boolean, textOf: (s: T) => string): T[] {
  const seen = new Set<string>();
  return statements.filter((s) => {
    if (!isCheck(s)) return true;
    const key = textOf(s).replace(/\s+/g, ' ').trim();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
