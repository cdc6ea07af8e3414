// The messages between `WorkerPipeline` (the page) and `trainer.worker.ts` (the Web Worker that
// owns the model). Types only: everything here is structured-cloneable.
import type { ClassifierErrorCode } from '../core/errors.js';
import type { FileWithPath } from '../io/dataset.js';
import type { DataLoadedDetail, LoadedModel, LoadOptions, MemoryInfo, PredictedDetail, Progress, TrainedDetail, TrainerOptions } from '../types.js';

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

/**
 * Each request the worker answers: what it is posted with (`args`) and what it resolves with
 * (`result`). Both sides are typed from this map, so a wrong argument or result does not compile.
 */
export interface Requests {
  /** Trains on the files posted ahead for its id (`files` messages) followed by `files`. */
  train: { args: { files: FileWithPath[]; options: PostedTrainOptions }; result: TrainedDetail };
  load: { args: { source: string | File[]; options: LoadOptions }; result: LoadedModel };
  predict: { args: { input: PostedImage; source: string }; result: PredictedDetail };
  save: { args: { destination?: string }; result: File[] };
  memory: { args: Record<string, never>; result: MemoryInfo };
  /** Frees everything once the requests in flight have settled; answered with `tf.memory()` after. */
  dispose: { args: Record<string, never>; result: MemoryInfo };
}

export type RequestType = keyof Requests;

/** A request of type `K` as posted, with the id its answer carries. */
export type Request<K extends RequestType> = { type: K; id: number } & Requests[K]['args'];

/** Page → worker. Each request of `Requests` is answered once, by `result` or `error` with its `id`. */
export type WorkerRequest =
  | { [K in RequestType]: Request<K> }[RequestType]
  /**
   * Files of the `train` request `id`, posted ahead in slices, one task apart: cloning a File for
   * postMessage costs the page ~0.3 ms, so 2,062 photos in one message held its main thread 0.6 s.
   */
  | { type: 'files'; id: number; files: FileWithPath[] }
  /** The page aborted request `target` (a `train` or `load`); files posted ahead for it are dropped. */
  | { type: 'abort'; target: number };

/**
 * An error as posted: a `ClassifierError`'s code, or another error's name; its message; and its
 * `cause`, posted the same way (a cause that is not an `Error` becomes its text).
 */
export interface PostedError {
  code?: ClassifierErrorCode;
  name: string;
  message: string;
  cause?: PostedError;
}

/** Worker → page. `labels` in answers: the worker's pipeline's labels after the request. */
export type WorkerMessage =
  /** Posted once, after TensorFlow.js and the pipeline have loaded: the worker can take requests. */
  | { type: 'ready' }
  | { type: 'data-loaded'; id: number; detail: DataLoadedDetail }
  | { type: 'progress'; id: number; progress: Progress }
  | { [K in RequestType]: { type: 'result'; id: number; request: K; value: Requests[K]['result']; labels: string[] } }[RequestType]
  | { type: 'error'; id: number; error: PostedError; labels: string[] };
