import { readFileSync } from 'node:fs';
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

/** One self-contained ES module (Lit and TensorFlow.js inside) that defines <ml-classifier>. */
export default {
  input: 'src/ml-classifier.ts',
  // Sources left out of the map: 1.5 MB instead of 15 MB in the package; it still maps to file and line.
  output: { file: 'dist/ml-classifier.js', format: 'es', sourcemap: true, sourcemapExcludeSources: true },
  plugins: [
    nodeResolve({ browser: true, exportConditions: ['production'] }), // tfjs "browser" field; Lit's production build
    commonjs({ ignore: ['crypto', 'fs', 'path', 'os', 'perf_hooks', 'worker_threads'] }), // long, seedrandom, wasm glue
    typescript({ tsconfig: 'tsconfig.build.json' }),
    terser({ format: { comments: false } }),
    copyWasm,
  ],
  onwarn(warning, warn) {
    if (warning.code === 'THIS_IS_UNDEFINED' || warning.code === 'CIRCULAR_DEPENDENCY') return;
    warn(warning);
  },
};
