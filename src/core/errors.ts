// Every error this project makes, in one place. The core and the engine speak of options
// (`learningRate`); `inAttributeWords` gives the element's wording (`learning-rate` attribute).

/**
 * Every error's code. `code` is stable and machine-readable; `message` says what happened and
 * what to do.
 */
export type ClassifierErrorCode =
  | 'model-load-failed'
  | 'backend-unavailable'
  | 'too-few-labels'
  | 'no-images'
  | 'no-label-file'
  | 'not-trained'
  | 'busy'
  | 'aborted'
  | 'diverged'
  | 'context-lost'
  | 'camera-unavailable'
  | 'invalid-option'
  | 'invalid-image'
  | 'unreadable-drop'
  | 'worker-unavailable';

/**
 * The figures an error's message was made from, for a layer above to say it in its own words:
 * `option`, `value` and `expected` of `invalid-option`; `url` and `reason` of a base's `model-load-failed`.
 */
export interface ErrorDetail {
  option?: string;
  value?: unknown;
  expected?: string;
  url?: string;
  reason?: string;
}

/** Thrown by the core, the input layer and the engine; the element re-emits it as a `failed` event. */
export class ClassifierError extends Error {
  override name = 'ClassifierError';
  /** What the message was made from (see `ErrorDetail`), where a layer above words it its own way. */
  readonly detail: ErrorDetail | undefined;
  constructor(
    readonly code: ClassifierErrorCode,
    message: string,
    options?: { cause?: unknown; detail?: ErrorDetail },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.detail = options?.detail;
  }
}

/** The message of anything thrown: an `Error`'s message, else its text. */
export function messageOf(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown);
}

/** The code of anything thrown: a `ClassifierError`'s, else `unknown`. */
export function codeOf(thrown: unknown): ClassifierErrorCode | 'unknown' {
  return thrown instanceof ClassifierError ? thrown.code : 'unknown';
}

/** An error as it crosses to another thread (structured-cloneable): code or name, message, detail and cause. */
export interface SerializedError {
  code?: ClassifierErrorCode;
  name: string;
  message: string;
  detail?: ErrorDetail;
  cause?: SerializedError;
}

/** `thrown` as it can be posted, its `cause` chain too (a few levels deep). */
export function serializeError(thrown: unknown, depth = 3): SerializedError {
  if (!(thrown instanceof Error)) return { name: 'Error', message: String(thrown) };
  const cause = thrown.cause !== undefined && depth > 0 ? serializeError(thrown.cause, depth - 1) : undefined;
  return {
    ...(thrown instanceof ClassifierError ? { code: thrown.code, detail: thrown.detail } : {}),
    name: thrown.name,
    message: thrown.message,
    ...(cause ? { cause } : {}),
  };
}

/**
 * The error `serializeError` posted, made again on this side: a `ClassifierError` with its code and
 * detail, else an `Error` with its name.
 */
export function deserializeError(posted: SerializedError): Error {
  const { message } = posted;
  const cause = posted.cause ? deserializeError(posted.cause) : undefined;
  if (posted.code) return new ClassifierError(posted.code, message, { cause, detail: posted.detail });
  return Object.assign(new Error(message, cause ? { cause } : undefined), { name: posted.name });
}

const reason = messageOf;

/** The attribute of `<ml-classifier>` each engine option is set by. */
const ATTRIBUTES: Record<string, string> = {
  baseModel: 'base-model',
  modelsPath: 'models-path',
  modelUrl: 'model-url',
  cutLayer: 'cut-layer',
  inputRange: 'input-range',
  batchSize: 'batch-size',
  learningRate: 'learning-rate',
  hiddenUnits: 'hidden-units',
  validationSplit: 'validation-split',
};

/**
 * `error` in the words of a page that sets `<ml-classifier>`'s attributes: an invalid option
 * named by its attribute, a base that failed to load pointing at the attributes that choose it.
 * Other errors are returned as they are.
 */
export function inAttributeWords(error: unknown): unknown {
  if (!(error instanceof ClassifierError) || !error.detail) return error;
  const { option, value, expected, url, reason } = error.detail;
  if (error.code === 'invalid-option' && option && expected) {
    return new ClassifierError('invalid-option', invalidOptionMessage(`attribute ${ATTRIBUTES[option] ?? option}`, value, expected), { cause: error.cause, detail: error.detail });
  }
  if (error.code === 'model-load-failed' && url && reason !== undefined) {
    return new ClassifierError('model-load-failed', baseLoadMessage(url, reason, 'the base-model, models-path and model-url attributes'), { cause: error.cause, detail: error.detail });
  }
  return error;
}

