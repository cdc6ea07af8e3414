/**
 * TensorFlow.js as this package uses it: the core (tensors, ops, model I/O) and layers, without
 * any backend. `selectBackend` imports the one backend it picks, so a page downloads the WebGL
 * backend only on a real GPU and the WASM backend only without one.
 */
// Methods such as tensor.toFloat() and their types; the full @tensorflow/tfjs imports it too.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';
