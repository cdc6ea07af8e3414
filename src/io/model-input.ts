import * as tf from '../core/tf.js';
import { preprocess, type Preprocessing } from '../core/preprocess.js';
import { decodeImage } from './decode.js';

/**
 * An image as a saved model's input, exactly as `<ml-classifier>` feeds it in training and
 * prediction: decoded upright with transparency on white, the center square drawn at the base's
 * size (`decodeImage`), then scaled to the base's range (`preprocess`). Use it with a saved model
 * in any TensorFlow.js program, so its scores equal the element's:
 *
 * ```js
 * const model = await tf.loadLayersModel('model.json');
 * const metadata = await (await fetch('metadata.json')).json();
 * const scores = model.predict(await imageToInput(file, metadataPreprocessing(metadata)));
 * ```
 *
 * @param source a `File`/`Blob` or any `ImageBitmapSource` (`<img>`, canvas, video, `ImageData`).
 * @param preprocessing the model's: `metadataPreprocessing(metadata)`, or a base's
 *   `{ size, inputRange }` (`BASE_MODELS[id]`).
 * @returns a new `[1, size, size, 3]` float32 tensor the caller disposes.
 * @throws Error with the browser's reason when the image cannot be decoded.
 */
export async function imageToInput(source: ImageBitmapSource, preprocessing: Preprocessing): Promise<tf.Tensor4D> {
  const pixels = await decodeImage(source, preprocessing.size);
  return tf.tidy(() => preprocess(pixels, preprocessing).expandDims(0) as tf.Tensor4D);
}
