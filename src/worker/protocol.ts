// The messages between `RemoteTrainer` (the page) and `trainer.worker.ts` (the Web Worker that
// owns the model). Types only: everything here is structured-cloneable.
import type { ClassifierErrorCode } from '../core/errors.js';
import type { ModelMetadata } from '../core/model-io.js';
import type { FileWithPath } from '../io/dataset.js';
import type { MemoryInfo } from '../trainer-api.js';
import type { DataLoadedDetail, PredictedDetail, Progress, TrainedDetail, TrainerOptions } from '../trainer.js';

/**
 * `TrainerOptions` as posted: URLs already absolute (resolved against the page), and the `flat`
 * layout's rule, a function that cannot be posted, replaced by its answers for the file names given.
 */
export interface PostedTrainOptions extends Omit<TrainerOptions, 'labelFromFileName'> {
  /** File name → label as the page's `labelFromFileName` gave it, or the message it threw. */
  fileLabels?: Record<string, { label: string } | { error: string }>;
}

/** A tensor as posted: its values (a copy), shape and dtype. */
export interface PostedTensor {
  shape: number[];
  dtype: string;
  data: Float32Array | Int32Array | Uint8Array;
}

/**
 * An image to classify as posted: a `Blob`/`File`, `ImageBitmap` or `ImageData` (cloned or, for
 * bitmaps made from an element, transferred), a tensor's values, or the reason the page could not
 * read the element given (`createImageBitmap` refused it), reported by the worker as `invalid-image`.
 */
export type PostedImage = Blob | ImageBitmap | ImageData | { tensor: PostedTensor } | { unreadable: { name: string; message: string } };

/** Page → worker. Each request but `abort` is answered once, by `result` or `error` with its `id`. */
export type WorkerRequest =
  /**
   * Files of the `train` request `id`, posted ahead in slices, one task apart: cloning a File for
   * postMessage costs the page ~0.3 ms, so 2,062 photos in one message held its main thread 0.6 s.
   */
  | { type: 'files'; id: number; files: FileWithPath[] }
  /** Trains on the files posted ahead for `id` followed by `files`. */
  | { type: 'train'; id: number; files: FileWithPath[]; options: PostedTrainOptions }
  | { type: 'predict'; id: number; input: PostedImage; source: string }
  | { type: 'save'; id: number; destination?: string }
  | { type: 'load'; id: number; source: string | File[]; options: Pick<TrainerOptions, 'backend' | 'wasmPath'> }
  | { type: 'memory'; id: number }
  /** Frees everything once the requests in flight have settled; answered with `tf.memory()` after. */
  | { type: 'dispose'; id: number }
  /** Aborts the run in progress (`train` or `load`); with `target`, only if it is that request. */
  | { type: 'abort'; target?: number };

/** What each request resolves with. */
export interface WorkerResults {
  train: TrainedDetail;
  predict: PredictedDetail;
  save: File[];
  load: { metadata: ModelMetadata; ignored: string[] };
  memory: MemoryInfo;
  dispose: MemoryInfo;
}

/** An error as posted: a `ClassifierError`'s code and message, or another error's name and message. */
export interface PostedError {
  code?: ClassifierErrorCode;
  name: string;
  message: string;
}

/** Worker → page. `labels` in answers: the worker's `Trainer.labels` after the request. */
export type WorkerMessage =
  /** Posted once, after TensorFlow.js and the trainer have loaded: the worker can take requests. */
  | { type: 'ready' }
  | { type: 'data-loaded'; id: number; detail: DataLoadedDetail }
  | { type: 'progress'; id: number; progress: Progress }
  | { type: 'result'; id: number; value: unknown; labels: string[] }
  | { type: 'error'; id: number; error: PostedError; labels: string[] };
