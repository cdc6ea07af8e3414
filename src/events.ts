import type { ClassifierErrorCode } from './core/errors.js';
import type { ModelMetadata } from './core/model-io.js';
import type { DataLoadedDetail, Phase, PredictedDetail, Progress, TrainedDetail } from './types.js';

/** Detail of the `failed` event. */
export interface FailedDetail {
  /** Machine-readable cause, see `ClassifierError`; `unknown` for anything unexpected. */
  code: ClassifierErrorCode | 'unknown';
  /** What happened and what to do, in English. */
  message: string;
  /** What was being done: a training phase, `predict`, `save`, `load` (a saved model) or `webcam`. */
  during: Phase | 'predict' | 'save' | 'load' | 'webcam';
  /** The file or source involved, when there is one. */
  source?: string;
}

/** Base of the element's events: `bubbles` and `composed`, so framework code can listen anywhere above. */
class ClassifierEvent<T> extends CustomEvent<T> {
  constructor(type: string, detail: T) {
    super(type, { detail, bubbles: true, composed: true });
  }
}

/** `trained`: a run finished; `detail` has accuracies, counts, history, backend, timings and skipped files. */
export class TrainedEvent extends ClassifierEvent<TrainedDetail> {
  constructor(detail: TrainedDetail) {
    super('trained', detail);
  }
}

/** `predicted`: one image was classified; `detail.scores` lists every label, highest first. */
export class PredictedEvent extends ClassifierEvent<PredictedDetail> {
  constructor(detail: PredictedDetail) {
    super('predicted', detail);
  }
}

/** `data-loaded`: the files were sorted into labels (before any model work); counts and skipped files. */
export class DataLoadedEvent extends ClassifierEvent<DataLoadedDetail> {
  constructor(detail: DataLoadedDetail) {
    super('data-loaded', detail);
  }
}

/** `progress-changed`: a phase advanced (model loading, reading n of N, epoch n of N). */
export class ProgressChangedEvent extends ClassifierEvent<Progress> {
  constructor(detail: Progress) {
    super('progress-changed', detail);
  }
}

/** Detail of the `model-loaded` event. */
export interface ModelLoadedDetail {
  /** The URL or the file names it was loaded from. */
  source: string;
  /** Label names in the order of the model's outputs. */
  labels: string[];
  /** The saved `metadata.json` (Teachable Machine's fields, plus preprocessing and base model for ours). */
  metadata: ModelMetadata;
  /** Names of files given to `load()` that are not part of the model and were not used. */
  ignored: string[];
}

/** `model-loaded`: a saved model (ours or Teachable Machine's) loaded from `src` or `load()`; the element now classifies with it. */
export class ModelLoadedEvent extends ClassifierEvent<ModelLoadedDetail> {
  constructor(detail: ModelLoadedDetail) {
    super('model-loaded', detail);
  }
}

/** `failed`: training, a prediction, saving, loading or the camera failed; the element shows the message too (except for a prediction, shown beside its image). */
export class FailedEvent extends ClassifierEvent<FailedDetail> {
  constructor(detail: FailedDetail) {
    super('failed', detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    trained: TrainedEvent;
    predicted: PredictedEvent;
    'data-loaded': DataLoadedEvent;
    'progress-changed': ProgressChangedEvent;
    'model-loaded': ModelLoadedEvent;
    failed: FailedEvent;
  }
}