function invalidOptionMessage(what: string, value: unknown, expected: string): string {
  // NaN: an attribute such as epochs="abc", which the element's number conversion turned into NaN.
  return `The ${what} is ${Number.isNaN(value) ? 'not a number' : typeof value === 'string' ? JSON.stringify(value) : String(value)}; it must be ${expected}.`;
}

function baseLoadMessage(url: string, reason: string, settings: string): string {
  return `Could not load the base model from ${url} (${reason}). Check ${settings}, and that the model.json and its weight files are reachable there.`;
}

/** Makes each error, by what went wrong. */
export const errors = {
  modelLoadFailed: (url: string, cause: unknown) =>
    new ClassifierError('model-load-failed', baseLoadMessage(url, reason(cause), 'the baseModel, modelsPath and modelUrl options'), {
      cause,
      detail: { url, reason: reason(cause) },
    }),
  savedModelLoadFailed: (where: string, why: string, cause?: unknown) => new ClassifierError('model-load-failed', `Could not load the saved model from ${where}: ${why}`, { cause }),
  notAClassifier: (model: string, layers: string[]) =>
    new ClassifierError(
      'model-load-failed',
      `The saved model "${model}" is not a base network followed by a head (its layers are ${layers.join(', ')}); save it with ml-classifier or Teachable Machine.`,
    ),
  headWithoutBase: (model: string) => new ClassifierError('model-load-failed', `The saved model "${model}" holds a head only, and its metadata names no base model to load with it.`),
  unreadableDrop: () => new ClassifierError('unreadable-drop', 'This browser cannot read dropped folders. Use the "Choose training folder" button instead.'),
  workerUnavailable: (why: string) => new ClassifierError('worker-unavailable', `The training worker could not start: ${why.replace(/\.$/, '')}.`),
  backendUnavailable: (backend: string) =>
    new ClassifierError('backend-unavailable', `The TensorFlow.js backend "${backend}" is not available in this browser. Use backend="auto" to pick one that works.`),
  tooFewLabels: (labels: string[]) =>
    new ClassifierError(
      'too-few-labels',
      `Found ${labels.length === 0 ? 'no labels' : `only the label "${labels[0]}"`}; training needs images for at least two labels. Put each label's images in a folder named after the label.`,
    ),
  noImages: () => new ClassifierError('no-images', 'None of the files could be used as a training image; see the skipped files for the reasons.'),
  noLabelFile: () => new ClassifierError('no-label-file', 'Layout "csv" needs a .csv or .tsv file with file,label rows among the files given.'),
  notTrained: () => new ClassifierError('not-trained', 'There is no trained model yet. Train on a folder of labelled images first.'),
  busy: (activity: 'training' | 'loading' = 'training') =>
    new ClassifierError('busy', `${activity === 'training' ? 'Training is' : 'A saved model is still loading, so that is'} already running. Wait for it to finish, or abort it first.`),
  aborted: () => new ClassifierError('aborted', 'Training was aborted.'),
  diverged: (epoch: number) =>
    new ClassifierError(
      'diverged',
      `Training stopped at epoch ${epoch}: the loss or the weights became NaN or infinite. Check the images, or try a lower learning rate; the previous model (if any) is kept.`,
    ),
  contextLost: (backend: string) =>
    new ClassifierError(
      'context-lost',
      `The GPU's WebGL context was lost during training (a GPU reset, or the browser reclaimed GPU memory). The model was dropped and the ${backend} backend is ready: train again.`,
    ),
  cameraUnavailable: (cause: unknown) => {
    const name = cause instanceof Error ? cause.name : '';
    const why =
      name === 'NotAllowedError'
        ? 'camera access was not allowed. Allow it for this page in the browser (the camera icon in the address bar), then press Start camera again.'
        : name === 'NotFoundError' || name === 'OverconstrainedError'
          ? 'no camera was found. Connect one, then press Start camera again.'
          : name === 'NotReadableError'
            ? 'the camera is in use by another program or tab. Close it, then press Start camera again.'
            : `${reason(cause)}.`;
    return new ClassifierError('camera-unavailable', `Could not start the camera: ${why}`, { cause });
  },
  invalidOption: (option: string, value: unknown, expected: string) =>
    new ClassifierError('invalid-option', invalidOptionMessage(`option ${option}`, value, expected), { detail: { option, value, expected } }),
  invalidImage: (source: string, cause: unknown) => new ClassifierError('invalid-image', `Could not read the image ${source}: ${reason(cause)}`, { cause }),
};
