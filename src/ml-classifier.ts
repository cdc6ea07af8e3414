/**
 * Entry point: importing this module defines `<ml-classifier>`. Also exports the element class,
 * the event classes, the UI-free `Trainer` (in-page) and `RemoteTrainer` (the same API with the
 * model in a Web Worker), both an `Engine`, and the training core for scripts and workers.
 */
export { MlClassifier, type Status } from './elements/ml-classifier.js';
export { DEFAULT_STRINGS, formats, type Formats, type Strings } from './elements/strings.js';
export * from './events.js';
export type * from './types.js';
export { Engine } from './engine/engine.js';
export { MAX_AUGMENT } from './engine/pipeline.js';
export { RemoteTrainer, Trainer } from './engine/trainer.js';
export { WORKER_START_TIMEOUT_MS } from './engine/worker-pipeline.js';
export { describeInput } from './io/inputs.js';
export {
  Classifier,
  DEFAULT_TRAIN_OPTIONS,
  POOLED_TRAIN_DEFAULTS,
  resolveTrainOptions,
  type Activations,
  type EpochLogs,
  type LabeledActivations,
  type Prediction,
  type Score,
  type TrainingHistory,
  type TrainingResult,
  type TrainOptions,
} from './core/classifier.js';
export { ClassifierError, type ClassifierErrorCode, type ErrorDetail } from './core/errors.js';
export { BASE_MODELS, DEFAULT_BASE_MODEL, baseModelUrl, isBaseModelId, type BaseModelId, type BaseModelSpec, type InputRange, type Pooling } from './core/base-models.js';
export { disposeLayersModel } from './core/dispose.js';
export { loadBaseModel, type BaseModelInfo, type BaseModelSource, type FeatureExtractor } from './core/feature-extractor.js';
export { AUGMENTATION, augmentImage, seededRandom, type AugmentRandom, type Pixels } from './core/augment.js';
export { confusionMatrix, perLabelAccuracy } from './core/metrics.js';
export { baseModelCacheKey, clearBaseModelCache } from './core/model-cache.js';
export { loadModelWithMetadata, metadataPreprocessing, modelFiles, modelMetadata, type MetadataInfo, type ModelMetadata } from './core/model-io.js';
export { RECIPE_PREPROCESSING, preprocess, preprocessBatch, type ImageInput, type Preprocessing } from './core/preprocess.js';
export { selectBackend, type BackendPreference } from './core/backend.js';
export {
  organizeFiles,
  countLabels,
  labelFromFileName,
  DEFAULT_ORGANIZE_OPTIONS,
  type Layout,
  type OrganizeOptions,
  type Dataset,
  type Example,
  type FileWithPath,
  type LabelCounts,
  type SkippedFile,
} from './io/dataset.js';
export { BACKGROUND, DEFAULT_DECODE_SIZE, decodeImage } from './io/decode.js';
export { imageToInput } from './io/model-input.js';
export { readDrop } from './io/drop.js';
