import * as tf from './tf.js';

const replaced = new Set<string>();

/**
 * Replaces the `wasm` backend's kernel `name` with `wrap(original, ...used)`, where `used` are the
 * current functions of the kernels named in `uses`. The original's setupFunc is kept: it binds
 * the kernel's WASM export and runs again whenever the backend is set.
 *
 * Idempotent per kernel name.
 * @returns whether the replacement is in place; false when the wasm kernels are not registered.
 */
export function replaceWasmKernel(name: string, uses: string[], wrap: (original: tf.KernelFunc, ...used: tf.KernelFunc[]) => tf.KernelFunc): boolean {
  if (replaced.has(name)) return true;
  const original = tf.getKernel(name, 'wasm');
  const used = uses.map((u) => tf.getKernel(u, 'wasm'));
  if (!original || used.some((k) => !k)) return false;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...original, kernelFunc: wrap(original.kernelFunc, ...used.map((k) => k!.kernelFunc)) });
  replaced.add(name);
  return true;
}
