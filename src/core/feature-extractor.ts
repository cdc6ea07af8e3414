import * as tf from './tf.js';
import { BASE_MODELS, DEFAULT_BASE_MODEL, type BaseModelId, type BaseModelSpec, type InputRange, type Pooling } from './base-models.js';
import { disposeLayersModel } from './dispose.js';
import { errors, type ClassifierError } from './errors.js';
import { foldBatchNorm } from './fold-batch-norm.js';
import { baseModelCacheKey, loadCachedArtifacts, storeCachedModel } from './model-cache.js';

/** What a feature extractor is: the base network, where it came from, how it is cut and fed. */
export interface BaseModelInfo {
  /** The registry name, or `custom` for a `model-url` that is none of them. */
  id: BaseModelId | 'custom';
  /** The `model.json` URL it was loaded from. */
  url: string;
  format: 'layers' | 'graph';
  /** The layer (layers model) or node (graph model) it is cut at. */
  cutLayer: string;
  /** Side of the square input in pixels. */
  inputSize: number;
  /** Pixel range the network expects. */
  inputRange: InputRange;
  pooling: Pooling;
}

/**
 * The frozen base network: turns preprocessed images into activations. The core takes any
 * object of this shape, so tests and workers can pass their own.
 */
export interface FeatureExtractor {
  /** Input side in pixels: 224, or 96 for `mobilenet-v2-0.50-96`. */
  readonly inputSize: number;
  /** Pixel range of the input the base expects (see {@link preprocess}). */
  readonly inputRange: InputRange;
  /**
   * Shape of one image's activations: `[7, 7, 256]` for MobileNet v1 0.25 cut at
   * `conv_pw_13_relu`, `[1280]` for a pooled MobileNet v2.
   */
  readonly activationShape: readonly number[];
  /** `[batch, size, size, 3]` in `inputRange` → `[batch, ...activationShape]`; the caller disposes the result. */
  activations(batch: tf.Tensor4D): tf.Tensor;
  /**
   * The base network as a layers model (input `[batch, size, size, 3]`, output
   * `[batch, ...activationShape]`), so a trained head can be joined to it and saved as one model;
   * undefined for a graph model, whose head is saved alone with a reference to the base.
   */
  readonly model?: tf.LayersModel;
  /** Where the base came from and how it is fed; recorded in a saved model's metadata. */
  readonly base: BaseModelInfo;
  /** Frees the weights. */
  dispose(): void;
}

/** Which base to load: a registry name, a URL, or both (a registry base self-hosted elsewhere). */
export interface BaseModelSource {
  /**
   * A base of {@link BASE_MODELS}. Unset with a `url`: the base is recognised from the model
   * itself (a layer `conv_pw_13_relu`: MobileNet v1, pooling `none`; `out_relu`: MobileNet v2,
   * pooling `average`; a graph model: its output); unset without one: {@link DEFAULT_BASE_MODEL}.
   */
  id?: BaseModelId;
  /** `model.json` URL; default: the registry base's public URL. */
  url?: string;
  /** Layer or graph node to cut at; default: the registry's, or the recognised one. */
  cutLayer?: string;
  /** Pixel range the base expects; default: the registry's, else `[-1, 1]` for layers models and `[0, 1]` for graph models (TF-Hub's convention). */
  inputRange?: InputRange;
}

/** `grid` pooling's windows: 3x3, stride 2, so a 7x7 map gives 3x3 averages of overlapping regions. */
const GRID = { poolSize: [3, 3] as [number, number], strides: [2, 2] as [number, number], padding: 'valid' as const };

/** The layers a MobileNet is recognised by, in order of preference, with the pooling each implies. */
const KNOWN_CUTS: { layer: string; pooling: Pooling }[] = [
  // MobileNet v1: the original recipe flattens it, and pages that set only model-url get that still.
  { layer: 'conv_pw_13_relu', pooling: 'none' },
  { layer: 'out_relu', pooling: 'average' },
];

