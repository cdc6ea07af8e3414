import { expect, fixture, oneEvent } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { executeServerCommand } from '@web/test-runner-commands';
import { Classifier, type Activations, type LabeledActivations } from '../src/core/classifier.js';
import type { FeatureExtractor } from '../src/core/feature-extractor.js';
import type { FileWithPath } from '../src/io/dataset.js';
import type { FailedDetail, MlClassifier } from '../src/ml-classifier.js';

/** The shared MobileNet copy, served by the test runner from `../shared`. */
export const MODEL_URL = '/shared/models/mobilenet_v1_0.25_224/model.json';
/** Where the dev server serves the WASM backend's binaries. */
export const WASM_PATH = '/node_modules/@tensorflow/tfjs-backend-wasm/dist/';
export const COLORS = 'datasets/dataset-tutorial-for-image-classification/colors';
export const PEXELS = 'datasets/dataset-tutorial-for-image-classification/pexel-images';
export const SIGNS = 'datasets/sign-language-digits';
/** The last folder of a `../shared` path: the top folder of the paths a folder pick gives. */
export const folderName = (folder: string) => folder.split('/').at(-1)!;

/** Paths of the files under `../shared/<folder>`, relative to it, sorted. */
export async function listShared(folder: string): Promise<string[]> {
  return (await executeServerCommand('list-shared', folder)) as string[];
}

/** Whether a shared file is one of the data sets' photos (JPEG or PNG), not a note like SOURCE.md. */
export const isPhoto = (path: string) => /\.(jpe?g|png)$/i.test(path);

/**
 * Photos per label and split of a listed `<training|validation>/<label>/<file>` folder, in the
 * shape of the `trained` event's `counts`: what the element should report for it.
 */
export function splitCounts(paths: string[]): Record<string, { train: number; validation: number }> {
  const counts: Record<string, { train: number; validation: number }> = {};
  for (const [split, label] of paths.filter(isPhoto).map((p) => p.split('/'))) {
    counts[label] ??= { train: 0, validation: 0 };
    counts[label][split === 'validation' ? 'validation' : 'train']++;
  }
  return counts;
}

/**
 * Every file under `../shared/<folder>` as a `File`, with the path a folder picker would give
 * (`<folder name>/<relative path>`).
 */
export async function sharedFolder(folder: string): Promise<FileWithPath[]> {
  const paths = await listShared(folder);
  const name = folder.split('/').pop()!;
  return Promise.all(paths.map(async (p) => ({ file: await sharedFile(`${folder}/${p}`), path: `${name}/${p}` })));
}

/** One file under `../shared` as a `File` named after it. */
export async function sharedFile(path: string): Promise<File> {
  const response = await fetch(`/shared/${path}`);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  const blob = await response.blob();
  return new File([blob], path.split('/').pop()!, { type: blob.type });
}

/** `tf.memory().numTensors`, for before/after leak checks. */
export const tensorCount = () => tf.memory().numTensors;

/** `n` rows of made-up activations of `shape`, every value from `value()` (default: uniform in [-1, 1)). */
export function activationRows(n: number, shape = [7, 7, 256], value = () => Math.random() * 2 - 1): Activations {
  const size = shape.reduce((a, b) => a * b, 1);
  return { shape, rows: Array.from({ length: n }, () => Float32Array.from({ length: size }, value)) };
}

/** `n` rows two labels separate at once (+0.5 or -0.5, plus noise in [-0.5, 0.5)), label `i % 2`. */
export function separable(n: number, shape = [256]): LabeledActivations {
  const labelIndices = Array.from({ length: n }, (_, i) => i % 2);
  const activations = activationRows(n, shape, () => Math.random() - 0.5);
  activations.rows.forEach((row, i) => row.forEach((v, j) => (row[j] = v + (labelIndices[i] ? 0.5 : -0.5))));
  return { activations, labelIndices };
}

