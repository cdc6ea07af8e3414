/**
 * Every error the training core throws. `code` is stable and machine-readable; `message` says
 * what happened and what to do.
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
  | 'invalid-image';

/** Thrown by the core and the data pipeline; the element re-emits it as a `failed` event. */
export class ClassifierError extends Error {
  override name = 'ClassifierError';
  constructor(
    readonly code: ClassifierErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const reason = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));

export const errors = {
  modelLoadFailed: (url: string, cause: unknown) =>
    new ClassifierError(
      'model-load-failed',
      `Could not load the base model from ${url} (${reason(cause)}). Check the base-model, models-path and model-url attributes, and that the model.json and its weight files are reachable there.`,
      { cause },
    ),
  backendUnavailable: (backend: string) =>
    new ClassifierError(
      'backend-unavailable',
      `The TensorFlow.js backend "${backend}" is not available in this browser. Use backend="auto" to pick one that works.`,
    ),
  tooFewLabels: (labels: string[]) =>
    new ClassifierError(
      'too-few-labels',
      `Found ${labels.length === 0 ? 'no labels' : `only the label "${labels[0]}"`}; training needs images for at least two labels. Put each label's images in a folder named after the label.`,
    ),
  noImages: () =>
    new ClassifierError('no-images', 'None of the files could be used as a training image; see the skipped files for the reasons.'),
  noLabelFile: () =>
    new ClassifierError('no-label-file', 'Layout "csv" needs a .csv or .tsv file with file,label rows among the files given.'),
  notTrained: () =>
    new ClassifierError('not-trained', 'There is no trained model yet. Train on a folder of labelled images first.'),
  busy: (activity: 'training' | 'loading' = 'training') =>
    new ClassifierError(
      'busy',
      `${activity === 'training' ? 'Training is' : 'A saved model is still loading, so that is'} already running. Wait for it to finish, or abort it first.`,
    ),
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
  invalidOption: (name: string, value: unknown, expected: string) =>
    new ClassifierError(
      'invalid-option',
      // NaN: an attribute such as epochs="abc", which the element's number conversion turned into NaN.
      `The option ${name} is ${Number.isNaN(value) ? 'not a number' : typeof value === 'string' ? JSON.stringify(value) : String(value)}; it must be ${expected}.`,
    ),
  invalidImage: (source: string, cause: unknown) =>
    new ClassifierError('invalid-image', `Could not read the image ${source}: ${reason(cause)}`, { cause }),
};
