import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'lib/**',
      'node_modules/**',
      'coverage/**',
      'bench/out/**',
      'outbox/**',
      'templates/**',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // The JavaScript files outside tsconfig's TypeScript program (bin/ runs before any compile;
        // bench/*.mjs is loaded by probes in processes without tsx): nine, one over the default cap.
        projectService: {
          allowDefaultProject: ['bin/*.js', 'bench/*.mjs', 'eslint.config.js'],
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 12,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
);
