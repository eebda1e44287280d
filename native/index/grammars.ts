// Loads the tree-sitter runtime and one WASM grammar per language, once per process, from the installed
// packages (@vscode/tree-sitter-wasm for 8 languages, tree-sitter-c for C; all checked to load in 0.27.1).
import { createRequire } from 'node:module';
import path from 'node:path';
import { Language, Parser } from 'web-tree-sitter';
import { EvolveError } from '../../common/errors';
import { LANGUAGES, type Language as Lang } from './types';

// Resolves from this file under tsx and from the CommonJS bundle alike (packages stay external in both).
const requireFrom = createRequire(__filename);

const VSCODE_WASM: Record<Exclude<Lang, 'c'>, string> = {
  typescript: 'tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-tsx.wasm',
  javascript: 'tree-sitter-javascript.wasm',
  python: 'tree-sitter-python.wasm',
  go: 'tree-sitter-go.wasm',
  rust: 'tree-sitter-rust.wasm',
  java: 'tree-sitter-java.wasm',
  cpp: 'tree-sitter-cpp.wasm',
};

function packageDir(name: string): string {
  return path.dirname(requireFrom.resolve(`${name}/package.json`));
}

/** Absolute path of the grammar file for `lang`. */
export function grammarPath(lang: Lang): string {
  if (lang === 'c') return path.join(packageDir('tree-sitter-c'), 'tree-sitter-c.wasm');
  return path.join(packageDir('@vscode/tree-sitter-wasm'), 'wasm', VSCODE_WASM[lang]);
}

let runtime: Promise<void> | undefined;
const languages = new Map<Lang, Promise<Language>>();
const parsers = new Map<Lang, Parser>();

function initRuntime(): Promise<void> {
  runtime ??= Parser.init().catch((e: unknown) => {
    runtime = undefined;
    throw new EvolveError('UNAVAILABLE', `tree-sitter runtime failed to load: ${e instanceof Error ? e.message : String(e)}`);
  });
  return runtime;
}

/** The loaded grammar for `lang` (cached; a failed load is retried on the next call). */
export function loadLanguage(lang: Lang): Promise<Language> {
  let p = languages.get(lang);
  if (!p) {
    p = initRuntime()
      .then(() => Language.load(grammarPath(lang)))
      .catch((e: unknown) => {
        languages.delete(lang);
        throw new EvolveError(
          'UNAVAILABLE',
          `tree-sitter grammar for ${lang} failed to load: ${e instanceof Error ? e.message : String(e)}`,
        );
      });
    languages.set(lang, p);
  }
  return p;
}

/** One reusable parser per language (parsing is synchronous, so one per process is enough). */
export async function parserFor(lang: Lang): Promise<Parser> {
  const existing = parsers.get(lang);
  if (existing) return existing;
  const language = await loadLanguage(lang);
  const parser = new Parser();
  parser.setLanguage(language);
  parsers.set(lang, parser);
  return parser;
}

export interface GrammarInfo {
  runtime: string;
  grammars: { lang: Lang; abi: number }[];
}

/** Loads every grammar (fails fast on an ABI mismatch) and says which ABI each has. */
export async function loadAllGrammars(): Promise<GrammarInfo> {
  const grammars = await Promise.all(LANGUAGES.map(async (lang) => ({ lang, abi: (await loadLanguage(lang)).abiVersion })));
  return { runtime: 'web-tree-sitter 0.27.1', grammars };
}