/**
 * Loads a base network and cuts it: a layers model at its cut layer with its BatchNormalization
 * layers folded into the convs before them ({@link foldBatchNorm}: the same activations up to
 * float32 rounding, ~1.3x faster on wasm), or a graph model (TF-Hub) at its output or `cutLayer`.
 * With pooling `average` (the default for every base but MobileNet v1 0.25) a global average
 * over the spatial positions follows the cut.
 *
 * **Cache.** An http(s) model is kept in IndexedDB after its first successful load, as fetched
 * (before cutting and folding), so later loads, in this page or the next visit, make no network
 * request and work offline. The key is {@link baseModelCacheKey}: `indexeddb://ml-classifier-base/`
 * followed by the absolute model URL with `://` written as `/`, in TensorFlow.js's `tensorflowjs`
 * database. A cached model is never compared with the server's: when the files at a URL change,
 * give them a new URL (a versioned folder) or clear the cache with `clearBaseModelCache(url)`,
 * `tf.io.removeModel(key)`, or the browser's site-data settings. A missing, unreadable or
 * damaged entry is fetched again and rewritten; a refused write (quota, private mode) only means no cache.
 *
 * @throws ClassifierError `model-load-failed` naming the URL when the files cannot be fetched or
 *   parsed, or the model has no such cut layer (nor a known one); `invalid-option` for
 *   `pooling: 'none'` on a base whose output is already pooled.
 */
export async function loadBaseModel(source: BaseModelSource = {}, options: { pooling?: Pooling } = {}): Promise<FeatureExtractor> {
  const spec: BaseModelSpec | undefined = source.id ? BASE_MODELS[source.id] : source.url ? undefined : BASE_MODELS[DEFAULT_BASE_MODEL];
  const url = source.url ?? spec!.url;
  const build = (artifacts: tf.io.ModelArtifacts) => {
    const graph = artifacts.format === 'graph-model' || Array.isArray((artifacts.modelTopology as { node?: unknown })?.node);
    const request = { url, spec, source, pooling: options.pooling };
    return graph ? graphExtractor(artifacts, request) : layersExtractor(artifacts, request);
  };
  const cacheKey = baseModelCacheKey(url);
  const cached = cacheKey ? await loadCachedArtifacts(cacheKey) : undefined;
  if (cached) {
    try {
      return await build(cached);
    } catch (error) {
      // A damaged entry (a topology that no longer builds) is fetched again and rewritten below;
      // a refused option would be refused again.
      if ((error as ClassifierError).code !== 'model-load-failed') throw error;
    }
  }
  let artifacts: tf.io.ModelArtifacts;
  try {
    artifacts = await (tf.io.getLoadHandlers(url)[0] ?? tf.io.http(url)).load!();
  } catch (cause) {
    throw errors.modelLoadFailed(url, cause);
  }
  const extractor = await build(artifacts);
  // Awaited so that the next load finds it; storeCachedModel never throws.
  if (cacheKey) await storeCachedModel(cacheKey, artifacts);
  return extractor;
}

/** What a model's files are turned into an extractor with: where they came from and what was asked. */
interface BuildRequest {
  url: string;
  spec: BaseModelSpec | undefined;
  source: BaseModelSource;
  pooling: Pooling | undefined;
}

