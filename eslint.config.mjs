// Lint rules and the architecture's boundaries (README, "Architecture"): who may import what.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** `@typescript-eslint/no-restricted-imports` for one layer; type-only imports stay allowed where noted. */
const restrict = (files, patterns, { allowTypes = false, paths = [] } = {}) => ({
  files,
  rules: {
    '@typescript-eslint/no-restricted-imports': ['error', {
      paths: paths.map((name) => ({ name, message: 'this layer does not use it (see the README architecture)', allowTypeImports: allowTypes })),
      patterns: [{ group: patterns, message: 'this layer may not depend on it (see the README architecture)', allowTypeImports: allowTypes }],
    }],
  },
});

const FRAMEWORKS = ['express', 'bottender', 'pg', 'pg-boss', 'sharp', 'messaging-api-messenger', 'axios', 'node:fs', 'fs', 'node:http', 'node-geocoder', 'i18next'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'coverage/**', 'test-results/**', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': ['error', { allow: ['error'] }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  // Production code never loads tests or the development tools (main.ts loads dev/ by a computed path).
  restrict(['src/**/*.ts', 'dialogs/**/*.ts'], ['**/test/**', '**/dev/**', '../dev/*', '../../dev/*']),
  // The domain is pure: no frameworks, database, clients, files or outer layers.
  restrict(['src/domain/**/*.ts'], ['**/storage/**', '**/clients/**', '**/media/**', '**/server/**', '**/channels/**', '**/app/**', '**/jobs/**', '**/inbox/**', '**/console/**', '**/nlu/**', '**/dialogs/**', '**/config', '**/logger', '**/i18n'], { paths: FRAMEWORKS }),
  // Use cases talk to ports, not to the database, the platforms or HTTP.
  restrict(['src/app/**/*.ts'], ['**/storage/**', '**/clients/**', '**/server/**', '**/channels/**', '**/console/**', '**/dialogs/**', '**/inbox/**', '**/media/**'], { paths: FRAMEWORKS, allowTypes: true }),
  // Jobs know queues and payloads, never the use cases that handle them.
  restrict(['src/jobs/**/*.ts'], ['**/app/**', '**/storage/**', '**/channels/**', '**/dialogs/**', '**/server/**']),
  // Dialogs are conversation code: they call use cases, never storage, clients or HTTP.
  restrict(['dialogs/**/*.ts'], ['**/src/storage/**', '**/src/clients/**', '**/src/server/**', '**/src/inbox/**', '**/src/jobs/**', '**/src/media/**'], { paths: FRAMEWORKS.filter((p) => p !== 'i18next'), allowTypes: true }),
  // Channels translate payloads; business rules and writes belong to the use cases.
  restrict(['src/channels/**/*.ts'], ['**/storage/**', '**/app/**', '**/server/**', '**/console/**', '**/jobs/**'], { allowTypes: true }),
  // The staff console (pages and /api/staff/v1) calls use cases and domain rules; storage, clients
  // and the inbox only as types (main.ts constructs them); never dialogs or channels.
  {
    files: ['src/console/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: ['pg', 'pg-boss', 'bottender', 'sharp'].map((name) => ({ name, message: 'the console reaches the database through ports (see the README architecture)', allowTypeImports: true })),
        patterns: [
          { group: ['**/dialogs/**', '**/channels/**', '**/test/**', '**/dev/**'], message: 'the console may not depend on it (see the README architecture)' },
          { group: ['**/storage/**', '**/clients/**', '**/inbox/**', '**/jobs/**', '**/media/**'], message: 'the console uses these only as types; main.ts constructs them', allowTypeImports: true },
        ],
      }],
    },
  },
  // The language model engine is self-contained.
  restrict(['src/nlu/**/*.ts'], ['**/storage/**', '**/app/**', '**/channels/**', '**/server/**', '**/dialogs/**'], { allowTypes: true }),
  {
    // Command-line tools: they read content/ themselves, keep stdout for their JSON and load the
    // model after silencing the console.
    files: ['src/cli/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off', '@typescript-eslint/no-require-imports': 'off', 'no-console': 'off' },
  },
  {
    files: ['test/**/*.ts', 'dev/**/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off', 'no-console': 'off' },
  },
);
