/**
 * The `ml-classifier/engine` entry: the engine without the element, for scripts and workers. The
 * UI-free `Trainer` (in-page) and `RemoteTrainer` (the same API with the model in a Web Worker),
 * both an `Engine`; the training core (TensorFlow.js only, no DOM); and browser input.
 */
export type * from './types.js';
export { Engine } from './engine/engine.js';
export { RemoteTrainer, Trainer } from './engine/trainer.js';
export { WORKER_START_TIMEOUT_MS } from './engine/worker-pipeline.js';
export { describeInput } from './io/inputs.js';
export { Classifier, type Activations, type EpochLogs, type LabeledActivations, type Prediction, type Score, type TrainingHistory, type TrainingResult } from './core/classifier.js';
export { DEFAULT_TRAIN_OPTIONS, POOLED_TRAIN_DEFAULTS, resolveTrainOptions, type TrainOptions } from './core/train-options.js';
export { ClassifierError, type ClassifierErrorCode, type ErrorDetail } from './core/errors.js';
export { BASE_MODELS, DEFAULT_BASE_MODEL, baseModelUrl, isBaseModelId, type BaseModelId, type BaseModelSpec, type InputRange, type Pooling } from './core/base-models.js';
export { disposeLayersModel } from './core/dispose.js';
export { loadBaseModel, type BaseModelInfo, type BaseModelSource, type FeatureExtractor } from './core/feature-extractor.js';
export { AUGMENTATION, MAX_AUGMENT, augmentImage, seededRandom, type AugmentRandom, type Pixels } from './core/augment.js';
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
