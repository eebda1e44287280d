// Lint rules: typescript-eslint everywhere, React hooks in the renderer, and the layering of DESIGN.md
// enforced as import bans (renderer ↛ main/native/preload/Node; common ↛ anything platform-specific).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'assert',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'module',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'readline',
  'stream',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

const ban = (layers, extra = []) => ({
  paths: [...extra],
  patterns: [
    ...layers.map((layer) => ({
      regex: `(^|/)${layer}(/|$)`,
      message: `Imports go down the picture only: this layer may not import ${layer}/ (DESIGN.md §7).`,
    })),
  ],
});

const nodeBan = [
  { name: 'electron', message: 'Electron is only for main/electron and preload.' },
  { name: 'ws', message: 'Platform-specific: keep it in main/.' },
  ...NODE_BUILTINS.map((name) => ({ name, message: 'Node built-ins are not available here (DESIGN.md §7).' })),
];
const nodeProtocolBan = { regex: '^node:', message: 'Node built-ins are not available here (DESIGN.md §7).' };

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'release/**',
      'node_modules/**',
      'artifacts/**',
      'test-results/**',
      '.venv/**',
      'resources/**/*.py',
      '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { ...ban(['main', 'native', 'preload'], nodeBan), patterns: [...ban(['main', 'native', 'preload']).patterns, nodeProtocolBan] },
      ],
    },
  },
  {
    files: ['common/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: nodeBan, patterns: [...ban(['main', 'native', 'preload', 'renderer']).patterns, nodeProtocolBan] },
      ],
    },
  },
  {
    files: ['preload/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', ban(['main', 'native', 'renderer'])] },
  },
  {
    files: ['native/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          ...ban(['main', 'renderer', 'preload']),
          paths: [
            { name: 'electron', message: 'Workers run without Electron APIs; receive what you need as data.', allowTypeImports: true },
          ],
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/electron/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          ...ban(['renderer', 'preload']),
          paths: [
            {
              name: 'electron',
              message: 'Only main/electron/ may load Electron (the CLI and host run in plain Node); inject what you need.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/electron/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', ban(['renderer', 'preload'])] },
  },
  // One outbound guard (DESIGN.md §10): sockets to other machines are opened only in main/platform/egress, which checks
  // the egress policy on every resolved address. Registered under its own name so it adds to the layering rule above
  // instead of replacing it. Servers (the browser host, the local OpenAI-compatible server) listen and are exempt; so
  // is app-protocol.ts, whose Electron net.fetch only reads file:// URLs of the app itself.
  {
    files: ['main/**/*.ts', 'native/**/*.ts'],
    ignores: [
      'main/platform/egress/**',
      'main/host/server.ts',
      'main/host/security.ts',
      'main/services/openai-server/server.ts',
      'main/electron/app-protocol.ts',
    ],
    plugins: { egress: tseslint.plugin },
    rules: {
      'egress/no-restricted-imports': [
        'error',
        {
          paths: [
            ...['net', 'tls', 'http', 'https', 'http2', 'dgram', 'dns'].flatMap((m) =>
              [m, `node:${m}`, `${m}/promises`, `node:${m}/promises`].map((name) => ({
                name,
                message: 'Outbound connections go through main/platform/egress (egressRequest, guardedFetch, …): the one egress guard.',
                allowTypeImports: true,
              })),
            ),
            ...['undici', 'ws', 'nodemailer', 'node-fetch', 'axios', 'got'].map((name) => ({
              name,
              message: 'Network clients are built in main/platform/egress so offline-only and allowed destinations apply.',
              allowTypeImports: true,
            })),
            { name: 'electron', importNames: ['net'], message: "Electron's net bypasses the egress guard.", allowTypeImports: true },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['fetch', 'WebSocket', 'EventSource', 'XMLHttpRequest'].map((name) => ({
          name,
          message: `Global ${name} bypasses the egress guard: use guardedFetch / egressWebSocket from main/platform/egress.`,
        })),
      ],
    },
  },
);
