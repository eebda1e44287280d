// The part of the ESLint security plugins' API we use (none of the three ships type declarations).
declare module 'eslint-plugin-security' {
  import type { ESLint, Linter } from 'eslint';
  const plugin: ESLint.Plugin & { configs: { recommended: Linter.Config } };
  export default plugin;
}
declare module 'eslint-plugin-no-unsanitized' {
  import type { ESLint, Linter } from 'eslint';
  const plugin: ESLint.Plugin & { configs: { recommended: Linter.Config } };
  export default plugin;
}
declare module '@microsoft/eslint-plugin-sdl' {
  import type { ESLint, Linter } from 'eslint';
  const plugin: ESLint.Plugin & { configs: { required: Linter.Config[] } };
  export default plugin;
}
