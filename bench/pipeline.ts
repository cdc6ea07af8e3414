/**
 * The pipeline's page of `npm run bench`: each step on `window.bench` measures the project's
 * public code (`<ml-classifier>`, `Classifier`, `loadBaseModel`, `decodeImage`, `selectBackend`)
 * and returns plain numbers; `bench/run.mjs` calls the steps and builds the report. The naive
 * baseline runs in its own page (`naive.ts`) on stock TensorFlow.js.
 */
import * as tf from '@tensorflow/tfjs';
import {
  BASE_MODELS,
  Classifier,
  DEFAULT_DECODE_SIZE,
  baseModelUrl,
  decodeImage,
  loadBaseModel,
  preprocess,
  selectBackend,
  type BackendPreference,
  type BaseModelId,
  type TrainedDetail,
} from '../src/ml-classifier-engine.js';
import '../src/ml-classifier.js';
import type { MlClassifier } from '../src/ml-classifier.js';
import { MODELS_PATH, MODEL_URL, WASM_PATH, Watch, environment, files, median, photos, takeFiles, time, type Usage } from './common.js';

/** Decoded pixels of a set's first photos by `name@size`, kept by {@link decode} for {@link activations}. */
const decoded = new Map<string, ImageData[]>();

/** Loads the base model once on `auto` and runs one image, so the first timed step is not also the page's first tfjs work. */
async function warmUp(): Promise<string> {
  const backend = await selectBackend('auto', WASM_PATH);
  const extractor = await loadBaseModel({ url: MODEL_URL });
  tf.tidy(() => extractor.activations(tf.zeros([1, 224, 224, 3])).dataSync());
  extractor.dispose();
  return backend;
}

/**
 * `decodeImage` (file → `ImageData`, short side 224) on a set's first `limit` photos, one at a
 * time. (The naive decode is timed inside the naive run, which decodes every photo anyway.)
 */
async function decode(name: string, limit: number): Promise<{ path: string; ms: number }[]> {
  const times: { path: string; ms: number }[] = [];
  const pixels: ImageData[] = [];
  for (const { file, path } of photos(name).slice(0, limit)) {
    const t = performance.now();
    pixels.push(await decodeImage(file));
    times.push({ path, ms: performance.now() - t });
  }
  decoded.set(`${name}@${DEFAULT_DECODE_SIZE}`, pixels);
  return times;
}

/**
 * Activations on one backend and base (default: the shared v1 0.25 by URL, the pipeline's
 * reference): `loadBaseModel`, then the median over `reps` of
 * - bare: the cut model's `predict` on a ready-made, preprocessed batch of `count` images, to data;
 * - pipeline: `Classifier.activations` on the same images' decoded pixels (preprocessing and
 *   batching by 32 included), to data;
 * after one untimed pass of each (WebGL compiles its shaders then; `firstMs` is that pass).
 * Photos are decoded at the base's input size, untimed, unless {@link decode} already did.
 */
async function activations(preference: BackendPreference, name: string, count: number, reps: number, baseId?: BaseModelId) {
  let backend: string;
  try {
    backend = await selectBackend(preference, WASM_PATH);
  } catch (error) {
    return { preference, error: String(error) };
  }
  const t = performance.now();
  const source = baseId ? { id: baseId, url: baseModelUrl(BASE_MODELS[baseId], undefined, MODELS_PATH) } : { url: MODEL_URL };
  const classifier = new Classifier(await loadBaseModel(source));
  const loadMs = performance.now() - t;
  const { inputSize: size, inputRange, activationShape, base } = classifier.extractor;
  const key = `${name}@${size}`;
  if ((decoded.get(key)?.length ?? 0) < count) {
    // One at a time: pexel photos are up to 36 MP, and decoding 32 at once would hold them all.
    const pixels: ImageData[] = [];
    for (const { file } of photos(name).slice(0, count)) pixels.push(await decodeImage(file, size));
    decoded.set(key, pixels);
  }
  const pixels = decoded.get(key)!.slice(0, count);
  const batch = tf.tidy(() => tf.stack(pixels.map((p) => preprocess(p, { size, inputRange }))) as tf.Tensor4D);
  const bare = async () => {
    const out = classifier.extractor.activations(batch);
    await out.data();
    out.dispose();
  };
  const pipeline = async () => void (await classifier.activations(pixels));
  try {
    const firstMs = await time(pipeline);
    await bare();
    const bareMs: number[] = [];
    const pipelineMs: number[] = [];
    for (let r = 0; r < reps; r++) {
      bareMs.push(await time(bare));
      pipelineMs.push(await time(pipeline));
    }
    return {
      preference,
      backend,
      base: base.id,
      pooling: base.pooling,
      inputSize: size,
      activationShape,
      images: count,
      loadMs,
      firstMs,
      bareMs,
      pipelineMs,
      bareMsPerImage: median(bareMs) / count,
      pipelineMsPerImage: median(pipelineMs) / count,
    };
  } finally {
    batch.dispose();
    classifier.dispose();
  }
}

/**
 * A set's files handed to a fresh `<ml-classifier>` (backend `auto`, its own worker), watched
 * from the hand-over until its `trained` event and its removal (the element's first render,
 * before, is timed apart as `firstRenderMs`); tensors and tfjs bytes are the worker's
 * (`el.memory()`): before the run, at their peak, and after the removal has freed everything.
 * Without `attributes` the base is the shared v1 0.25 by `model-url` (the pipeline's reference);
 * with them, only those are set, as a page author would (`wasm-path` aside: the dev server keeps
 * the binaries elsewhere).
 */
async function run(name: string, attributes?: Record<string, string>): Promise<{ wallMs: number; firstRenderMs: number; detail: TrainedDetail; thread: string; usage: Usage }> {
  const el = document.createElement('ml-classifier') as MlClassifier;
  if (attributes) for (const [key, value] of Object.entries(attributes)) el.setAttribute(key, value);
  else el.modelUrl = MODEL_URL;
  el.wasmPath = WASM_PATH;
  let phase = '';
  el.addEventListener('progress-changed', (e) => {
    // Phase changes show in the runner's output with BENCH_DEBUG=1.
    if (e.detail.phase !== phase) console.debug(`${name}: ${(phase = e.detail.phase)}`);
  });
  // Adding the element is the page's work, not the run's: timed apart, outside the watch.
  let t = performance.now();
  document.body.append(el);
  await el.updateComplete;
  const firstRenderMs = performance.now() - t;
  await new Promise((resolve) => setTimeout(resolve)); // the render's task ends here
  const watch = new Watch(() => el.memory());
  await watch.start();
  let end = 0;
  el.addEventListener('trained', () => (end = performance.now()), { once: true });
  t = performance.now();
  const detail = await el.train(files(name));
  const wallMs = end - t;
  const thread = el.thread;
  // memory() after removal waits for the worker to free everything and answers what is left.
  const usage = await watch.stop(() => el.remove());
  return { wallMs, firstRenderMs, detail, thread, usage };
}

Object.assign(window, { bench: { environment, takeFiles, warmUp, decode, activations, run } });