/** A Classifier for head-only tests: `train()` never touches the extractor, so a stub one keeps them fast. */
export const headOnly = () => new Classifier({ dispose: () => {} } as FeatureExtractor);

/**
 * `tensorCount()` once elements removed by the previous test (fixture clean-up) or this one have
 * freed their models, which they do in a microtask after removal.
 */
export async function settledTensorCount(): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve));
  return tensorCount();
}

/**
 * The same picture as each kind `predict()` takes besides the file itself: an `<img>` (object URL),
 * a `<canvas>`, its `ImageData`, an `ImageBitmap` and a `[h, w, 3]` tensor. `release()` frees them.
 */
export async function imageInputs(file: File) {
  const img = new Image();
  img.src = URL.createObjectURL(file);
  await img.decode();
  const canvas = document.createElement('canvas');
  [canvas.width, canvas.height] = [img.naturalWidth, img.naturalHeight];
  const context = canvas.getContext('2d')!;
  context.drawImage(img, 0, 0);
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
  const bitmap = await createImageBitmap(file);
  const tensor = tf.browser.fromPixels(canvas);
  const release = () => {
    tensor.dispose();
    bitmap.close();
    URL.revokeObjectURL(img.src);
  };
  return { img, canvas, pixels, bitmap, tensor, release };
}

/** Label names of files picked from a `[<split>/]<label>/<file>` folder: each photo's parent folder, sorted. */
export const labelsIn = (files: { path: string }[]) => [...new Set(files.filter((f) => isPhoto(f.path)).map((f) => f.path.split('/').at(-2)!))].sort();

/** The last validation photo (`validation/<label>/<file>`) of files picked from a folder, with its label and file name. */
export function validationPhoto(files: FileWithPath[]): { file: File; label: string; name: string } {
  const { file, path } = files.filter((f) => isPhoto(f.path) && f.path.split('/').at(-3) === 'validation').at(-1)!;
  return { file, label: path.split('/').at(-2)!, name: path.split('/').at(-1)! };
}

/** The shared Teachable Machine export (a MobileNet v2 base and its head, with metadata.json), and its model.json. */
export const TM_EXPORT = '/shared/models/mobilenet_v2_0.35_224_teachable-machine-export';
export const TM_URL = `${TM_EXPORT}/model.json`;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The details of every `failed` event `el` dispatches from now on. */
export const failures = (el: MlClassifier) => {
  const list: FailedDetail[] = [];
  el.addEventListener('failed', (e) => list.push(e.detail));
  return list;
};

/** Each element's worker, once removed: what it reported after freeing everything, before it ended. */
export const freedAfterRemoval = async (...els: MlClassifier[]) => {
  for (const el of els) expect(await el.memory(), `${el.thread}: memory after removal`).to.deep.equal({ numTensors: 0, numBytes: 0 });
};

/** An element in the page with the Teachable Machine export loaded from `src` (and `webcam` set as given). */
export async function loadedElement(webcam = false) {
  const el = document.createElement('ml-classifier');
  el.wasmPath = WASM_PATH;
  el.setAttribute('model-url', MODEL_URL);
  el.webcam = webcam;
  el.src = TM_URL;
  const loaded = oneEvent(el, 'model-loaded');
  document.body.append(el);
  await loaded;
  await el.updateComplete;
  return el;
}

/** A new `<ml-classifier>` in the page on the recipe's base (`model-url` MobileNet v1 0.25) and the dev server's WASM files. */
export function recipeElement(): Promise<MlClassifier> {
  const el = document.createElement('ml-classifier');
  el.setAttribute('model-url', MODEL_URL);
  el.setAttribute('wasm-path', WASM_PATH);
  return fixture<MlClassifier>(el);
}

/** Trains a recipe element on `files` for 3 epochs, saves the model to `destination` and removes the element. */
export async function saveTrainedModel(files: FileWithPath[], destination: string): Promise<void> {
  const el = await recipeElement();
  el.epochs = 3;
  await el.train(files);
  await el.save(destination);
  el.remove();
}
