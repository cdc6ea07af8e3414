import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { errors } from './errors.js';
import { installWasmBatchMatMul } from './wasm-matmul.js';

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
 *   fix of {@link installWasmBatchMatMul} is in place (about 10x faster dense-layer gradients).
 * @throws ClassifierError `backend-unavailable` when a forced backend cannot start.
 */
export async function selectBackend(preference: BackendPreference, wasmPath?: string): Promise<string> {
  const active = await activate(preference, wasmPath);
  if (active === 'wasm') installWasmBatchMatMul();
  return active;
}

async function activate(preference: BackendPreference, wasmPath?: string): Promise<string> {
  if (wasmPath && !wasmPathSet) {
    setWasmPaths(wasmPath);
    wasmPathSet = true;
  }
  if (preference !== 'auto') {
    // setBackend() resolves false (it does not throw) when a backend cannot initialise.
    if (!(await trySetBackend(preference))) throw errors.backendUnavailable(preference);
    return preference;
  }
  if (autoChoice && (await trySetBackend(autoChoice))) return autoChoice;
  autoChoice = undefined;
  if ((await trySetBackend('webgl')) && !SOFTWARE_RENDERER.test(webglRenderer())) autoChoice = 'webgl';
  else {
    for (const name of ['wasm', 'webgl', 'cpu']) {
      if (await trySetBackend(name)) {
        autoChoice = name;
        break;
      }
    }
  }
  if (!autoChoice) throw errors.backendUnavailable('cpu');
  return autoChoice;
}

async function trySetBackend(name: string): Promise<boolean> {
  if (tf.getBackend() === name) return true;
  try {
    return (await tf.setBackend(name)) && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/** The unmasked renderer string of the WebGL context tfjs uses, or '' when the browser hides it. */
function webglRenderer(): string {
  const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
  const info = gl?.getExtension('WEBGL_debug_renderer_info');
  return info ? String(gl!.getParameter(info.UNMASKED_RENDERER_WEBGL)) : '';
}
