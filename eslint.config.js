import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const noElectronOrRenderer = {
  patterns: [
    {
      group: ['electron', 'electron/*'],
      message: 'app/ and models/ run under plain Node: no electron.',
    },
    { group: ['**/renderer/**'], message: 'The core never imports the renderer.' },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'out',
      'dist',
      'test-results',
      'playwright-report',
      'tests/.artifacts',
      '.bench',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['app/**', 'models/**'],
    rules: { 'no-restricted-imports': ['error', noElectronOrRenderer] },
  },
  {
    files: ['models/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...noElectronOrRenderer.patterns,
            {
              group: ['**/app/**', 'better-sqlite3', 'sharp'],
              message: 'models/ may import tfjs only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/app/**'],
              allowTypeImports: true,
              message: 'The renderer imports only the contract types from app/.',
            },
            {
              group: ['electron', 'better-sqlite3', 'sharp', '@tensorflow/*', 'node:*'],
              message: 'The renderer runs in a browser.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/renderer/**'], message: 'main/ never imports the renderer.' }] },
      ],
    },
  },
);
