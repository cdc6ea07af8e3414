/**
 * Entry point: importing this module defines `<ml-classifier>`. Also exports the element class,
 * the event classes, the UI-free `Trainer` (in-page) and `RemoteTrainer` (the same API with the
 * model in a Web Worker), and the training core for scripts and workers.
 */
export { MlClassifier, type Status } from './elements/ml-classifier.js';
export { DEFAULT_STRINGS, formats, type Formats, type Strings } from './elements/strings.js';
export * from './events.js';
export * from './trainer.js';
export type { MemoryInfo, Thread, TrainerApi, TrainHooks } from './trainer-api.js';
export { RemoteTrainer, WORKER_START_TIMEOUT_MS } from './worker/remote-trainer.js';
export { Classifier, DEFAULT_TRAIN_OPTIONS, POOLED_TRAIN_DEFAULTS, disposeLayersModel, type Activations, type EpochLogs, type LabeledActivations, type Prediction, type Score, type TrainingHistory, type TrainingResult, type TrainOptions } from './core/classifier.js';
export { ClassifierError, type ClassifierErrorCode } from './core/errors.js';
export { CUT_LAYER, DEFAULT_MODEL_URL, loadMobileNet, type FeatureExtractor, type Pooling } from './core/feature-extractor.js';
export { confusionMatrix, perLabelAccuracy } from './core/metrics.js';
export { baseModelCacheKey, clearBaseModelCache } from './core/model-cache.js';
export { loadModelWithMetadata, modelFiles, modelMetadata, type MetadataInfo, type ModelMetadata } from './core/model-io.js';
export { INPUT_SIZE, preprocess, type ImageInput } from './core/preprocess.js';
export { selectBackend, type BackendPreference } from './core/backend.js';
export { organizeFiles, countLabels, labelFromFileName, DEFAULT_ORGANIZE_OPTIONS, type Layout, type OrganizeOptions, type Dataset, type Example, type FileWithPath, type LabelCounts, type SkippedFile } from './io/dataset.js';
export { BACKGROUND, decodeImage } from './io/decode.js';
export { readDrop } from './io/drop.js';
