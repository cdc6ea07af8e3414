// The head's training settings and their defaults: plain data, no TensorFlow.js, so the element
// can show them before any model code loads.

/** Head and training settings. Every field is optional; defaults are in {@link DEFAULT_TRAIN_OPTIONS} and {@link POOLED_TRAIN_DEFAULTS}. */
export interface TrainOptions {
  /** Passes over the training activations. Integer >= 1. Default 20; 50 for pooled activations. */
  epochs?: number;
  /**
   * Examples per gradient step. Integer >= 1. Default: 40% of the training examples (at least 1),
   * the original ml-classifier engine's rule, which reaches 100% on the shared pexel and colors
   * sets and ~95% on sign-language digits; 32 for pooled activations ({@link POOLED_TRAIN_DEFAULTS}).
   */
  batchSize?: number;
  /** Adam's learning rate. > 0. Default 0.0001; 0.001 for pooled activations. */
  learningRate?: number;
  /** Units in the head's hidden dense relu layer. Integer >= 1. Default 100. */
  hiddenUnits?: number;
}

/** Defaults of {@link TrainOptions} for the `[7, 7, C]` activations of the original recipe (`batchSize` is computed from the data when undefined). */
export const DEFAULT_TRAIN_OPTIONS = { epochs: 20, batchSize: undefined, learningRate: 0.0001, hiddenUnits: 100 } as const;

/**
 * The defaults that replace those for pooled activations (`[256]`, `[1280]`, grid `[3, 3, 1280]`): the small head
 * learns too slowly with the full head's settings (20 epochs of 3 steps at 0.0001 reached 37%
 * validation accuracy on sign-language digits). These are Teachable Machine's (Adam 0.001, batch
 * 32, 50 epochs): a pooled head has a tenth of the flatten head's weights, so its epochs are
 * cheap, and on flowers-dev 50 epochs gave MobileNet v2 0.35 78.7% against 76.0% with 20 (`npm run quality`).
 */
export const POOLED_TRAIN_DEFAULTS = { epochs: 50, learningRate: 0.001, batchSize: 32 } as const;

/**
 * Every setting of {@link TrainOptions} resolved for `n` training examples: the given ones, else
 * {@link DEFAULT_TRAIN_OPTIONS} for the recipe's head on unpooled activations (`pooled` false), or
 * {@link POOLED_TRAIN_DEFAULTS} for pooled ones (`average`, `grid`).
 */
export function resolveTrainOptions(options: TrainOptions, pooled: boolean, n: number): Required<TrainOptions> {
  return {
    epochs: options.epochs ?? (pooled ? POOLED_TRAIN_DEFAULTS.epochs : DEFAULT_TRAIN_OPTIONS.epochs),
    batchSize: options.batchSize ?? (pooled ? POOLED_TRAIN_DEFAULTS.batchSize : Math.max(1, Math.floor(n * 0.4))),
    learningRate: options.learningRate ?? (pooled ? POOLED_TRAIN_DEFAULTS.learningRate : DEFAULT_TRAIN_OPTIONS.learningRate),
    hiddenUnits: options.hiddenUnits ?? DEFAULT_TRAIN_OPTIONS.hiddenUnits,
  };
}
