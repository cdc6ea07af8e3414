// The element's engine: the model in a worker where one starts, else in the page.
import { messageOf } from '../core/errors.js';
import type { Thread } from '../types.js';
import { Engine } from './engine.js';
import { WorkerPipeline } from './worker-pipeline.js';

/** Whether this browser can run the model in a worker: module workers with `OffscreenCanvas` (for decoding there). */
export function workersAvailable(): boolean {
  return typeof Worker !== 'undefined' && typeof OffscreenCanvas !== 'undefined';
}

/** Where `createEngine` means the model to run, before it has started: `main` with `mainThread` or without worker support. */
export function intendedThread(mainThread: boolean): Thread {
  return mainThread || !workersAvailable() ? 'main' : 'worker';
}

/**
 * An engine whose pipeline runs in a worker of its own (started on the first `train()`/`load()`),
 * or in the page (its TensorFlow.js loaded only then, with `import()`) with `mainThread`, without
 * worker support, or when the worker cannot start (a warning in the console says why).
 */
export function createEngine({ mainThread }: { mainThread: boolean }): Engine {
  return new Engine(async () => {
    if (intendedThread(mainThread) === 'worker') {
      try {
        return await WorkerPipeline.start();
      } catch (error) {
        console.warn(`<ml-classifier>: ${messageOf(error)} Running on the main thread.`);
      }
    }
    const { Pipeline } = await import('./pipeline.js');
    return new Pipeline();
  });
}
