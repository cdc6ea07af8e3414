import * as tf from './tf.js';
import type { Pixels } from './augment.js';
import type { InputRange } from './base-models.js';

/** How pixels become a base network's input: the square's side and the value range. */
export interface Preprocessing {
  /** Side of the square input in pixels: 224, or 96 for `mobilenet-v2-0.50-96`. */
  size: number;
  /** `[-1, 1]` (`x / 127.5 - 1`) or `[0, 1]` (`x / 255`). */
  inputRange: InputRange;
}

/** The original recipe's: 224x224, `x / 127.5 - 1` (MobileNet v1 and v2 from Keras). */
export const RECIPE_PREPROCESSING: Preprocessing = { size: 224, inputRange: [-1, 1] };

/**
 * Pixels the core accepts: an RGB(A) `ImageData`-like object, any source `tf.browser.fromPixels`
 * takes, or an integer `[height, width, 3]` tensor with values 0-255 (not disposed here).
 */
export type ImageInput = tf.Tensor3D | tf.PixelData | Pixels | ImageData | ImageBitmap | HTMLCanvasElement | OffscreenCanvas | HTMLImageElement | HTMLVideoElement;

/**
 * The one preprocessing step shared by training and prediction, as the base network was trained:
 * center-crop to the largest square, bilinear resize to `size` x `size` (`tf.image.cropAndResize`,
 * which does both at once), and scale 0-255 to the base's range: `x / 127.5 - 1` for [-1, 1],
 * `x / 255` for [0, 1].
 *
 * Pixel data already `size` x `size` (what the io layer's `decodeImage` returns) has nothing to
 * crop or resize, so its bytes are scaled in one pass on the CPU instead, without any tensor work:
 * the same values (to float rounding), about 5 ms less per image on WASM.
 *
 * @param image any `ImageInput` of any size (1x1 works); alpha is dropped here, so composite
 *   transparent images onto a background before (the io layer uses white).
 * @returns a new float32 tensor `[size, size, 3]` in the base's range; the caller disposes it.
 */
export function preprocess(image: ImageInput, preprocessing: Preprocessing = RECIPE_PREPROCESSING): tf.Tensor3D {
  const { size, inputRange } = preprocessing;
  if (isNetworkSized(image, size)) return tf.tensor3d(scaled([image], preprocessing), [size, size, 3]);
  return tf.tidy(() => {
    const pixels = image instanceof tf.Tensor ? image : tf.browser.fromPixels(image as tf.PixelData, 3);
    const [height, width] = pixels.shape;
    const side = Math.min(height, width);
    // cropAndResize boxes are [y1, x1, y2, x2] with 0..1 spanning pixel centres 0..size-1, and the
    // output's corner pixels land exactly on the box corners.
    const top = (height - side) / 2;
    const left = (width - side) / 2;
    const y = (v: number) => v / Math.max(height - 1, 1);
    const x = (v: number) => v / Math.max(width - 1, 1);
    const box = [y(top), x(left), y(top + side - 1), x(left + side - 1)];
    const square = tf.image.cropAndResize(pixels.toFloat().expandDims(0) as tf.Tensor4D, [box], [0], [size, size], 'bilinear');
    return square
      .squeeze<tf.Tensor3D>([0])
      .div(255 / (inputRange[1] - inputRange[0]))
      .add(inputRange[0]);
  });
}

/**
 * {@link preprocess} for a batch: `[n, size, size, 3]`, a new tensor the caller disposes. A batch
 * of pixel data already `size` x `size` becomes one tensor from one buffer (no per-image tensors).
 *
 * @param scratch optional buffer of at least `n * size * size * 3` floats that such pixel data is
 *   scaled into, instead of a new array: a fresh 19 MB array for 32 images cost ~60 ms of page
 *   faults (measured on WASM), 13 times the scaling itself. The tensor may keep a view of it (CPU
 *   backend; WebGL until its first use), so refill it only once that tensor is used or disposed.
 */
export function preprocessBatch(images: readonly ImageInput[], preprocessing: Preprocessing = RECIPE_PREPROCESSING, scratch?: Float32Array): tf.Tensor4D {
  const { size } = preprocessing;
  if (images.every((image) => isNetworkSized(image, size))) {
    return tf.tensor4d(scaled(images as Pixels[], preprocessing, scratch), [images.length, size, size, 3]);
  }
  return tf.tidy(() => tf.stack(images.map((image) => preprocess(image, preprocessing))) as tf.Tensor4D);
}

/** RGBA pixel data of exactly `size` x `size`, whose crop and resize are the identity. */
function isNetworkSized(image: ImageInput, size: number): image is Pixels {
  return !(image instanceof tf.Tensor) && 'data' in image && image.width === size && image.height === size && image.data.length === size * size * 4;
}

/**
 * Each byte value x scaled to the range, looked up rather than computed 150,528 times an image:
 * `x / (255 / (max - min)) + min`, which is `x / 127.5 - 1` for [-1, 1] to the last bit.
 */
function scaleTable([min, max]: InputRange): Float32Array {
  return Float32Array.from({ length: 256 }, (_, x) => x / (255 / (max - min)) + min);
}

/** The images' RGB bytes scaled, one after the other: `[n * size * size * 3]`, in `scratch` when given. */
function scaled(images: readonly Pixels[], { size, inputRange }: Preprocessing, scratch?: Float32Array): Float32Array {
  const table = scaleTable(inputRange);
  const pixels = size * size;
  const length = images.length * pixels * 3;
  const values = scratch ? scratch.subarray(0, length) : new Float32Array(length);
  let o = 0;
  for (const { data } of images) {
    for (let i = 0; i < pixels * 4; i += 4) {
      values[o++] = table[data[i]];
      values[o++] = table[data[i + 1]];
      values[o++] = table[data[i + 2]];
    }
  }
  return values;
}
