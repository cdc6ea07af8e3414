import type { ClassifierErrorCode } from '../core/errors.js';

/**
 * Every user-visible text of `<ml-classifier>`. Set the element's `strings` property to a partial
 * object to replace any of them (for another language, or other wording); the rest stay English.
 * Numbers and percentages arrive already formatted with `Intl` in the page's language (the `lang`
 * of the element's closest ancestor that has one).
 */
export interface Strings {
  /** The training drop zone's text (the `empty-state` slot replaces it). */
  dropTraining: string;
  chooseFolder: string;
  chooseFiles: string;
  openModel: string;
  /** The summary of the training drop zone's disclosure of settings (base model, epochs, augmentation). */
  advanced: string;
  /** Label of the base-model list. */
  baseModel: string;
  /**
   * One entry of the base-model list: its short name (`MobileNet v2 0.35 224`), its download in MB
   * (one decimal, formatted), {@link slowerThanReference}/{@link fasterThanReference}/{@link referenceSpeed},
   * and whether it is the base used when none is chosen.
   */
  baseModelOption: (name: string, megabytes: string, speed: string, isDefault: boolean) => string;
  /** Speed hint of a base slower than MobileNet v1 0.25: `times` its time per image (e.g. `1.7`). */
  slowerThanReference: (times: string) => string;
  /** Speed hint of a base faster than MobileNet v1 0.25: `times` as fast (e.g. `5`). */
  fasterThanReference: (times: string) => string;
  /** Speed hint of MobileNet v1 0.25 itself, the one the others are compared with. */
  referenceSpeed: string;
  /** The base-model list's entry for a `model-url` that is none of the listed bases. */
  customBaseModel: (url: string) => string;
  /** Label of the epochs field. */
  epochsSetting: string;
  /** Label of the augmentation choice (`augment`: extra altered copies of each training image). */
  augment: string;
  /** The augmentation choice's entry for 0. */
  augmentOff: string;
  /** Its entry for 1-4 extra copies per image. */
  augmentCopies: (count: string) => string;
  dropClassify: string;
  chooseImages: string;
  startCamera: string;
  stopCamera: string;
  startingCamera: string;
  camera: string;
  stop: string;
  saveModel: string;
  classifying: string;
  resultsLabel: string;
  classifyLabel: string;
  loadingModel: string;
  reading: string;
  training: string;
  /** Reading progress: images with activations so far. */
  imagesDone: (done: string, total: string) => string;
  /** Training progress: epochs finished. */
  epochsDone: (done: string, total: string) => string;
  /** The last epoch's figures during training. */
  lastEpoch: (loss: string, accuracy: string) => string;
  /** Announced when training ends. */
  trainedAnnouncement: (accuracy: string, validationAccuracy: string | null) => string;
  trainingAccuracy: (accuracy: string, correct: string, total: string) => string;
  validationAccuracy: (accuracy: string, correct: string, total: string) => string;
  noValidation: string;
  backendAndTime: (backend: string, seconds: string) => string;
  loadedModel: (name: string, source: string, labels: string[]) => string;
  savedWith: (timeStamp: string, tfjsVersion: string, tmVersion?: string) => string;
  /** Files given to load a model that are not part of it. */
  ignoredFiles: (names: string) => string;
  imagesPerLabel: string;
  label: string;
  trainingImages: string;
  validationImages: string;
  /** `count` formatted; `n` the number, for plural forms (`Intl.PluralRules`). */
  skipped: (count: string, n: number) => string;
  /** Hidden and system files left out (`.DS_Store`, ...): `count` formatted, `n` the number, `paths` their paths. */
  ignoredSystemFiles: (count: string, n: number, paths: string) => string;
  lossTitle: string;
  accuracyTitle: string;
  trainingSeries: string;
  validationSeries: string;
  epoch: string;
  lastEpochAxis: (epochs: string) => string;
  /** The accessible name of a plot: its title and the latest values. */
  plotSummary: (title: string, epoch: string, epochs: string, values: string) => string;
  perEpochTable: string;
  loss: string;
  accuracy: string;
  validationLoss: string;
  validationAccuracyHeader: string;
  perLabelCaption: string;
  correct: string;
  images: string;
  matrixCaption: string;
  /** A confusion-matrix cell: `count` images of `actual` predicted as `predicted`. */
  /** `count` formatted; `n` the number, for plural forms. */
  cell: (count: string, actual: string, predicted: string, n: number) => string;
  /** An error's text; `message` is the English one, naming the file and the reason. */
  error: (code: ClassifierErrorCode | 'unknown', message: string) => string;
}

