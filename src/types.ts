// The types every layer shares: what a run is told and reports, and the contract the element
// holds its engine by. Types only: importing this module loads nothing.
import type * as tf from './core/tf.js';
import type { BackendPreference } from './core/backend.js';
import type { BaseModelId, InputRange, Pooling } from './core/base-models.js';
import type { Prediction, TrainingHistory } from './core/classifier.js';
import type { TrainOptions } from './core/train-options.js';
import type { BaseModelInfo } from './core/feature-extractor.js';
import type { ModelMetadata } from './core/model-io.js';
import type { FileWithPath, LabelCounts, OrganizeOptions, SkippedFile } from './io/dataset.js';

/** The phases of a training run, in order. */
export type Phase = 'loading-model' | 'reading' | 'training';

/**
 * Where a run is. In `reading`, images are decoded and turned into activations as they arrive
 * (in batches of 32): `done` of `total` images are read (decoded or skipped; with `augment`,
 * `total` counts the copies), reported per image at most every 100 ms. In `training`, `done` of
 * `total` epochs are finished and `loss`/`accuracy` (0-1) are the last epoch's.
 */
export interface Progress {
  phase: Phase;
  done: number;
  total: number;
  loss?: number;
  accuracy?: number;
  validationLoss?: number;
  validationAccuracy?: number;
}

/** The `data-loaded` event's detail: what was found in the files, before any model work. */
export interface DataLoadedDetail {
  labels: string[];
  counts: LabelCounts;
  /** Every file not used, with the reason. */
  skipped: SkippedFile[];
  /** Hidden and system files left out without a reason (`.DS_Store`, `Thumbs.db`, `._x.jpg`, ...), by path. */
  ignored: string[];
}

/** One validation image and what the trained model made of it. */
export interface ValidationImage {
  /** The file's path, as in `skipped` and the folder given. */
  path: string;
  /** Its true label. */
  label: string;
  /** The label the model gives it (highest softmax probability). */
  predicted: string;
}

/** The `trained` event's detail (accuracies 0-1). */
export interface TrainedDetail {
  /** Label names, sorted; the order of `scores` in the head's outputs. */
  labels: string[];
  /** Accuracy of the trained head on the training images (with `augment`, their copies too): correct / rows. */
  accuracy: number;
  /** Accuracy on the validation images, or null when there were none. */
  validationAccuracy: number | null;
  /**
   * Confusion matrix on the validation images, `[labels.length, labels.length]`:
   * `confusionMatrix[actual][predicted]` images, rows and columns in `labels` order; all zeros
   * without validation images.
   */
  confusionMatrix: number[][];
  /** Every validation image with its true and predicted label (what the matrix counts). */
  validation: ValidationImage[];
  /** Images used per label and split (skipped files not counted). */
  counts: LabelCounts;
  history: TrainingHistory;
  /** TensorFlow.js backend that ran: `webgl`, `wasm` or `cpu`. */
  backend: string;
  /** The base network the head was trained on: registry name (or `custom`), URL, cut, input size and range, pooling. */
  baseModel: BaseModelInfo;
  /** From files handed over to the end of training, in ms. */
  durationMs: number;
  /** Milliseconds spent in each phase. */
  phaseMs: Record<Phase, number>;
  /** Every file not used, with the reason. */
  skipped: SkippedFile[];
  /** Hidden and system files left out (see `DataLoadedDetail.ignored`), by path. */
  ignored: string[];
}

/** The `predicted` event's detail. */
export interface PredictedDetail extends Prediction {
  /** The image's path or file name, or a description of the element or tensor given. */
  source: string;
}

/** Everything a run can be told: the base model, the backend, the split, augmentation and the head's training options. */
export interface TrainerOptions extends TrainOptions, OrganizeOptions {
  /**
   * The base network, a name from `BASE_MODELS`. Unset: `DEFAULT_BASE_MODEL`, or, when only
   * `modelUrl` is set, the base recognised from that model (see `BaseModelSource.id`).
   */
  baseModel?: BaseModelId;
  /**
   * Folder URL holding every base's folder (`BASE_MODELS[id].folder`), for self-hosting: a base
   * then loads from `<modelsPath><folder>/model.json`. Unset: the public URLs.
   */
  modelsPath?: string;
  /** `model.json` URL of the base (layers or graph model), overriding the one `baseModel` and `modelsPath` give. */
  modelUrl?: string;
  /** Layer or graph node to cut a `modelUrl` base at; default: the registry's or the recognised one. */
  cutLayer?: string;
  /** Pixel range a `modelUrl` base expects, `[-1, 1]` or `[0, 1]`; default: the registry's, else by format. */
  inputRange?: InputRange;
  /** What the head trains on (see `Pooling`); unset: the base's own default (`BASE_MODELS[id].pooling`). */
  pooling?: Pooling;
  /**
   * Augmented copies of each training image (see `AUGMENTATION`), whose activations train the
   * head along with the original's; never applied to validation images. Integer 0-16; 0 (default) is off.
   */
  augment?: number;
  backend?: BackendPreference;
  /** Folder holding the `.wasm` files of `@tensorflow/tfjs-backend-wasm`. */
  wasmPath?: string;
}

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

/** How a saved model is loaded: the backend to run it on. */
export type LoadOptions = Pick<TrainerOptions, 'backend' | 'wasmPath'>;

/** What `load()` resolves with. */
export interface LoadedModel {
  /** The saved `metadata.json` (labels in output order). */
  metadata: ModelMetadata;
  /** Names of files given that are not part of the model and were not used. */
  ignored: string[];
}

/** What a run is doing: `training`, or `loading` a saved model. */
export type Activity = 'training' | 'loading';

/**
 * What `Trainer` (in the page) and `RemoteTrainer` (in a Web Worker) both do, being both an
 * `Engine`; see `Engine` for each method's errors. `labels`, `busy` and `busyWith` answer at once,
 * whichever thread runs the model.
 */
export interface TrainerApi {
  /** Where the model runs, once known (the engine has started); undefined before. */
  readonly thread: Thread | undefined;
  /** Label names of the last trained or loaded model (empty before). */
  readonly labels: string[];
  /** True while a run or a load is in progress. */
  readonly busy: boolean;
  /** What is in progress: `training`, `loading` (a saved model), or undefined. */
  readonly busyWith: Activity | undefined;
  /** Makes the model's pipeline now (a worker starts, or the in-page one loads); `train()` and `load()` do it themselves. */
  start(): Promise<void>;
  train(files: FileWithPath[], options?: TrainerOptions, hooks?: TrainHooks): Promise<TrainedDetail>;
  predict(input: ImageBitmapSource | tf.Tensor3D, source?: string): Promise<PredictedDetail>;
  save(destination?: string): Promise<File[]>;
  load(source: string | readonly File[], options?: LoadOptions): Promise<LoadedModel>;
  abort(): void;
  dispose(): void;
  /** TensorFlow.js memory where the model runs (`tf.memory()` there). */
  memory(): Promise<MemoryInfo>;
}
