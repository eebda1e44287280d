// Per-language knowledge the chunker needs: which nodes are functions, methods, classes or containers, how
// to find their names and bodies, and how a collapsed body is written.
import type { Node } from 'web-tree-sitter';
import type { Language } from './types';

export type DefKind = 'function' | 'class';

interface LangSyntax {
  functions: ReadonlySet<string>;
  /** Class-like nodes whose members are chunked separately when the whole does not fit. */
  classes: ReadonlySet<string>;
  /** Nodes that only wrap a definition (export, decorators, templates): the definition inside decides. */
  wrappers: ReadonlySet<string>;
  collapsed: string;
}

const JS_FUNCTIONS = ['function_declaration', 'generator_function_declaration', 'method_definition', 'function_signature'];
const JS_CLASSES = ['class_declaration', 'abstract_class_declaration', 'interface_declaration', 'internal_module', 'module'];
const C_FUNCTIONS = ['function_definition'];

const S = (xs: string[]) => new Set(xs);
const SYNTAX: Record<Language, LangSyntax> = {
  typescript: { functions: S(JS_FUNCTIONS), classes: S(JS_CLASSES), wrappers: S(['export_statement']), collapsed: '{ ... }' },
  tsx: { functions: S(JS_FUNCTIONS), classes: S(JS_CLASSES), wrappers: S(['export_statement']), collapsed: '{ ... }' },
  javascript: { functions: S(JS_FUNCTIONS), classes: S(['class_declaration']), wrappers: S(['export_statement']), collapsed: '{ ... }' },
  python: {
    functions: S(['function_definition']),
    classes: S(['class_definition']),
    wrappers: S(['decorated_definition']),
    collapsed: '...',
  },
  go: { functions: S(['function_declaration', 'method_declaration']), classes: S([]), wrappers: S([]), collapsed: '{ ... }' },
  rust: {
    functions: S(['function_item']),
    classes: S(['impl_item', 'trait_item', 'mod_item']),
    wrappers: S([]),
    collapsed: '{ ... }',
  },
  java: {
    functions: S(['method_declaration', 'constructor_declaration']),
    classes: S(['class_declaration', 'interface_declaration', 'enum_declaration', 'record_declaration']),
    wrappers: S([]),
    collapsed: '{ ... }',
  },
  c: { functions: S(C_FUNCTIONS), classes: S([]), wrappers: S([]), collapsed: '{ ... }' },
  cpp: {
    functions: S(C_FUNCTIONS),
    classes: S(['class_specifier', 'struct_specifier', 'namespace_definition']),
    wrappers: S(['template_declaration']),
    collapsed: '{ ... }',
  },
};

export function collapsedText(lang: Language): string {
  return SYNTAX[lang].collapsed;
}

/** JS/TS values that are functions: `const f = () => {}`, `a.b = function () {}`. */
const FUNCTION_VALUES = new Set(['arrow_function', 'function_expression', 'function', 'generator_function']);

export interface Def {
  kind: DefKind;
  /** The node that holds the definition itself (inside any wrapper). */
  node: Node;
  name: string | undefined;
}

/** What `node` defines, if it is (or wraps) a function or class; JS variable/assignment functions included. */
export function definitionOf(node: Node, lang: Language): Def | undefined {
  const syn = SYNTAX[lang];
  if (syn.functions.has(node.type)) return { kind: 'function', node, name: nameOf(node, lang) };
  if (syn.classes.has(node.type)) {
    // A C++ struct without a body is only a use of the type; a class needs members to be chunked as one.
    if (!node.childForFieldName('body')) return undefined;
    return { kind: 'class', node, name: nameOf(node, lang) };
  }
  if (syn.wrappers.has(node.type)) {
    const inner = node.childForFieldName('declaration') ?? node.childForFieldName('definition') ?? lastNamedChild(node);
    return inner && inner !== node ? definitionOf(inner, lang) : undefined;
  }
  if (lang === 'javascript' || lang === 'typescript' || lang === 'tsx') return jsValueDefinition(node);
  return undefined;
}

function jsValueDefinition(node: Node): Def | undefined {
  if (node.type === 'lexical_declaration' || node.type === 'variable_declaration') {
    const decls = node.namedChildren.filter((c) => c?.type === 'variable_declarator');
    const decl = decls.length === 1 ? decls[0] : undefined;
    const value = decl?.childForFieldName('value');
    if (decl && value && FUNCTION_VALUES.has(value.type)) return { kind: 'function', node, name: decl.childForFieldName('name')?.text };
    if (decl && value?.type === 'class') return { kind: 'class', node, name: decl.childForFieldName('name')?.text };
  }
  if (node.type === 'expression_statement') {
    const expr = node.namedChildren[0];
    const right = expr?.type === 'assignment_expression' ? expr.childForFieldName('right') : undefined;
    if (expr && right && FUNCTION_VALUES.has(right.type)) {
      return { kind: 'function', node, name: expr.childForFieldName('left')?.text.slice(0, 80) };
    }
  }
  return undefined;
}

function lastNamedChild(node: Node): Node | null {
  const kids = node.namedChildren;
  return kids[kids.length - 1] ?? null;
}

/** The defined name: the `name` field, or the innermost declarator for C/C++, or the implemented type (Rust). */
export function nameOf(node: Node, lang: Language): string | undefined {
  const named = node.childForFieldName('name');
  if (named) return named.text;
  if (lang === 'rust' && node.type === 'impl_item') {
    const trait = node.childForFieldName('trait')?.text;
    const type = node.childForFieldName('type')?.text;
    return trait && type ? `${trait} for ${type}` : type;
  }
  let d = node.childForFieldName('declarator');
  for (let i = 0; d && i < 8; i++) {
    if (['identifier', 'field_identifier', 'qualified_identifier', 'destructor_name', 'operator_name'].includes(d.type)) return d.text;
    d = d.childForFieldName('declarator');
  }
  return undefined;
}

/** The members' container of a class-like node (class body, impl block, namespace body). */
export function bodyOf(node: Node): Node | null {
  return node.childForFieldName('body');
}
