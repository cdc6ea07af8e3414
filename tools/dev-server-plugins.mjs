// Dev-server pieces shared by the test runner (web-test-runner.config.mjs) and the demo server
// (web-dev-server.config.mjs), and the benchmark (bench/run.mjs).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import send from 'koa-send';

/** `../shared` (models and data sets), next to the project root; never copied into the repo. */
export const sharedDir = path.resolve(fileURLToPath(new URL('../../shared', import.meta.url)));

/** Serves `../shared/**` at `/shared/**`, read-only. */
export async function serveShared(ctx, next) {
  if (!ctx.path.startsWith('/shared/')) return next();
  try {
    await send(ctx, decodeURIComponent(ctx.path.slice('/shared'.length)), { root: sharedDir });
  } catch (error) {
    // A missing file is a plain 404 (the element probes for a metadata.json beside a model).
    if (error.status !== 404) throw error;
    ctx.status = 404;
  }
}

// tfjs's per-file ESM build imports CommonJS-only deps (long, seedrandom) that the dev server
// cannot serve as ESM. Serve tfjs's own prebuilt single-file ES module bundles instead, and stub
// the node built-ins that the wasm backend's bundle imports (used only under Node).
const NODE_BUILTINS = ['fs', 'path', 'os', 'perf_hooks', 'worker_threads', 'crypto', 'url'];
export const tfjsPrebundled = {
  name: 'tfjs-prebundled',
  resolveImport({ source }) {
    // The chained ops (tensor.toFloat()) are part of that bundle already.
    if (/^@tensorflow\/tfjs(-core|-layers|-backend-webgl|-backend-cpu|-converter)?$/.test(source) || source.endsWith('/register_all_chained_ops')) {
      return '/node_modules/@tensorflow/tfjs/dist/tf.fesm.js';
    }
    if (source === '@tensorflow/tfjs-backend-wasm') {
      return '/node_modules/@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.fesm.js';
    }
    if (NODE_BUILTINS.includes(source)) return '/__node-builtin-stub.js';
    return undefined;
  },
  serve(context) {
    if (context.path === '/__node-builtin-stub.js') return { body: 'export default {};', type: 'js' };
    return undefined;
  },
};

/** The project root (the dev servers' rootDir). */
const projectDir = path.resolve(fileURLToPath(new URL('..', import.meta.url)));

/**
 * Serves `/src/**\/x.js` from `x.ts` when there is no `x.js`: the browser asks for the compiled
 * name where no import is resolved, as in `new Worker(new URL('./trainer.worker.js',
 * import.meta.url))`. The request is rewritten to the `.ts` path, so the esbuild plugin compiles
 * it and resolves its imports (bare ones through `tfjsPrebundled`, as for the page's).
 */
export async function serveTsAsJs(ctx, next) {
  if (ctx.path.startsWith('/src/') && ctx.path.endsWith('.js')) {
    const file = path.join(projectDir, decodeURIComponent(ctx.path));
    const ts = `${file.slice(0, -'.js'.length)}.ts`;
    if (file.startsWith(projectDir + path.sep) && !existsSync(file) && existsSync(ts)) {
      ctx.url = `${ctx.path.slice(0, -'.js'.length)}.ts${ctx.search}`;
    }
  }
  return next();
}
