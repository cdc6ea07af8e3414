// ESLint flat config: typescript-eslint's recommended rules (not type-aware, to stay fast), the
// layer boundaries of src/ (core -> io -> engine -> elements), import cycles in src/, and
// eslint-config-prettier last so formatting is left to Prettier (npm run verify).
import { defineConfig, globalIgnores } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import globals from 'globals';
import { fileURLToPath } from 'node:url';

const TS = ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'];

// ---- Layer boundaries ------------------------------------------------------------------------
// no-restricted-imports matches the specifier as written (gitignore-style patterns), so a rule
// that stops an import from leaving its layer depends on how deep the file sits in it: from
// src/io/a.ts `../engine/x.js` leaves io, from src/io/sub/a.ts it is `../../engine/x.js`. Each
// layer therefore gets one block per depth, listing the sibling folders/files of src/ it may
// reach; everything else outside the layer (other layers, src/*.ts, anything above src/) is
// refused. Within one depth, `../*` forbids every escape and `!../core` re-allows a sibling.
// Dynamic import() is not checked by this rule (the no-cycle check below does follow it).
const MAX_DEPTH = 4;
const LIT = ['lit', 'lit/*', 'lit-html', 'lit-html/*', 'lit-element', 'lit-element/*', '@lit/*'];
const TFJS = ['@tensorflow/*'];

/** Config blocks confining src/<layer>/** to itself plus `allowed` entries of src/ (folder names or files such as `types.js`). */
function layer(name, { allowed, packages = [], why }) {
  const blocks = [];
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const up = '../'.repeat(depth + 1);
    const files = [`src/${name}/${'*/'.repeat(depth)}*.ts`];
    const patterns = [
      {
        group: [`${up}*`, ...allowed.map((entry) => `!${up}${entry}`)],
        message: `src/${name} may import only src/${name}${allowed.length ? ', ' + allowed.map((e) => 'src/' + e).join(', ') : ''}: ${why}`,
      },
    ];
    if (packages.length) patterns.push({ group: packages, message: `src/${name} must not import this package directly: ${why}` });
    blocks.push({ name: `layers/${name}/depth-${depth}`, files, rules: { 'no-restricted-imports': ['error', { patterns }] } });
  }
  return blocks;
}

const layers = [
  ...layer('core', {
    allowed: [],
    packages: LIT,
    why: 'core is the TensorFlow.js training core; it depends on nothing else in the project and not on Lit.',
  }),
  ...layer('io', {
    allowed: ['core'],
    packages: [...LIT, ...TFJS],
    why: 'io (files, pixels) sits on core only; TensorFlow.js is reached through src/core (core/tf.js).',
  }),
  ...layer('engine', {
    allowed: ['core', 'io', 'types.js'],
    packages: LIT,
    why: 'engine (trainer, worker, protocol, proxy) must not know the elements, their events or Lit.',
  }),
  ...layer('elements', {
    allowed: ['core', 'io', 'engine', 'events.js', 'types.js'],
    packages: TFJS,
    why: 'elements reach TensorFlow.js only through src/core and src/engine.',
  }),
  {
    name: 'layers/shared-types',
    files: ['src/types.ts', 'src/events.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['./elements', './elements/**', '**/elements/**'],
              message: 'types.ts and events.ts sit below src/elements (engine imports types.ts); they must not import it.',
            },
            { group: LIT, message: 'types.ts and events.ts must not depend on Lit.' },
          ],
        },
      ],
    },
  },
];

export default defineConfig(
  globalIgnores(['dist/', 'node_modules/', 'custom-elements.json', 'bench-results/', 'screenshots/', 'docs/', 'demo/react/', 'demo/preact/', 'demo/vue/', 'test/types/', 'test/scratch/'], 'ignores'),
  { name: 'js/recommended', files: ['**/*.{js,mjs,cjs}', ...TS], ...js.configs.recommended },
  // Only the TypeScript of src/, test/ and bench/ (demo/*.ts is type-checked, not linted).
  ...tseslint.configs.recommended.map((config) => ({ ...config, files: TS })),
  {
    name: 'project/typescript',
    files: TS,
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      // src/jsx augments the frameworks' JSX namespaces (declare module 'react' { namespace JSX }).
      '@typescript-eslint/no-namespace': ['error', { allowDeclarations: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  { name: 'project/tests', files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'warn' } },
  {
    // Node scripts (build configs, tools, bench and packaging runners); the bench and e2e runners
    // also hand functions to the browser (page.evaluate), hence the browser globals.
    name: 'project/node-scripts',
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  ...layers,
  {
    // Import cycles in src/ (type-only imports are erased at build time and are not counted).
    name: 'project/no-cycle',
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // import-x skips files it has no parser for: give it the .ts extensions and parser, and the
      // TypeScript resolver, which maps the written `./foo.js` to foo.ts (moduleResolution bundler).
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      'import-x/external-module-folders': ['node_modules'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  { name: 'prettier', ...prettier },
);