async function layersExtractor(artifacts: tf.io.ModelArtifacts, { url, spec, source, pooling }: BuildRequest): Promise<FeatureExtractor> {
  let full: tf.LayersModel;
  try {
    full = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (cause) {
    throw errors.modelLoadFailed(url, cause);
  }
  let model: tf.LayersModel;
  let base: BaseModelInfo;
  try {
    const names = new Set(full.layers.map((l) => l.name));
    const known = KNOWN_CUTS.find((k) => names.has(k.layer));
    const cutLayer = source.cutLayer ?? spec?.cutLayer ?? known?.layer;
    if (!cutLayer || !names.has(cutLayer)) {
      throw new Error(cutLayer ? `it has no layer named "${cutLayer}"` : `it has none of the layers ${KNOWN_CUTS.map((k) => k.layer).join(', ')} that MobileNets are cut at; name the layer to cut at`);
    }
    const inputSize = (full.inputs[0].shape as (number | null)[])[1] ?? spec?.inputSize ?? 224;
    const channels = (full.getLayer(cutLayer).outputShape as number[]).at(-1);
    // Named after the registry base it is, where only one has that cut and width (not so for v2's alphas).
    const matches = Object.values(BASE_MODELS).filter((b) => b.cutLayer === cutLayer && b.features === channels && b.inputSize === inputSize);
    base = {
      id: spec?.id ?? (matches.length === 1 ? matches[0].id : 'custom'),
      url,
      format: 'layers',
      cutLayer,
      inputSize,
      inputRange: source.inputRange ?? spec?.inputRange ?? [-1, 1],
      pooling: pooling ?? spec?.pooling ?? (cutLayer === known?.layer ? known.pooling : 'average'),
    };
    const cut = tf.model({ inputs: full.inputs, outputs: full.getLayer(cutLayer).output as tf.SymbolicTensor });
    model = await foldBatchNorm(cut);
    if (base.pooling !== 'none' && model.outputs[0].shape.length === 4) {
      const pooling = base.pooling === 'average' ? tf.layers.globalAveragePooling2d({ name: 'activations_average' }) : tf.layers.averagePooling2d({ ...GRID, name: 'activations_grid' });
      model = tf.model({ inputs: model.inputs, outputs: pooling.apply(model.outputs[0]) as tf.SymbolicTensor });
    }
  } catch (cause) {
    throw errors.modelLoadFailed(url, cause);
  } finally {
    // The cut shares the full model's weights, and the folded copy has its own.
    full.dispose();
  }
  return {
    inputSize: base.inputSize,
    inputRange: base.inputRange,
    activationShape: (model.outputs[0].shape as number[]).slice(1),
    model,
    base,
    activations: (batch) => model.predict(batch) as tf.Tensor,
    // Joining it with a head to save it counts as a use; free it whatever the count.
    dispose: () => disposeLayersModel(model),
  };
}

async function graphExtractor(artifacts: tf.io.ModelArtifacts, { url, spec, source, pooling }: BuildRequest): Promise<FeatureExtractor> {
  // Loaded only for graph bases: the converter is a bundle chunk of its own.
  const { loadGraphModel } = await import('@tensorflow/tfjs-converter');
  let model: Awaited<ReturnType<typeof loadGraphModel>>;
  try {
    model = await loadGraphModel(tf.io.fromMemory(artifacts));
  } catch (cause) {
    throw errors.modelLoadFailed(url, cause);
  }
  const output = source.cutLayer ?? spec?.cutLayer ?? model.outputs[0].name;
  const inputSize = model.inputs[0].shape?.[1];
  const base: BaseModelInfo = {
    id: spec?.id ?? 'custom',
    url,
    format: 'graph',
    cutLayer: output,
    inputSize: inputSize && inputSize > 0 ? inputSize : (spec?.inputSize ?? 224),
    inputRange: source.inputRange ?? spec?.inputRange ?? [0, 1],
    pooling: pooling ?? spec?.pooling ?? 'average',
  };
  const run = (batch: tf.Tensor4D) => {
    const out = model.execute(batch, output) as tf.Tensor;
    if (out.rank !== 4 || base.pooling === 'none') return out;
    return tf.tidy(() => (base.pooling === 'average' ? out.mean([1, 2]) : tf.avgPool(out as tf.Tensor4D, GRID.poolSize, GRID.strides, 'valid')));
  };
  // The shape from one blank image: a graph's declared output shape can be partly unknown.
  let activationShape: number[];
  try {
    const probe = tf.tidy(() => run(tf.zeros([1, base.inputSize, base.inputSize, 3])));
    activationShape = probe.shape.slice(1);
    tf.dispose(probe);
  } catch (cause) {
    model.dispose();
    throw errors.modelLoadFailed(url, cause);
  }
  if (activationShape.length === 1 && pooling && pooling !== 'average') {
    model.dispose();
    throw errors.invalidOption('pooling', pooling, `"average" or unset: the output of ${url} is already pooled to [${activationShape}]`);
  }
  return {
    inputSize: base.inputSize,
    inputRange: base.inputRange,
    activationShape,
    base,
    activations: (batch) => tf.tidy(() => run(batch)),
    dispose: () => model.dispose(),
  };
}
