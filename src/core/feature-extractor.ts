import * as tf from './tf.js';
import { disposeLayersModel } from './classifier.js';
import { errors } from './errors.js';
import { foldBatchNorm } from './fold-batch-norm.js';
import { baseModelCacheKey, loadCachedModel, storeCachedModel } from './model-cache.js';
import { INPUT_SIZE } from './preprocess.js';

/** The public tfjs-models copy of MobileNet v1 0.25 224 (ImageNet), a tfjs layers model. */
export const DEFAULT_MODEL_URL =
  'https://storage.googleapis.com/tfjs-models/tfjs/mobilenet_v1_0.25_224/model.json';

/** The layer MobileNet is cut at: the last depthwise-separable block, before pooling. */
export const CUT_LAYER = 'conv_pw_13_relu';

/**
 * What the base network hands the head per image:
 * - `none` (default): the `[7, 7, 256]` activations at `conv_pw_13_relu`, 12,544 numbers; the
 *   head's first dense layer then has 12,544 x 100 weights.
 * - `average`: their global average over the 7x7 positions, `[256]`; 49 times less memory per
 *   image and a head 49 times smaller, for large sets or small devices, at some accuracy (see the
 *   README's figures).
 */
export type Pooling = 'none' | 'average';

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
 * on the wasm backend. The loaded model's own weights are freed before this returns. With
 * `pooling: 'average'` a GlobalAveragePooling2D layer (`activations_average`) follows the cut.
 *
 * **Cache.** An http(s) model is kept in IndexedDB after its first successful load, as fetched
 * (before cutting and folding), so later loads, in this page or the next visit, make no network
 * request and work offline. The key is {@link baseModelCacheKey}: `indexeddb://ml-classifier-base/`
 * followed by the absolute model URL with `://` written as `/`, in TensorFlow.js's `tensorflowjs`
 * database. A cached model is never compared with the server's: when the files at a URL change,
 * give them a new URL (a versioned folder) or clear the cache with
 * `clearBaseModelCache(modelUrl)` (from `./model-cache.js`), `tf.io.removeModel(key)`, or the browser's site-data
 * settings. A missing, unreadable or damaged entry is fetched again and rewritten; a refused write
 * (quota, private mode, no IndexedDB) only means no cache.
 *
 * @throws ClassifierError `model-load-failed` when the files cannot be fetched or parsed, or the
 *   model has no layer named `conv_pw_13_relu`.
 */
export async function loadMobileNet(modelUrl: string = DEFAULT_MODEL_URL, options: { pooling?: Pooling } = {}): Promise<FeatureExtractor> {
  const cacheKey = baseModelCacheKey(modelUrl);
  let full = cacheKey ? await loadCachedModel(cacheKey) : undefined;
  /** The files as fetched, kept to be cached once the model has proved usable. */
  let fetched: tf.io.ModelArtifacts | undefined;
  if (!full) {
    try {
      if (cacheKey) {
        // The http handler always has load(); the type makes every handler's optional.
        fetched = await tf.io.http(modelUrl).load!();
        full = await tf.loadLayersModel(tf.io.fromMemory(fetched));
      } else {
        full = await tf.loadLayersModel(modelUrl);
      }
    } catch (cause) {
      throw errors.modelLoadFailed(modelUrl, cause);
    }
  }
  let model: tf.LayersModel;
  try {
    const cut = tf.model({ inputs: full.inputs, outputs: full.getLayer(CUT_LAYER).output as tf.SymbolicTensor });
    model = await foldBatchNorm(cut);
    if (options.pooling === 'average') {
      const pooled = tf.layers.globalAveragePooling2d({ name: 'activations_average' }).apply(model.outputs[0]) as tf.SymbolicTensor;
      model = tf.model({ inputs: model.inputs, outputs: pooled });
    }
  } catch (cause) {
    throw errors.modelLoadFailed(modelUrl, cause);
  } finally {
    // The cut shares the full model's weights, and the folded copy has its own.
    full.dispose();
  }
  // Awaited so that the next load finds it; storeCachedModel never throws.
  if (cacheKey && fetched) await storeCachedModel(cacheKey, fetched);
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
