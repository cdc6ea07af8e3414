// The contract the element holds its engine by, with no TensorFlow.js at run time (type imports
// only): the in-page `Trainer` and the worker-backed `RemoteTrainer` both implement it.
import type * as tf from './core/tf.js';
import type { ModelMetadata } from './core/model-io.js';
import type { FileWithPath } from './io/dataset.js';
import type { DataLoadedDetail, PredictedDetail, Progress, TrainedDetail, TrainerOptions } from './trainer.js';

/** TensorFlow.js memory: `tf.memory()`'s tensor count and the bytes their data holds. */
export interface MemoryInfo {
  /** Tensors alive (`tf.memory().numTensors`). */
  numTensors: number;
  /** Bytes held by their data (`tf.memory().numBytes`). */
  numBytes: number;
}

/** Where a model runs: in a Web Worker, or in the page (the main thread). */
export type Thread = 'worker' | 'main';

/** The hooks of a training run. */
export interface TrainHooks {
  /** Once the files are sorted into labels, before any model work. */
  onDataLoaded?: (detail: DataLoadedDetail) => void;
  /** As each phase advances. */
  onProgress?: (progress: Progress) => void;
  /** Aborts the run: `train()` rejects with `aborted`. */
  signal?: AbortSignal;
}

/**
 * What `Trainer` (in the page) and `RemoteTrainer` (in a Web Worker) both do; see `Trainer` for
 * each method's errors. `labels`, `busy` and `busyWith` answer at once, whichever thread runs the model.
 */
export interface TrainerApi {
  /** Label names of the last trained or loaded model (empty before). */
  readonly labels: string[];
  /** True while a run or a load is in progress. */
  readonly busy: boolean;
  /** What is in progress: `training`, `loading` (a saved model), or undefined. */
  readonly busyWith: 'training' | 'loading' | undefined;
  train(files: FileWithPath[], options?: TrainerOptions, hooks?: TrainHooks): Promise<TrainedDetail>;
  predict(input: ImageBitmapSource | tf.Tensor3D, source?: string): Promise<PredictedDetail>;
  save(destination?: string): Promise<File[]>;
  load(source: string | readonly File[], options?: Pick<TrainerOptions, 'backend' | 'wasmPath'>): Promise<{ metadata: ModelMetadata; ignored: string[] }>;
  abort(): void;
  dispose(): void;
  /** TensorFlow.js memory where the model runs (`tf.memory()` there). */
  memory(): Promise<MemoryInfo>;
}

/** How a `predict()` input is named in results and errors: a file's path or name, an image's URL, else its kind. */
export function describeInput(input: unknown): string {
  if (input instanceof File) return input.webkitRelativePath || input.name;
  if (input instanceof Blob) return `blob (${input.type || 'unknown type'})`;
  if (typeof HTMLImageElement !== 'undefined' && input instanceof HTMLImageElement) return input.currentSrc || input.src || 'img';
  return (input as object)?.constructor?.name ?? 'image';
}

/**
 * A tfjs tensor, recognised without importing tfjs: also one of another TensorFlow.js copy (a page
 * with its own tfjs beside the bundle), which `instanceof tf.Tensor` would not recognise.
 */
export function isTensor(input: unknown): input is tf.Tensor {
  const t = input as Partial<tf.Tensor> | null;
  return typeof t === 'object' && t !== null && Array.isArray(t.shape) && typeof t.dtype === 'string' && typeof t.data === 'function';
}
