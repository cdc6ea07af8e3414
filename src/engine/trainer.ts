// The engines scripts use directly: the model in this thread, or in a Web Worker.
import type { MemoryInfo } from '../types.js';
import { Engine } from './engine.js';
import { Pipeline, threadMemory } from './pipeline.js';
import { WORKER_START_TIMEOUT_MS, WorkerPipeline } from './worker-pipeline.js';

/**
 * The engine under `<ml-classifier>`, without any UI, with the model in this thread: loads the
 * base model, reads files, computes activations, trains the head and predicts. See `Engine` for
 * each method; scripts can use it directly.
 */
export class Trainer extends Engine {
  constructor() {
    super(async () => new Pipeline());
  }

  /** TensorFlow.js memory in this thread (`tf.memory()`): the page's, shared with any other tfjs use there. */
  override async memory(): Promise<MemoryInfo> {
    await super.memory();
    return threadMemory();
  }
}

/**
 * `Trainer`'s API with the model in a Web Worker: decoding, activations, training and prediction
 * run off the page's main thread, so the page keeps responding during a run. One worker (and one
 * model) per instance, started on first `train()`/`load()` (or `start()`); `dispose()` frees the
 * model and ends the worker, and a later call starts a fresh one. Errors are `ClassifierError`s
 * with the same codes and messages as `Trainer`'s (and their `cause`); other errors keep their
 * name and message. See `WorkerPipeline` for what crosses to the worker.
 */
export class RemoteTrainer extends Engine {
  /**
   * @param workerUrl the worker module; default `trainer.worker.js` next to this module (where
   *   the build puts it; bundlers that follow `new Worker(new URL(..., import.meta.url))` find it).
   * @param startTimeoutMs how long the worker may take to start before it counts as failed, in ms.
   */
  constructor(workerUrl?: string | URL, startTimeoutMs = WORKER_START_TIMEOUT_MS) {
    super(() => WorkerPipeline.start(workerUrl, startTimeoutMs));
  }

  /**
   * Starts the worker (if not started yet) and waits until it has loaded TensorFlow.js. `train()`
   * and `load()` start it themselves; call this to start early or to learn whether workers work here.
   * @throws ClassifierError `worker-unavailable` when the worker cannot start (see `WorkerPipeline.start`).
   */
  override async start(): Promise<void> {
    await super.start();
  }
}
