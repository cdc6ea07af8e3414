/**
 * The baseline every benchmark figure is compared with: training done the way the original
 * ml-classifier article does it, each image alone and at full size.
 *
 * Kept deliberately naive, but not sabotaged: the activations are concatenated once at the end
 * (the article grew the tensor image by image, which is quadratic), and the split into training
 * and validation images is the pipeline's own (`organizeFiles`), so both train on the same images.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
// Only the layouts and the split (plain code, no TensorFlow.js): the page keeps stock tfjs kernels.
import { organizeFiles } from '../src/io/dataset.js';
import { MODEL_URL, WASM_PATH, Watch, environment, files, takeFiles, type NamedFile, type Usage } from './common.js';

/** The layer the article cuts MobileNet at. */
const CUT_LAYER = 'conv_pw_13_relu';

/** Same phases as the pipeline's `TrainedDetail.phaseMs`, so each can be set side by side. */
export interface NaiveResult {
  durationMs: number;
  phaseMs: { 'loading-model': number; reading: number; training: number };
  images: number;
  /** Each photo's decode (file → full-size pixels tensor), in the order read, with its size. */
  decodes: { path: string; ms: number; megapixels: number }[];
  trainImages: number;
  validationImages: number;
  epochs: number;
  validationAccuracy: number | null;
}

/**
 * A file's pixels the article's way: an `<img>` from an object URL, drawn at its full size on a
 * canvas, read back with `tf.browser.fromPixels`.
 *
 * @returns `[height, width, 3]` int32 at the photo's full size; the caller disposes it.
 */
