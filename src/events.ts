import type { ClassifierErrorCode } from './core/errors.js';
import type { DataLoadedDetail, Phase, PredictedDetail, Progress, TrainedDetail } from './trainer.js';

/** Detail of the `failed` event. */
export interface FailedDetail {
  /** Machine-readable cause, see `ClassifierError`; `unknown` for anything unexpected. */
  code: ClassifierErrorCode | 'unknown';
  /** What happened and what to do, in English. */
  message: string;
  /** What was being done: a training phase, or `predict`. */
  during: Phase | 'predict';
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

/** `failed`: training or prediction failed; the element shows the message too. */
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
    failed: FailedEvent;
  }
}
