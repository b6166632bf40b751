// @ts-check
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const noElectron = {
  name: 'electron',
  message: 'Only main/electron, main/index.ts and the preload may import electron.',
};

/** Core, headless, sandbox and CLI code run without Electron, so without its shell or the page. */
const noShell = {
  group: ['**/electron/**', '**/renderer/**'],
  message: 'Core and headless code stay free of the Electron shell and the renderer.',
};

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'node_modules/**',
      'release/**',
      'coverage/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Handlers are async so that a validation throw becomes a rejection, even with no await
      // inside.
      '@typescript-eslint/require-await': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='openExternal']",
          message:
            'Open links only through the ExternalBrowser adapter (main/electron/external-browser.ts).',
        },
      ],
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['renderer/**/*.{ts,tsx}', 'test/unit/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            {
              group: ['**/main/**', 'node:*'],
              message: 'The renderer talks to main only through the IPC contract.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            {
              group: ['**/main/**', '**/renderer/**', 'node:*'],
              message: 'shared/ is pure and imported by both sides.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'main/core/**/*.ts',
      'main/headless/**/*.ts',
      'main/sandbox/**/*.ts',
      'main/cli/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ ...noElectron, allowTypeImports: true }],
          patterns: [noShell],
        },
      ],
    },
  },
  {
    // The emulator is an adapter like ngrok's: the shells start it and pass it in (ports.ts).
    files: ['main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ ...noElectron, allowTypeImports: true }],
          patterns: [
            noShell,
            {
              group: ['**/sandbox/**'],
              message:
                'The core reaches the sandbox only through ports.ts (Sandbox, StartSandbox); the shells pass it in.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/core/**', '**/headless/**', 'node:*'],
              message: 'The preload is a bridge: types from shared/ only.',
            },
          ],
        },
      ],
    },
  },
  {
    // The adapter itself, and the app e2e spec that replaces shell.openExternal to prove links
    // never navigate.
    files: ['main/electron/external-browser.ts', 'test/e2e/app/**/*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  prettier,
);
