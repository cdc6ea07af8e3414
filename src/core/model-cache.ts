import * as tf from './tf.js';

/**
 * Where cached base models live: TensorFlow.js's own IndexedDB store (database `tensorflowjs`),
 * under keys that start with this, so they never collide with models saved by the page.
 */
export const BASE_MODEL_CACHE_PREFIX = 'indexeddb://ml-classifier-base/';

/**
 * The cache key of the base model at `modelUrl`, or `undefined` when it is not cached: only
 * http(s) models are (other tf.io URLs such as `indexeddb://` are local already, and a `blob:`
 * URL dies with its page). The key is the absolute URL without its fragment, with `://` written
 * as `/`: TensorFlow.js's `tf.io.removeModel` and `listModels` take everything after the first
 * `://` as the path, so a key must not contain another one. Example:
 * `indexeddb://ml-classifier-base/https/storage.googleapis.com/tfjs-models/tfjs/mobilenet_v1_0.25_224/model.json`.
 */
export function baseModelCacheKey(modelUrl: string): string | undefined {
  let url: URL;
  try {
    // Relative URLs resolve against the page (or worker) like fetch() does; without a location
    // (Node) there is no IndexedDB anyway.
    url = new URL(modelUrl, globalThis.location?.href);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.hash = '';
  // Chromium accepts keys of megabytes, but a URL that long is surely a mistake or a data
  // smuggling trick; leave it to the network.
  if (url.href.length > MAX_URL_LENGTH) return undefined;
  return BASE_MODEL_CACHE_PREFIX + url.href.replaceAll('://', '/');
}

const MAX_URL_LENGTH = 8192;

/**
 * The model files stored under `key` (layers or graph model), or `undefined` when there are none,
 * IndexedDB is missing or refuses (private mode, opaque origin, no IndexedDB in this worker), or
 * the entry is damaged (checked before anything is built from it: a short weight buffer would
 * fail half-way through creating the weight tensors, leaving those already made allocated).
 * Never throws: the caller fetches from the network instead.
 */
export async function loadCachedArtifacts(key: string): Promise<tf.io.ModelArtifacts | undefined> {
  try {
    const [handler] = tf.io.getLoadHandlers(key);
    const artifacts = handler?.load && (await within(IDB_TIMEOUT_MS, handler.load()));
    return artifacts && isComplete(artifacts) ? artifacts : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Stores `artifacts` (a model as fetched) under `key`, replacing what was there. Returns whether
 * it was stored; a refusal (quota, private mode, no IndexedDB) is not an error, only a cache miss
 * next time.
 */
export async function storeCachedModel(key: string, artifacts: tf.io.ModelArtifacts): Promise<boolean> {
  try {
    const [handler] = tf.io.getSaveHandlers(key);
    if (!handler?.save) return false;
    // save() joins the weight buffers in place; give it a shallow copy so the caller's stays as is.
    return (await within(IDB_TIMEOUT_MS, handler.save({ ...artifacts }))) !== undefined;
  } catch {
    return false;
  }
}

/**
 * Removes the cached copy of the base model at `modelUrl`, or every cached base model when no
 * URL is given; models saved by the page under other `indexeddb://` keys are kept. Resolves to
 * the keys removed.
 */
export async function clearBaseModelCache(modelUrl?: string): Promise<string[]> {
  const keys = modelUrl ? [baseModelCacheKey(modelUrl)].filter((k): k is string => k !== undefined) : Object.keys(await tf.io.listModels()).filter((k) => k.startsWith(BASE_MODEL_CACHE_PREFIX));
  const removed: string[] = [];
  for (const key of keys) {
    try {
      await tf.io.removeModel(key);
      removed.push(key);
    } catch {
      // Not cached: nothing to remove.
    }
  }
  return removed;
}

/**
 * How long a cache read or write may take. IndexedDB can stall (a busy disk, another tab
 * upgrading the database); a stalled cache must not stall the model load with it.
 */
const IDB_TIMEOUT_MS = 10_000;

/** `promise`'s value, or `undefined` once `ms` have passed first. */
function within<T>(ms: number, promise: Promise<T>): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error) => (clearTimeout(timer), reject(error)),
    );
  });
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** Whether the artifacts have a topology, weight specs and exactly the bytes those specs need. */
function isComplete(artifacts: tf.io.ModelArtifacts): boolean {
  const { modelTopology, weightSpecs, weightData } = artifacts;
  if (typeof modelTopology !== 'object' || modelTopology === null || !Array.isArray(weightSpecs)) return false;
  if (!(weightData instanceof ArrayBuffer)) return false;
  let expected = 0;
  for (const spec of weightSpecs) {
    const bytes = BYTES[spec.quantization?.dtype ?? spec.dtype];
    // Strings have no fixed size; such a model is left for tf.loadLayersModel to judge.
    if (bytes === undefined) return true;
    expected += spec.shape.reduce((n, d) => n * d, 1) * bytes;
  }
  return weightData.byteLength === expected;
}
