// The dashboard's lint (`dashboard/npm.sh lint`, run by `./tinyscale test` and CI): ESLint's
// and typescript-eslint's recommended rules with type information (promises left floating or
// handed where a void is expected, unsafe `any`), React's hook rules, and the Node.js scripts
// (Vite's config, the end-to-end journeys) checked as Node.js code. Formatting is not a lint
// matter here: tsc and the reviews keep the style.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['target/', 'node_modules/', 'src/api/schema.d.ts'] },
  js.configs.recommended,
  {
    files: ['src/**/*.{ts,tsx}'],
    extends: [tseslint.configs.recommendedTypeChecked, reactHooks.configs.flat.recommended],
    languageOptions: {
      globals: globals.browser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    files: ['vite.config.ts'],
    extends: [tseslint.configs.recommended],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['e2e/**/*.mjs', 'eslint.config.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
