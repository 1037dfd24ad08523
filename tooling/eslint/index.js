// The flat config every vitae package uses: `export default vitae` from its eslint.config.js.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export const vitae = tseslint.config(
  // assembly/ holds AssemblyScript (function decorators such as @inline are not TypeScript); asc checks it.
  { ignores: ['**/dist/**', '**/build/**', '**/assembly/**', '**/src/generated/**', '**/node_modules/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@tensorflow/*'],
              message: 'Only @vitae/tensor imports tfjs (through its #tfjs bundle); import from @vitae/tensor.',
            },
          ],
        },
      ],
    },
  },
);

export default vitae;
