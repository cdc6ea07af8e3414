import * as tf from '@tensorflow/tfjs';
import { disposeLayersModel } from './classifier.js';
import { errors } from './errors.js';
import { foldBatchNorm } from './fold-batch-norm.js';
import { INPUT_SIZE } from './preprocess.js';

/** The public tfjs-models copy of MobileNet v1 0.25 224 (ImageNet), a tfjs layers model. */
export const DEFAULT_MODEL_URL =
  'https://storage.googleapis.com/tfjs-models/tfjs/mobilenet_v1_0.25_224/model.json';

/** The layer MobileNet is cut at: the last depthwise-separable block, before pooling. */
export const CUT_LAYER = 'conv_pw_13_relu';

/**
 * The frozen base network: turns preprocessed images into activations. The core takes any
 * object of this shape, so tests and workers can pass their own.
 */
export interface FeatureExtractor {
  /** Input side in pixels (224). */
  readonly inputSize: number;
  /** Shape of one image's activations, `[7, 7, 256]` for MobileNet v1 0.25 cut at `conv_pw_13_relu`. */
  readonly activationShape: readonly number[];
  /** `[batch, 224, 224, 3]` in [-1, 1] → `[batch, ...activationShape]`; the caller disposes the result. */
  activations(batch: tf.Tensor4D): tf.Tensor;
  /**
   * The base network as a layers model (input `[batch, 224, 224, 3]`, output
   * `[batch, ...activationShape]`), so a trained head can be joined to it and saved as one model.
   */
  readonly model: tf.LayersModel;
  /** Frees the weights. */
  dispose(): void;
}

/**
 * Loads a MobileNet v1 layers model from `modelUrl` (a `model.json` with its weight shards next
 * to it), cuts it at {@link CUT_LAYER} and folds its BatchNormalization layers into the convs
 * before them ({@link foldBatchNorm}): the same activations up to float32 rounding, ~1.3x faster
 * on the wasm backend. The loaded model's own weights are freed before this returns.
 *
 * @throws ClassifierError `model-load-failed` when the files cannot be fetched or parsed, or the
 *   model has no layer named `conv_pw_13_relu`.
 */
export async function loadMobileNet(modelUrl: string = DEFAULT_MODEL_URL): Promise<FeatureExtractor> {
  let full: tf.LayersModel;
  try {
    full = await tf.loadLayersModel(modelUrl);
  } catch (cause) {
    throw errors.modelLoadFailed(modelUrl, cause);
  }
  let model: tf.LayersModel;
  try {
    const cut = tf.model({ inputs: full.inputs, outputs: full.getLayer(CUT_LAYER).output as tf.SymbolicTensor });
    model = await foldBatchNorm(cut);
  } catch (cause) {
    throw errors.modelLoadFailed(modelUrl, cause);
  } finally {
    // The cut shares the full model's weights, and the folded copy has its own.
    full.dispose();
  }
  const activationShape = (model.outputs[0].shape as number[]).slice(1);
  return {
    inputSize: INPUT_SIZE,
    activationShape,
    model,
    activations: (batch) => model.predict(batch) as tf.Tensor,
    // Joining it with a head to save it counts as a use; free it whatever the count.
    dispose: () => disposeLayersModel(model),
  };
}