export async function naivePixels(file: Blob): Promise<tf.Tensor3D> {
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    canvas.getContext('2d')!.drawImage(img, 0, 0);
    return tf.browser.fromPixels(canvas);
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Center crop to a square, `resizeBilinear` to 224, scale to [-1, 1], add the batch axis. */
function naivePreprocess(pixels: tf.Tensor3D): tf.Tensor4D {
  return tf.tidy(() => {
    const [height, width] = pixels.shape;
    const side = Math.min(height, width);
    const square = pixels.slice([Math.floor((height - side) / 2), Math.floor((width - side) / 2), 0], [side, side, 3]);
    return tf.image.resizeBilinear(square, [224, 224]).toFloat().div(127.5).sub(1).expandDims(0) as tf.Tensor4D;
  });
}

/**
 * Trains from files to a fitted head, the article's way: load MobileNet and cut it, then for each
 * image alone decode, preprocess and `predict` a batch of one; concatenate; fit the same head as
 * the pipeline's (flatten → dense `hiddenUnits` relu → dense N softmax, Adam, batch size 40% of the
 * training images). Frees every tensor it made.
 */
export async function naiveTrain(files: NamedFile[], options: { modelUrl: string; epochs?: number; learningRate?: number; hiddenUnits?: number }): Promise<NaiveResult> {
  const started = performance.now();
  const epochs = options.epochs ?? 20;
  const dataset = await organizeFiles(files);

  let t = performance.now();
  const full = await tf.loadLayersModel(options.modelUrl);
  const base = tf.model({ inputs: full.inputs, outputs: full.getLayer(CUT_LAYER).output as tf.SymbolicTensor });
  const loadMs = performance.now() - t;

  t = performance.now();
  const parts: Record<'train' | 'validation', { activations: tf.Tensor[]; labels: number[] }> = {
    train: { activations: [], labels: [] },
    validation: { activations: [], labels: [] },
  };
  const labelIndex = new Map(dataset.labels.map((label, i) => [label, i]));
  const decodes: NaiveResult['decodes'] = [];
  let xs: tf.Tensor | undefined;
  let validationXs: tf.Tensor | undefined;
  let head: tf.Sequential | undefined;
  try {
    for (const example of dataset.examples) {
      let pixels: tf.Tensor3D;
      const decodeStart = performance.now();
      try {
        pixels = await naivePixels(example.file);
      } catch {
        continue; // the article had no answer for undecodable files; skip them like the pipeline does
      }
      decodes.push({ path: example.path, ms: performance.now() - decodeStart, megapixels: (pixels.shape[0] * pixels.shape[1]) / 1e6 });
      const activations = tf.tidy(() => base.predict(naivePreprocess(pixels)) as tf.Tensor);
      pixels.dispose();
      parts[example.split].activations.push(activations);
      parts[example.split].labels.push(labelIndex.get(example.label)!);
    }
    xs = tf.concat(parts.train.activations);
    if (parts.validation.activations.length > 0) validationXs = tf.concat(parts.validation.activations);
    await xs.data(); // the reading phase ends when its activations exist, as in the pipeline
    const readMs = performance.now() - t;

    t = performance.now();
    const n = parts.train.labels.length;
    const oneHot = (labels: number[]) => tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), dataset.labels.length));
    const ys = oneHot(parts.train.labels);
    const validationYs = validationXs ? oneHot(parts.validation.labels) : undefined;
    head = tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: xs.shape.slice(1) }),
        tf.layers.dense({ units: options.hiddenUnits ?? 100, activation: 'relu', kernelInitializer: 'varianceScaling', useBias: true }),
        tf.layers.dense({ units: dataset.labels.length, activation: 'softmax', kernelInitializer: 'varianceScaling', useBias: false }),
      ],
    });
    const optimizer = tf.train.adam(options.learningRate ?? 0.0001);
    head.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    let validationAccuracy: number | null = null;
    try {
      const history = await head.fit(xs, ys, {
        epochs,
        batchSize: Math.max(1, Math.floor(n * 0.4)),
        shuffle: true,
        validationData: validationXs && validationYs ? [validationXs, validationYs] : undefined,
      });
      const accuracies = history.history.val_acc as number[] | undefined;
      validationAccuracy = accuracies ? accuracies[accuracies.length - 1] : null;
    } finally {
      optimizer.dispose();
      ys.dispose();
      validationYs?.dispose();
    }
    const trainMs = performance.now() - t;
    return {
      durationMs: performance.now() - started,
      phaseMs: { 'loading-model': loadMs, reading: readMs, training: trainMs },
      images: n + parts.validation.labels.length,
      decodes,
      trainImages: n,
      validationImages: parts.validation.labels.length,
      epochs,
      validationAccuracy,
    };
  } finally {
    for (const part of [...parts.train.activations, ...parts.validation.activations]) part.dispose();
    xs?.dispose();
    validationXs?.dispose();
    head?.dispose();
    full.dispose();
  }
}

/** Activates a backend the stock way (the pipeline's page reports which one its runs used). */
async function useBackend(name: string): Promise<string> {
  setWasmPaths(WASM_PATH);
  if (!(await tf.setBackend(name))) throw new Error(`backend ${name} unavailable`);
  return tf.getBackend();
}

/** Loads the base model once and runs one image, so the first timed step is not also the page's first tfjs work. */
async function warmUp(backend: string): Promise<string> {
  await useBackend(backend);
  const full = await tf.loadLayersModel(MODEL_URL);
  tf.tidy(() => (full.predict(tf.zeros([1, 224, 224, 3])) as tf.Tensor).dataSync());
  full.dispose();
  return tf.getBackend();
}

/** {@link naiveTrain} on a set's files, watched. */
async function run(name: string, epochs?: number): Promise<{ wallMs: number; result: NaiveResult; usage: Usage }> {
  const watch = new Watch();
  await watch.start();
  const t = performance.now();
  const result = await naiveTrain(files(name), { modelUrl: MODEL_URL, epochs });
  const wallMs = performance.now() - t;
  return { wallMs, result, usage: await watch.stop() };
}

Object.assign(window, { bench: { environment, takeFiles, warmUp, run } });
