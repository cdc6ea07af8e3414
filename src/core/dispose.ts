import type * as tf from './tf.js';

/**
 * Frees every weight of a layers model, nested models included. `LayersModel.dispose()` is not
 * enough here: TensorFlow.js counts each use of a model as a layer (each
 * {@link Classifier.toModel}, the nesting in a loaded model) and frees weights only when that
 * count reaches zero, and a nested model's count is not brought down by its parent's dispose.
 */
export function disposeLayersModel(model: tf.LayersModel): void {
  for (const weight of model.weights) weight.read().dispose();
}
