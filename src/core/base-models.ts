// The base networks the element can train on, as plain data: no TensorFlow.js here, so the
// element and its settings panel can list them without loading the engine.

/** Names of the base networks in {@link BASE_MODELS}. */
export type BaseModelId = 'mobilenet-v1-0.25' | 'mobilenet-v1-0.75' | 'mobilenet-v2-0.35' | 'mobilenet-v2-0.50' | 'mobilenet-v2-0.75' | 'mobilenet-v2-1.00' | 'mobilenet-v2-0.50-96';

/**
 * What the head trains on:
 * - `none`: the base's activations at the cut as they are (`[7, 7, 256]` for MobileNet v1 0.25,
 *   12,544 numbers per image), flattened by the head: the original recipe.
 * - `grid`: their averages over a 3x3 grid of overlapping 3x3 windows (stride 2): `[3, 3, C]`,
 *   11,520 numbers for MobileNet v2's 1,280 channels. Keeps where things are in the picture,
 *   which global averaging loses (hand signs: see the README's table), flattened by the head.
 * - `average`: their global average over the spatial positions (`[256]`, `[1280]` for MobileNet
 *   v2): 49 times less memory per image than `none` and a head 49 times smaller.
 * A base whose output is already pooled (a TF-Hub feature vector) has only `average`.
 */
export type Pooling = 'none' | 'grid' | 'average';

/** The poolings, for validation and the settings panel. */
export const POOLINGS: readonly Pooling[] = ['none', 'grid', 'average'];

/**
 * The range the base expects pixel values in: `[-1, 1]` (Keras MobileNets: `x / 127.5 - 1`) or
 * `[0, 1]` (TF-Hub modules: `x / 255`), as `[min, max]`, from 0-255 bytes by `x / (255 / (max - min)) + min`.
 */
export type InputRange = readonly [min: number, max: number];

/** One base network: where it is, how it is cut and fed, and what it costs. */
export interface BaseModelSpec {
  id: BaseModelId;
  /** Human name, as shown in the settings panel and written to `metadata.json`. */
  name: string;
  /** TensorFlow.js model format of `model.json`. */
  format: 'layers' | 'graph';
  /** Public `model.json` URL: the default when neither `model-url` nor `models-path` is set. */
  url: string;
  /** Folder name under `models-path` (and in the project's `../shared/models`). */
  folder: string;
  /** Layer (layers model) the network is cut at; undefined: the graph model's own output. */
  cutLayer?: string;
  /** Side of the square input in pixels. */
  inputSize: number;
  inputRange: InputRange;
  /** Numbers per image after pooling: the cut's channels. */
  features: number;
  /** The pooling used when `pooling` is not set. */
  pooling: Pooling;
  /** Size of the weights to download, in bytes (from the published files). */
  downloadBytes: number;
  /**
   * Time per image for activations relative to MobileNet v1 0.25 at 224 (WASM, batches of 32;
   * `npm run bench` measures it), for the settings panel's speed hint.
   */
  relativeCost: number;
}

const TEACHABLE_MACHINE = 'https://storage.googleapis.com/teachable-machine-models';
const v2 = (alpha: string, downloadBytes: number, relativeCost: number): BaseModelSpec => ({
  id: `mobilenet-v2-${alpha}` as BaseModelId,
  name: `MobileNet v2 ${alpha} 224 (ImageNet, Teachable Machine's base)`,
  format: 'layers',
  url: `${TEACHABLE_MACHINE}/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_${alpha}_224_no_top/model.json`,
  folder: `mobilenet_v2_${alpha}_224_no_top`,
  cutLayer: 'out_relu',
  inputSize: 224,
  inputRange: [-1, 1],
  features: 1280,
  pooling: 'average',
  downloadBytes,
  relativeCost,
});

/**
 * Every base network by name. Download sizes are the weight files' bytes (float32); the v2
 * alphas 0.50-1.00 are Teachable Machine's published copies, whose sizes follow from their
 * parameter counts (0.70, 1.38 and 2.26 million).
 */
export const BASE_MODELS: Readonly<Record<BaseModelId, BaseModelSpec>> = {
  'mobilenet-v1-0.25': {
    id: 'mobilenet-v1-0.25',
    name: 'MobileNet v1 0.25 224 (ImageNet, the original recipe)',
    format: 'layers',
    url: 'https://storage.googleapis.com/tfjs-models/tfjs/mobilenet_v1_0.25_224/model.json',
    folder: 'mobilenet_v1_0.25_224',
    cutLayer: 'conv_pw_13_relu',
    inputSize: 224,
    inputRange: [-1, 1],
    features: 256,
    pooling: 'none',
    downloadBytes: 1_902_176,
    relativeCost: 1,
  },
  'mobilenet-v1-0.75': {
    id: 'mobilenet-v1-0.75',
    name: 'MobileNet v1 0.75 224 (ImageNet)',
    format: 'layers',
    url: 'https://storage.googleapis.com/tfjs-models/tfjs/mobilenet_v1_0.75_224/model.json',
    folder: 'mobilenet_v1_0.75_224',
    cutLayer: 'conv_pw_13_relu',
    inputSize: 224,
    inputRange: [-1, 1],
    features: 768,
    pooling: 'average',
    downloadBytes: 10_407_904,
    relativeCost: 4,
  },
  'mobilenet-v2-0.35': v2('0.35', 1_640_832, 1.7),
  'mobilenet-v2-0.50': v2('0.50', 2_800_000, 2.5),
  'mobilenet-v2-0.75': v2('0.75', 5_500_000, 4),
  'mobilenet-v2-1.00': v2('1.00', 9_000_000, 6),
  'mobilenet-v2-0.50-96': {
    id: 'mobilenet-v2-0.50-96',
    name: 'MobileNet v2 0.50 96 (ImageNet, TF-Hub feature vector)',
    format: 'graph',
    url: 'https://tfhub.dev/google/tfjs-model/imagenet/mobilenet_v2_050_96/feature_vector/3/default/1/model.json?tfjs-format=file',
    folder: 'mobilenet_v2_0.50_96_feature_vector_tfhub',
    inputSize: 96,
    inputRange: [0, 1],
    features: 1280,
    pooling: 'average',
    downloadBytes: 2_713_640,
    relativeCost: 0.2,
  },
};

/** The base used when `base-model` and `model-url` are both unset. */
export const DEFAULT_BASE_MODEL: BaseModelId = 'mobilenet-v2-0.35';

/** Whether `id` names a base in {@link BASE_MODELS}. */
export function isBaseModelId(id: unknown): id is BaseModelId {
  return typeof id === 'string' && Object.hasOwn(BASE_MODELS, id);
}

/**
 * Where a base's `model.json` is: `modelUrl` when given, else `<modelsPath><folder>/model.json`
 * when a models path is set, else the public URL.
 */
export function baseModelUrl(spec: BaseModelSpec, modelUrl?: string, modelsPath?: string): string {
  if (modelUrl) return modelUrl;
  if (modelsPath) return `${modelsPath.endsWith('/') ? modelsPath : `${modelsPath}/`}${spec.folder}/model.json`;
  return spec.url;
}
