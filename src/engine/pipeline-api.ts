// What an `Engine` delegates the work of a run to: a `Pipeline` in this thread or a
// `WorkerPipeline` in a Web Worker. Types only.
import type * as tf from '../core/tf.js';
import type { FileWithPath } from '../io/dataset.js';
import type { LoadedModel, LoadOptions, MemoryInfo, PredictedDetail, Thread, TrainedDetail, TrainerOptions, TrainHooks } from '../types.js';

/** A run's hooks as the engine passes them: always with the run's signal. */
export interface RunHooks extends TrainHooks {
  signal: AbortSignal;
}

/**
 * The work of a model with no run state: the `Engine` that owns it decides what is busy, runs one
 * `train()` or `load()` at a time and aborts them through the signal it passes. Errors are
 * `ClassifierError`s (see `Engine` for each method's).
 */
export interface PipelineApi {
  /** Where the model runs. */
  readonly thread: Thread;
  /** Label names of the last trained or loaded model (empty before). */
  readonly labels: string[];
  train(files: FileWithPath[], options: TrainerOptions, hooks: RunHooks): Promise<TrainedDetail>;
  load(source: string | readonly File[], options: LoadOptions, signal: AbortSignal): Promise<LoadedModel>;
  predict(input: ImageBitmapSource | tf.Tensor3D, source?: string): Promise<PredictedDetail>;
  save(destination?: string): Promise<File[]>;
  /** TensorFlow.js memory where the model runs (`tf.memory()` there). */
  memory(): Promise<MemoryInfo>;
  /** Frees every tensor (a worker: and ends it) once the requests in flight have settled; resolves with the memory left there. */
  dispose(): Promise<MemoryInfo>;
}
