import * as tf from './tf.js';
import { errors } from './errors.js';
import { installWasmBatchMatMul } from './wasm-matmul.js';
import { installWasmMinimum } from './wasm-minimum.js';

/**
 * Which TensorFlow.js backend runs the model:
 * - `auto` (default): WebGL when it runs on a real GPU; WASM (SIMD where the browser has it)
 *   when WebGL is missing or only a software renderer (SwiftShader, llvmpipe), where WASM
 *   measured ~7x faster for activations and ~2.4x for training; then CPU.
 * - `webgl`, `wasm`, `cpu`: that backend or an error.
 */
export type BackendPreference = 'auto' | 'webgl' | 'wasm' | 'cpu';

/** Renderer strings of software (CPU) implementations of WebGL. */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render driver/i;

let wasmPathSet = false;
/** What `auto` chose: probing switches the page's backend, so it is done once per page. */
let autoChoice: string | undefined;

/**
 * Activates a backend for the whole page (TensorFlow.js has one active backend per page).
 *
 * @param preference see {@link BackendPreference}.
 * @param wasmPath URL of the folder holding `tfjs-backend-wasm*.wasm` (with a trailing slash);
 *   only the first call's value counts, since the WASM module loads once.
 * @returns the backend now active: `'webgl' | 'wasm' | 'cpu'`. On `wasm`, the transposed-matMul
 *   fixes of {@link installWasmBatchMatMul} (about 10x faster dense-layer gradients) and
 *   {@link installWasmMinimum} (ReLU6 without the slow broadcast `Minimum`) are in place.
 * @throws ClassifierError `backend-unavailable` when a forced backend cannot start.
 */
export function selectBackend(preference: BackendPreference, wasmPath?: string): Promise<string> {
  // One at a time: two elements starting together would otherwise probe and switch the page's
  // backend under each other ("Backend 'wasm' has not yet been initialized").
  const next = queue.then(() => select(preference, wasmPath));
  queue = next.catch(() => undefined);
  return next;
}

let queue: Promise<unknown> = Promise.resolve();

async function select(preference: BackendPreference, wasmPath?: string): Promise<string> {
  const active = await activate(preference, wasmPath);
  if (active === 'wasm') {
    installWasmBatchMatMul();
    installWasmMinimum();
  }
  return active;
}

async function activate(preference: BackendPreference, wasmPath?: string): Promise<string> {
  if (preference !== 'auto') {
    // setBackend() resolves false (it does not throw) when a backend cannot initialise.
    if (!(await trySetBackend(preference, wasmPath))) throw errors.backendUnavailable(preference);
    return preference;
  }
  if (autoChoice && (await trySetBackend(autoChoice, wasmPath))) return autoChoice;
  autoChoice = undefined;
  // Asked of a context of its own before tfjs makes one: a software renderer never starts the
  // WebGL backend (its shader compiles alone take seconds).
  const renderer = webglRenderer();
  if (renderer !== undefined && !SOFTWARE_RENDERER.test(renderer) && (await trySetBackend('webgl', wasmPath))) autoChoice = 'webgl';
  else {
    // Without WebGL at all (headless Firefox), tfjs would only log its failure to start it.
    for (const name of renderer === undefined ? ['wasm', 'cpu'] : ['wasm', 'webgl', 'cpu']) {
      if (await trySetBackend(name, wasmPath)) {
        autoChoice = name;
        break;
      }
    }
  }
  if (!autoChoice) throw errors.backendUnavailable('cpu');
  return autoChoice;
}

async function trySetBackend(name: string, wasmPath: string | undefined): Promise<boolean> {
  if (tf.getBackend() === name) return true;
  try {
    await register(name, wasmPath);
    return (await tf.setBackend(name)) && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/**
 * Imports a backend's package, which registers it, the first time it is tried: each is a chunk of
 * its own in the bundle, so a page downloads only the backends it starts (measured: WebGL about
 * 50 KB gzipped with the CPU kernels it shares, WASM about 35 KB, CPU about 35 KB).
 */
async function register(name: string, wasmPath: string | undefined): Promise<void> {
  if (name === 'webgl') await import('@tensorflow/tfjs-backend-webgl');
  if (name === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // Read when the WASM module first loads, so only the first path counts.
    if (wasmPath && !wasmPathSet) {
      wasm.setWasmPaths(wasmPath);
      wasmPathSet = true;
    }
  }
}

/** The WebGL context of the active backend, or undefined when it is not WebGL. */
function webglContext(): WebGLRenderingContext | undefined {
  return (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
}

/**
 * Calls `onLost` once if the active backend's WebGL context is lost (a GPU reset, a driver crash,
 * the browser reclaiming GPU memory). Does nothing on other backends.
 *
 * @returns a function that stops watching.
 */
export function watchContextLoss(onLost: () => void): () => void {
  const gl = webglContext();
  if (!gl) return () => {};
  const lost = () => {
    // tfjs reads tensors by polling a fence, and a lost context never signals one, so every
    // pending and later `data()` would wait forever. Signalling them on the dead context lets
    // them finish (with zeros), so the run reaches its abort check and frees its tensors.
    // ALREADY_SIGNALED (0x911A) read from the context: the same in a page and in a worker.
    if ('ALREADY_SIGNALED' in gl) (gl as WebGL2RenderingContext).clientWaitSync = () => (gl as WebGL2RenderingContext).ALREADY_SIGNALED;
    onLost();
  };
  // A <canvas> in a page, an OffscreenCanvas in a worker: both fire webglcontextlost.
  const canvas = gl.canvas as EventTarget;
  if (typeof canvas?.addEventListener !== 'function') return () => {};
  canvas.addEventListener('webglcontextlost', lost, { once: true });
  return () => canvas.removeEventListener('webglcontextlost', lost);
}

/**
 * Replaces a WebGL backend whose context was lost with a fresh one (a new canvas and context),
 * then selects a backend again as `preference` says; `auto` falls back to WASM or CPU if WebGL
 * cannot start again. Every tensor of the lost backend must be disposed first: their data went
 * with the context.
 *
 * @returns the backend now active.
 * @throws ClassifierError `backend-unavailable` when no backend the preference allows can start.
 */
export async function recoverFromContextLoss(preference: BackendPreference, wasmPath?: string): Promise<string> {
  const factory = tf.findBackendFactory('webgl');
  if (factory) {
    tf.removeBackend('webgl');
    // tfjs-backend-webgl registers itself with priority 2.
    tf.registerBackend('webgl', factory, 2);
  }
  autoChoice = undefined;
  return selectBackend(preference, wasmPath);
}

/**
 * The unmasked renderer string of a WebGL context made to ask (a `<canvas>` in a page, an
 * `OffscreenCanvas` in a worker, where there is no `document`), '' when the browser hides it, or
 * undefined when there is no WebGL at all. The context is released at once.
 */
function webglRenderer(): string | undefined {
  let gl: WebGLRenderingContext | WebGL2RenderingContext | null = null;
  try {
    const canvas = typeof document !== 'undefined' ? document.createElement('canvas') : new OffscreenCanvas(1, 1);
    gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | WebGL2RenderingContext | null;
  } catch {
    return undefined;
  }
  if (!gl) return undefined;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : '';
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return renderer;
}