/** The English texts. */
export const DEFAULT_STRINGS: Strings = {
  dropTraining: 'Drop a folder of labelled images here: one folder per label (optionally inside train and validation folders), images named label-1.jpg, or images with a CSV of file,label.',
  chooseFolder: 'Choose training folder',
  chooseFiles: 'Choose training files',
  openModel: 'Open saved model',
  advanced: 'Advanced',
  baseModel: 'Base model',
  baseModelOption: (name, megabytes, speed, isDefault) => `${name} · ${megabytes} MB · ${speed}${isDefault ? ' (default)' : ''}`,
  slowerThanReference: (times) => `about ${times}× the time of v1 0.25`,
  fasterThanReference: (times) => `${times}× faster than v1 0.25`,
  referenceSpeed: 'the original speed',
  customBaseModel: (url) => `Custom: ${url}`,
  epochsSetting: 'Epochs',
  augment: 'Augmented copies of each training image',
  augmentOff: 'none',
  augmentCopies: (count) => count,
  dropClassify: 'Drop or paste images here to classify them.',
  chooseImages: 'Choose images to classify',
  startCamera: 'Start camera',
  stopCamera: 'Stop camera',
  startingCamera: 'Starting the camera…',
  camera: 'Camera',
  stop: 'Stop',
  saveModel: 'Save model',
  classifying: 'Classifying…',
  resultsLabel: 'Results',
  classifyLabel: 'Classify images',
  loadingModel: 'Loading the base model',
  reading: 'Reading images and computing activations',
  training: 'Training',
  imagesDone: (done, total) => `${done} of ${total} images`,
  epochsDone: (done, total) => `epoch ${done} of ${total}`,
  lastEpoch: (loss, accuracy) => `loss ${loss} · accuracy ${accuracy}`,
  trainedAnnouncement: (accuracy, validation) => `Training finished: training accuracy ${accuracy}${validation === null ? '' : `, validation accuracy ${validation}`}.`,
  trainingAccuracy: (accuracy, correct, total) => `Training accuracy ${accuracy} (${correct} of ${total})`,
  validationAccuracy: (accuracy, correct, total) => `validation accuracy ${accuracy} (${correct} of ${total})`,
  noValidation: 'no validation images',
  backendAndTime: (backend, seconds) => `Backend ${backend} · ${seconds} s`,
  loadedModel: (name, source, labels) => `Loaded model ${name} (${source}) with ${labels.length} labels: ${labels.join(', ')}.`,
  savedWith: (timeStamp, tfjs, tm) => `Saved ${timeStamp} with TensorFlow.js ${tfjs}${tm ? ` by Teachable Machine ${tm}` : ''}.`,
  ignoredFiles: (names) => `Not part of the model, so not used: ${names}.`,
  imagesPerLabel: 'Images per label',
  label: 'Label',
  trainingImages: 'Training images',
  validationImages: 'Validation images',
  skipped: (count, n) => `${count} ${englishPlural(n, 'file', 'files')} skipped`,
  ignoredSystemFiles: (count, n, paths) => `${count} hidden or system ${englishPlural(n, 'file', 'files')} left out: ${paths}`,
  lossTitle: 'Loss',
  accuracyTitle: 'Accuracy',
  trainingSeries: 'training',
  validationSeries: 'validation',
  epoch: 'Epoch',
  lastEpochAxis: (epochs) => `epoch ${epochs}`,
  plotSummary: (title, epoch, epochs, values) => `${title} after epoch ${epoch} of ${epochs}: ${values}`,
  perEpochTable: 'Loss and accuracy per epoch (table)',
  loss: 'Loss',
  accuracy: 'Accuracy',
  validationLoss: 'Validation loss',
  validationAccuracyHeader: 'Validation accuracy',
  perLabelCaption: 'Validation accuracy per label',
  correct: 'Correct',
  images: 'Images',
  matrixCaption: 'Confusion matrix on the validation images: rows are the true labels, columns the predicted ones. Select a number to see those images.',
  cell: (count, actual, predicted, n) => `${count} ${englishPlural(n, 'image', 'images')} of “${actual}” predicted as “${predicted}”`,
  error: (_code, message) => message,
};

const englishPlurals = new Intl.PluralRules('en');

/** The English word for `n` things: `one` or `other` (`Intl.PluralRules`). */
function englishPlural(n: number, one: string, other: string): string {
  return englishPlurals.select(n) === 'one' ? one : other;
}

/** Number formats in one language: counts, percentages (0-1 in), and fixed decimals. */
export interface Formats {
  count: (value: number) => string;
  percent: (value: number) => string;
  decimal: (value: number, digits: number) => string;
}

const formatsByLang = new Map<string | undefined, Formats>();

/**
 * {@link Formats} for a BCP 47 language tag (undefined: the browser's language). Made once per
 * language: the element formats numbers on every render, and `Intl.NumberFormat` is costly to build.
 */
export function formats(lang: string | undefined): Formats {
  let known = formatsByLang.get(lang);
  if (!known) {
    const count = new Intl.NumberFormat(lang);
    const percent = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 });
    const decimals = new Map<number, Intl.NumberFormat>();
    const decimal = (digits: number) => {
      if (!decimals.has(digits)) decimals.set(digits, new Intl.NumberFormat(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits }));
      return decimals.get(digits)!;
    };
    known = { count: (v) => count.format(v), percent: (v) => percent.format(v), decimal: (v, digits) => decimal(digits).format(v) };
    formatsByLang.set(lang, known);
  }
  return known;
}
