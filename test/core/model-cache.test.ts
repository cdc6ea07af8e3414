import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/core/backend.js';
import { loadBaseModel, type FeatureExtractor } from '../../src/core/feature-extractor.js';
import { BASE_MODEL_CACHE_PREFIX, baseModelCacheKey, clearBaseModelCache } from '../../src/core/model-cache.js';
import { MODEL_URL, WASM_PATH, tensorCount } from '../helpers.js';

const MODEL_DIR = new URL(MODEL_URL.slice(0, MODEL_URL.lastIndexOf('/') + 1), location.href).href;
const KEY = baseModelCacheKey(MODEL_URL)!;

/**
 * Requests the page made for the model's files (model.json and shards) since the last
 * `performance.clearResourceTimings()`. Resource Timing records every fetch the page makes,
 * whoever makes it, answered from the HTTP cache or not, so zero here means no request at all.
 */
const modelRequests = () => performance.getEntriesByType('resource').filter((e) => e.name.startsWith(MODEL_DIR)).length;

/** `loadBaseModel({ url: MODEL_URL })` with the model requests it made and its time. */
async function load(): Promise<{ extractor: FeatureExtractor; requests: number; ms: number }> {
  performance.clearResourceTimings();
  const start = performance.now();
  const extractor = await loadBaseModel({ url: MODEL_URL });
  return { extractor, requests: modelRequests(), ms: performance.now() - start };
}

const isCached = async () => KEY in (await tf.io.listModels());

/** Stores `artifacts` under the cache key directly, as a damaged entry would be found. */
async function plant(artifacts: tf.io.ModelArtifacts) {
  await tf.io.getSaveHandlers(KEY)[0].save!(artifacts);
}

/** Runs `body` with IndexedDB method `name` of `proto` replaced by one throwing `error`. */
async function withBroken<T>(proto: object, name: string, error: DOMException, body: () => Promise<T>): Promise<T> {
  const original = Object.getOwnPropertyDescriptor(proto, name)!;
  Object.defineProperty(proto, name, {
    ...original,
    value: () => {
      throw error;
    },
  });
  try {
    return await body();
  } finally {
    Object.defineProperty(proto, name, original);
  }
}

