import * as tf from '@tensorflow/tfjs';
import { executeServerCommand } from '@web/test-runner-commands';
import type { FileWithPath } from '../src/io/dataset.js';

/** The shared MobileNet copy, served by the test runner from `../shared`. */
export const MODEL_URL = '/shared/models/mobilenet_v1_0.25_224/model.json';
/** Where the dev server serves the WASM backend's binaries. */
export const WASM_PATH = '/node_modules/@tensorflow/tfjs-backend-wasm/dist/';
export const COLORS = 'datasets/dataset-tutorial-for-image-classification/colors';
export const PEXELS = 'datasets/dataset-tutorial-for-image-classification/pexel-images';

/**
 * Every file under `../shared/<folder>` as a `File`, with the path a folder picker would give
 * (`<folder name>/<relative path>`).
 */
export async function sharedFolder(folder: string): Promise<FileWithPath[]> {
  const paths = (await executeServerCommand('list-shared', folder)) as string[];
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
