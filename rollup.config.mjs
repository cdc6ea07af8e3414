import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

const require = createRequire(import.meta.url);
const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));

/** Ships the WASM backend's binaries next to the bundle, where the element looks for them by default. */
const copyWasm = {
  name: 'copy-wasm',
  generateBundle() {
    for (const fileName of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
      this.emitFile({ type: 'asset', fileName, source: readFileSync(path.join(wasmDir, fileName)) });
    }
  },
};

/** Removes the shared chunks of earlier builds: their names change with their content (a hash). */
const removeStaleChunks = {
  name: 'remove-stale-chunks',
  buildStart() {
    if (!existsSync('dist')) return;
    for (const name of readdirSync('dist')) if (/^ml-classifier-.+\.js(\.map)?$/.test(name)) rmSync(path.join('dist', name));
  },
};

/**
 * Self-contained ES modules (Lit, TensorFlow.js and d3-dsv inside, no bare import), all in
 * dist/: `ml-classifier.js` defines <ml-classifier> and loads no TensorFlow.js; `trainer.worker.js`
 * is the worker it starts with `new URL('./trainer.worker.js', import.meta.url)`;
 * `ml-classifier-engine.js` is the engine for scripts. TensorFlow.js and the pipeline are one
 * chunk that the worker, the engine entry and the element's main-thread fallback (a dynamic
 * import) share, so the browser downloads it once (same URL), and only on first use.
 */
export default {
  input: { 'ml-classifier': 'src/ml-classifier.ts', 'ml-classifier-engine': 'src/ml-classifier-engine.ts', 'trainer.worker': 'src/engine/trainer.worker.ts' },
  output: {
    dir: 'dist',
    format: 'es',
    entryFileNames: '[name].js',
    // Next to the entries: `import.meta.url`-relative URLs (the worker, the .wasm files) hold in any of them.
    // Each backend is a chunk named for it, imported only when selected; so is the graph-model
    // converter, imported only for a graph base (mobilenet-v2-0.50-96).
    chunkFileNames: (chunk) => `ml-classifier-${/tfjs-(backend-(webgl|wasm|cpu)|converter)/.exec(chunk.facadeModuleId ?? '')?.[0] ?? chunk.name}-[hash].js`,
    // Sources left out of the maps: 1.5 MB instead of 15 MB in the package; they still map to file and line.
    sourcemap: true,
    sourcemapExcludeSources: true,
  },
  plugins: [
    nodeResolve({ browser: true, exportConditions: ['production'] }), // tfjs "browser" field; Lit's production build
    commonjs({ ignore: ['crypto', 'fs', 'path', 'os', 'perf_hooks', 'worker_threads'] }), // long, seedrandom, wasm glue
    typescript({ tsconfig: 'tsconfig.build.json' }),
    terser({ format: { comments: false } }),
    copyWasm,
    removeStaleChunks,
  ],
  onwarn(warning, warn) {
    if (warning.code === 'THIS_IS_UNDEFINED' || warning.code === 'CIRCULAR_DEPENDENCY') return;
    warn(warning);
  },
};
