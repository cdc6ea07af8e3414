import * as tf from '@tensorflow/tfjs';

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
 * @param image any `ImageInput` of any size (1x1 works); alpha is dropped here, so composite
 *   transparent images onto a background before (the io layer uses white).
 * @returns a new float32 tensor `[224, 224, 3]` in [-1, 1]; the caller disposes it.
 */
export function preprocess(image: ImageInput): tf.Tensor3D {
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
