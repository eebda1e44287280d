// Exports the names a TS/JS request asked for when the model declared them without `export` (small models often do):
// the tests import them, so an unexported `function kebabCase` fails every test for a reason the model never sees.
import type { Language } from '../../../../common/codegen/types';

const escape = (s: string): string => s.replace(/[$]/g, '\\$');

/** True when the module already exports `name` (a declaration, an export list, or CommonJS). */
function isExported(code: string, name: string): boolean {
  const n = escape(name);
  const declared = new RegExp(
    `^\\s*export\\s+(?:default\\s+)?(?:declare\\s+)?(?:async\\s+)?(?:function\\s*\\*?\\s*|class\\s+|(?:const|let|var)\\s+)${n}\\b`,
    'm',
  );
  const listed = new RegExp(`^\\s*export\\s*\\{[^}]*\\b${n}\\b[^}]*\\}`, 'm');
  return declared.test(code) || listed.test(code);
}

/** A module that exports through CommonJS is left alone: mixing `export` into it would change its module kind. */
const COMMONJS = /\bmodule\.exports\b|^\s*exports\.[A-Za-z_$]/m;

export interface AddedExports {
  code: string;
  /** Names that got `export ` in front of their top-level declaration. */
  added: string[];
}

/**
 * Puts `export ` in front of the top-level declaration (at the start of a line, outside any block by its indentation)
 * of each name in `names` that the code declares but does not export. Python and other languages are returned as is.
 */
export function addMissingExports(code: string, names: readonly string[], language: Language): AddedExports {
  if ((language !== 'typescript' && language !== 'javascript') || COMMONJS.test(code)) return { code, added: [] };
  let out = code;
  const added: string[] = [];
  for (const name of names) {
    if (isExported(out, name)) continue;
    const decl = new RegExp(`^((?:async\\s+)?function\\s*\\*?\\s*|class\\s+|(?:const|let|var)\\s+)${escape(name)}\\b`, 'm');
    const m = decl.exec(out);
    if (!m) continue;
    out = `${out.slice(0, m.index)}export ${out.slice(m.index)}`;
    added.push(name);
  }
  return { code: out, added };
}
