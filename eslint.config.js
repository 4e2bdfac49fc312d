// Lint: TypeScript-aware rules plus the layering that keeps the desk testable without Electron.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const electronImport = {
  paths: [{ name: 'electron', message: 'Only electron/main and electron/preload may import electron (layering: services must run without it).' }],
};
const nodeImports = {
  patterns: [{ group: ['node:*'], message: 'shared/ and renderer/ run in the browser: no Node built-ins.' }],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'renderer/dist/**', '**/*.d.ts', '.data/**', '.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // TypeScript already checks names (and knows DOM vs Node globals per file).
      'no-undef': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': ['error', { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'Use node:crypto (tokens and ids must be unguessable).' }],
    },
  },
  {
    files: ['shared/**/*.ts', 'electron/services/**/*.ts', 'electron/core/**/*.ts', 'electron/bridge/**/*.ts', 'electron/compose.ts', 'server/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', electronImport] },
  },
  {
    files: ['shared/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts', '**/*.test.tsx', 'renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', { ...electronImport, ...nodeImports }] },
  },
  {
    // The renderer talks to the desk through desk-client only; it never reaches into the core.
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts', '**/*.test.tsx', 'renderer/vite.config.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { ...electronImport, patterns: [...nodeImports.patterns, { group: ['**/electron/**'], message: 'The renderer reaches the desk through lib/desk-client only.' }] },
      ],
    },
  },
);