describe('core: the base model cached in IndexedDB', function () {
  /** Files in the model: model.json plus its shards. */
  let files: number;
  let images: tf.Tensor4D;
  /** Activations of `images` from a model loaded over the network. */
  let reference: tf.Tensor;

  const activations = (extractor: FeatureExtractor) => extractor.activations(images);
  const maxAbsDiff = (x: tf.Tensor) => tf.tidy(() => x.sub(reference).abs().max().dataSync()[0]);

  before(async () => {
    await selectBackend('wasm', WASM_PATH);
    const manifest = (await (await fetch(MODEL_URL)).json()).weightsManifest as { paths: string[] }[];
    files = 1 + manifest.flatMap((group) => group.paths).length;
    images = tf.randomUniform([2, 224, 224, 3], -1, 1, 'float32', 7) as tf.Tensor4D;
    performance.setResourceTimingBufferSize(10_000);
    await clearBaseModelCache(MODEL_URL);
  });

  after(async () => {
    tf.dispose([images, reference]);
    await clearBaseModelCache(MODEL_URL);
  });

  it('derives the key from the absolute URL, without fragment or a second "://", only for http(s)', () => {
    expect(KEY).to.equal(`${BASE_MODEL_CACHE_PREFIX}${location.protocol.slice(0, -1)}/${location.host}${MODEL_URL}`);
    expect(baseModelCacheKey('https://example.com/m/model.json?v=2#top')).to.equal('indexeddb://ml-classifier-base/https/example.com/m/model.json?v=2');
    expect(KEY.slice('indexeddb://'.length)).not.to.contain('://');
    for (const local of ['indexeddb://my-model', 'localstorage://m', 'blob:http://x/1', 'data:application/json,{}']) {
      expect(baseModelCacheKey(local), local).to.equal(undefined);
    }
  });

  it('fetches on the first load and stores the model; the second load makes no request and gives identical activations (times logged)', async () => {
    const first = await load();
    expect(first.requests).to.equal(files);
    expect(await isCached()).to.equal(true);
    reference = activations(first.extractor);
    first.extractor.dispose();

    const second = await load();
    expect(second.requests).to.equal(0);
    const out = activations(second.extractor);
    expect(maxAbsDiff(out)).to.equal(0);
    tf.dispose(out);
    second.extractor.dispose();
    console.log(`MobileNet load: network ${first.ms.toFixed(0)} ms (${first.requests} requests), IndexedDB ${second.ms.toFixed(0)} ms (0 requests)`);
  });

  it('frees every tensor it loads, from the cache and from the network', async () => {
    for (const fromNetwork of [false, true]) {
      if (fromNetwork) await clearBaseModelCache(MODEL_URL);
      const before = tensorCount();
      const { extractor, requests } = await load();
      expect(requests).to.equal(fromNetwork ? files : 0);
      extractor.dispose();
      expect(tensorCount(), fromNetwork ? 'network' : 'cache').to.equal(before);
    }
  });

  it('fetches again and rewrites a damaged entry (short weights, broken topology), leaking nothing', async () => {
    const stored = await tf.io.getLoadHandlers(KEY)[0].load!();
    const damaged: Record<string, tf.io.ModelArtifacts> = {
      'short weights': { ...stored, weightData: (stored.weightData as ArrayBuffer).slice(0, 1000) },
      'broken topology': { ...stored, modelTopology: { class_name: 'NotAModel', config: {} } },
    };
    for (const [what, artifacts] of Object.entries(damaged)) {
      await plant(artifacts);
      const before = tensorCount();
      const { extractor, requests } = await load();
      expect(requests, what).to.equal(files);
      const out = activations(extractor);
      expect(maxAbsDiff(out), what).to.equal(0);
      tf.dispose(out);
      extractor.dispose();
      expect(tensorCount(), what).to.equal(before);
      // Rewritten: the next load is served from IndexedDB again.
      const next = await load();
      expect(next.requests, what).to.equal(0);
      next.extractor.dispose();
    }
  });

  it('loads from the network when IndexedDB refuses to write (quota) or to open at all (private mode, opaque origin)', async () => {
    await clearBaseModelCache(MODEL_URL);
    const quota = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    await withBroken(IDBObjectStore.prototype, 'put', quota, async () => {
      const before = tensorCount();
      const { extractor, requests } = await load();
      expect(requests).to.equal(files);
      extractor.dispose();
      expect(tensorCount()).to.equal(before);
    });
    expect(await isCached()).to.equal(false);

    const denied = new DOMException('The user denied permission to access the database.', 'SecurityError');
    await withBroken(IDBFactory.prototype, 'open', denied, async () => {
      const { extractor, requests } = await load();
      expect(requests).to.equal(files);
      extractor.dispose();
    });
  });

  it('clears one cached model or all of them, and keeps models saved under other keys', async () => {
    const other = 'https://example.com/other/model.json';
    // Other test files cache other bases in this browser's IndexedDB; start from none.
    await clearBaseModelCache();
    (await load()).extractor.dispose();
    const artifacts = await tf.io.getLoadHandlers(KEY)[0].load!();
    await tf.io.getSaveHandlers(baseModelCacheKey(other)!)[0].save!(artifacts);
    await tf.io.getSaveHandlers('indexeddb://model-cache-test-keep')[0].save!(artifacts);

    expect(await clearBaseModelCache(other)).to.deep.equal([baseModelCacheKey(other)]);
    expect(await isCached()).to.equal(true);
    await tf.io.getSaveHandlers(baseModelCacheKey(other)!)[0].save!(artifacts);
    expect((await clearBaseModelCache()).sort()).to.deep.equal([KEY, baseModelCacheKey(other)].sort());
    const left = Object.keys(await tf.io.listModels());
    expect(left).to.include('indexeddb://model-cache-test-keep');
    expect(left.filter((k) => k.startsWith(BASE_MODEL_CACHE_PREFIX))).to.deep.equal([]);
    await tf.io.removeModel('indexeddb://model-cache-test-keep');
  });
});
