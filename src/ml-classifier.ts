/**
 * Entry point: importing this module defines `<ml-classifier>`. It exports the element class, its
 * event classes, texts and types, the base registry and the training defaults: nothing here loads
 * TensorFlow.js, which the element fetches on first use (see `MlClassifier.start`). The engine
 * for scripts (`Trainer`, `RemoteTrainer`, the training core) is the `ml-classifier/engine` entry.
 */
export { MlClassifier, type Status } from './elements/ml-classifier.js';
export { DEFAULT_STRINGS, formats, type Formats, type Strings } from './elements/strings.js';
export * from './events.js';
export type * from './types.js';
export { ClassifierError, type ClassifierErrorCode, type ErrorDetail } from './core/errors.js';
export { BASE_MODELS, DEFAULT_BASE_MODEL, baseModelUrl, isBaseModelId, type BaseModelId, type BaseModelSpec, type InputRange, type Pooling } from './core/base-models.js';
export { DEFAULT_TRAIN_OPTIONS, POOLED_TRAIN_DEFAULTS, resolveTrainOptions, type TrainOptions } from './core/train-options.js';
export { AUGMENTATION, MAX_AUGMENT } from './core/augment.js';
export { DEFAULT_ORGANIZE_OPTIONS, type Layout } from './io/dataset.js';
export type { BackendPreference } from './core/backend.js';
export type { ModelMetadata } from './core/model-io.js';
export type { Prediction, Score, TrainingHistory } from './core/classifier.js';
export type { BaseModelInfo } from './core/feature-extractor.js';
export type { FileWithPath, LabelCounts, SkippedFile } from './io/dataset.js';
