import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.aiops/', 'coverage/'] },
  { files: ['**/*.mjs'], languageOptions: { globals: { process: 'readonly' } } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read the environment only in src/config.ts (pass the config in).',
        },
      ],
    },
  },
  {
    files: ['src/config.ts', 'src/cli.ts', 'bin/**', 'test/**', 'bench/**', '*.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // only the adapters speak a platform's SDK: src/bot/slack/ for @slack/*, src/bot/teams/ for botbuilder
    files: ['src/**/*.ts'],
    ignores: ['src/bot/slack/**', 'src/bot/teams/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@slack/*', 'botbuilder', 'botbuilder-*', 'botframework-*'], message: 'Only src/bot/slack/ and src/bot/teams/ import a chat platform SDK.' }] },
      ],
    },
  },
  {
    files: ['src/bot/slack/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['botbuilder', 'botbuilder-*', 'botframework-*'], message: 'Teams code lives in src/bot/teams/.' }] }],
    },
  },
  {
    files: ['src/bot/teams/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@slack/*'], message: 'Slack code lives in src/bot/slack/.' }] }],
    },
  },
  {
    files: ['src/intents/**', 'src/auth/**', 'src/actions/**', 'src/sessions/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@slack/*', 'botbuilder', 'botbuilder-*', 'botframework-*'], message: 'Core modules know no chat platform.' }] },
      ],
    },
  },
);
