import * as tf from './tf.js';

/** MobileNet v1's input side in pixels: images become `[224, 224, 3]`. */
export const INPUT_SIZE = 224;

/**
 * Pixels the core accepts: an RGB(A) `ImageData`-like object, any source `tf.browser.fromPixels`
 * takes, or an integer `[height, width, 3]` tensor with values 0-255 (not disposed here).
 */
export type ImageInput = tf.Tensor3D | tf.PixelData | ImageData | ImageBitmap | HTMLCanvasElement | OffscreenCanvas | HTMLImageElement | HTMLVideoElement;

/**
 * The one preprocessing step shared by training and prediction, as MobileNet v1 was trained:
 * center-crop to the largest square, bilinear resize to 224x224 (`tf.image.cropAndResize`, which
 * does both at once), and scale 0-255 to [-1, 1] as `x / 127.5 - 1`.
 *
 * 224x224 pixel data (what the io layer's `decodeImage` returns) has nothing to crop or resize, so
 * its bytes are scaled in one pass on the CPU instead, without any tensor work: the same values
 * (to float rounding), about 5 ms less per image on WASM.
 *
 * @param image any `ImageInput` of any size (1x1 works); alpha is dropped here, so composite
 *   transparent images onto a background before (the io layer uses white).
 * @returns a new float32 tensor `[224, 224, 3]` in [-1, 1]; the caller disposes it.
 */
export function preprocess(image: ImageInput): tf.Tensor3D {
  if (isNetworkSized(image)) return tf.tensor3d(scaled([image]), [INPUT_SIZE, INPUT_SIZE, 3]);
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
    const square = tf.image.cropAndResize(
      pixels.toFloat().expandDims(0) as tf.Tensor4D,
      [box],
      [0],
      [INPUT_SIZE, INPUT_SIZE],
      'bilinear',
    );
    return square.squeeze<tf.Tensor3D>([0]).div(127.5).sub(1);
  });
}

/**
 * {@link preprocess} for a batch: `[n, 224, 224, 3]` in [-1, 1], a new tensor the caller disposes.
 * A batch of 224x224 pixel data becomes one tensor from one buffer (no per-image tensors).
 *
 * @param scratch optional buffer of at least `n * 150,528` floats that 224x224 pixel data is
 *   scaled into, instead of a new array: a fresh 19 MB array for 32 images cost ~60 ms of page
 *   faults (measured on WASM), 13 times the scaling itself. The tensor may keep a view of it (CPU
 *   backend; WebGL until its first use), so refill it only once that tensor is used or disposed.
 */
export function preprocessBatch(images: readonly ImageInput[], scratch?: Float32Array): tf.Tensor4D {
  if (images.every(isNetworkSized)) {
    return tf.tensor4d(scaled(images as ImageData[], scratch), [images.length, INPUT_SIZE, INPUT_SIZE, 3]);
  }
  return tf.tidy(() => tf.stack(images.map(preprocess)) as tf.Tensor4D);
}

const PIXELS = INPUT_SIZE * INPUT_SIZE;

/** RGBA pixel data of exactly 224x224, whose crop and resize are the identity. */
function isNetworkSized(image: ImageInput): image is ImageData {
  return !(image instanceof tf.Tensor) && 'data' in image && image.width === INPUT_SIZE && image.height === INPUT_SIZE && image.data.length === PIXELS * 4;
}

/** `x / 127.5 - 1` for every byte value x, looked up rather than computed 150,528 times an image. */
const SCALED = Float32Array.from({ length: 256 }, (_, x) => x / 127.5 - 1);

/** The images' RGB bytes scaled, one after the other: `[n * 224 * 224 * 3]`, in `scratch` when given. */
function scaled(images: readonly ImageData[], scratch?: Float32Array): Float32Array {
  const length = images.length * PIXELS * 3;
  const values = scratch ? scratch.subarray(0, length) : new Float32Array(length);
  let o = 0;
  for (const { data } of images) {
    for (let i = 0; i < PIXELS * 4; i += 4) {
      values[o++] = SCALED[data[i]];
      values[o++] = SCALED[data[i + 1]];
      values[o++] = SCALED[data[i + 2]];
    }
  }
  return values;
}
