import * as tf from './tf.js';

/** The Keras JSON of a functional model, as `LayersModel.toJSON(null, false)` writes it. */
interface ModelJson {
  config: { layers: LayerJson[]; input_layers: NodeRef[]; output_layers: NodeRef[] };
}
interface LayerJson {
  class_name: string;
  name: string;
  config: Record<string, unknown>;
  inbound_nodes: NodeRef[][];
}
/** `[layer name, node index, tensor index, kwargs?]`. */
type NodeRef = [string, number, number, ...unknown[]];

const FOLDABLE = new Set(['Conv2D', 'DepthwiseConv2D']);

/**
 * Returns an equivalent copy of a functional layers model with every inference-mode
 * BatchNormalization folded into the Conv2D or DepthwiseConv2D that feeds it: per output channel
 * c, `scale = gamma / sqrt(movingVariance + epsilon)`, the kernel is multiplied by `scale[c]` and
 * the conv gets a bias `beta - movingMean * scale` (plus its own bias times `scale`, if it had one).
 *
 * Why: MobileNet v1 as published runs conv → BN → ReLU6, and tfjs-layers executes each BN as
 * separate ops over the whole activation map, while a Conv2D bias rides inside the fused conv
 * kernel (DepthwiseConv2D adds its bias as one more op, still cheaper than the BN). Measured on
 * MobileNet v1 0.25 cut at `conv_pw_13_relu`, batches of 32 on a loaded 2-core machine: ~1.25-1.35x
 * faster on wasm, ~1.0-1.2x on webgl (SwiftShader); see `test/core/feature-extractor.test.ts`.
 *
 * The copy keeps every other layer, its name and its config, so layer names (a cut such as
 * `conv_pw_13_relu`) still work and the copy saves as an ordinary tfjs layers model (a model
 * without BatchNormalization layers; convs gain `use_bias: true`). BN layers that do not follow a
 * foldable conv alone (other inputs, a shared conv output, a channel axis other than the last)
 * are kept as they are.
 *
 * The copy's weights are its own (reference-counted data): the caller may dispose `model`
 * afterwards, and should.
 * @param model a functional (`tf.model`) layers model, such as a loaded Keras model or a cut of
 *   one (not a `tf.sequential`, whose JSON has no node links); not modified.
 * @returns a new model the caller disposes, with the same inputs, outputs and output values up
 *   to float32 rounding. Tested on MobileNet with the 32 pexel photos (wasm): each of the 27
 *   folded convs, fed its real input, equals the loaded conv + BN to under 1e-4 (max abs diff at
 *   most 7.6e-5, at `conv_pw_13` on values in [-86, 37]). End to end the per-layer rounding
 *   accumulates to 6.3e-4 on the [0, 6] activations at `conv_pw_13_relu`, which a 1e-4 bound
 *   cannot hold but which stays below the noise floor of float32 itself: the loaded model differs
 *   by 1.1e-3 between the wasm and cpu backends.
 */
export async function foldBatchNorm(model: tf.LayersModel): Promise<tf.LayersModel> {
  const json = model.toJSON(null, false) as unknown as ModelJson;
  const layers = json.config.layers;
  const consumers = new Map<string, number>();
  for (const layer of layers) {
    for (const [name] of layer.inbound_nodes.flat()) consumers.set(name, (consumers.get(name) ?? 0) + 1);
  }
  const byName = new Map(layers.map((layer) => [layer.name, layer]));
  /** BN layer name → the conv it folds into. */
  const foldedInto = new Map<string, string>();
  for (const layer of layers) {
    if (layer.class_name !== 'BatchNormalization' || layer.inbound_nodes.length !== 1) continue;
    const inputs = layer.inbound_nodes[0];
    const conv = inputs.length === 1 ? byName.get(inputs[0][0]) : undefined;
    const axis = layer.config.axis;
    if (!conv || !FOLDABLE.has(conv.class_name) || conv.inbound_nodes.length !== 1) continue;
    if (consumers.get(conv.name) !== 1 || (axis !== -1 && axis !== 3)) continue;
    if (conv.config.data_format !== 'channels_last') continue;
    foldedInto.set(layer.name, conv.name);
    conv.config.use_bias = true;
  }
  const rename = (ref: NodeRef): NodeRef => (foldedInto.has(ref[0]) ? [foldedInto.get(ref[0])!, 0, 0, ...ref.slice(3)] : ref);
  json.config.layers = layers.filter((layer) => !foldedInto.has(layer.name)).map((layer) => ({ ...layer, inbound_nodes: layer.inbound_nodes.map((node) => node.map(rename)) }));
  json.config.output_layers = json.config.output_layers.map(rename);

  const folded = await tf.models.modelFromJSON({ modelTopology: json as unknown as tf.io.ModelJSON['modelTopology'] });
  const bnOf = new Map([...foldedInto].map(([bn, conv]) => [conv, bn]));
  try {
    for (const layer of folded.layers) {
      const bn = bnOf.get(layer.name);
      const weights = bn ? foldedWeights(model.getLayer(layer.name), model.getLayer(bn)) : copies(model.getLayer(layer.name));
      // setWeights() makes each variable take over the tensor's data; dropping ours leaves theirs.
      layer.setWeights(weights);
      tf.dispose(weights);
    }
  } catch (error) {
    folded.dispose();
    throw error;
  }
  return folded;
}

const copies = (layer: tf.layers.Layer) => layer.getWeights().map((w) => w.clone());

/** `[kernel * scale, bias]` of a conv followed by a BN (weights in the order tfjs-layers builds them). */
function foldedWeights(conv: tf.layers.Layer, bn: tf.layers.Layer): tf.Tensor[] {
  return tf.tidy(() => {
    const { scale: hasGamma, center: hasBeta, epsilon } = bn.getConfig() as { scale: boolean; center: boolean; epsilon: number };
    const bnWeights = [...bn.getWeights()];
    const gamma = hasGamma ? bnWeights.shift()! : tf.scalar(1);
    const beta = hasBeta ? bnWeights.shift()! : tf.scalar(0);
    const [mean, variance] = bnWeights;
    const scale = gamma.div(variance.add(epsilon).sqrt());
    const [kernel, convBias] = conv.getWeights();
    // Conv2D kernels are [kh, kw, in, out], so the scale broadcasts over the last axis as it is;
    // DepthwiseConv2D kernels are [kh, kw, in, multiplier] with output channel i * multiplier + m,
    // so there it reshapes to [in, multiplier].
    const channelScale = conv.getClassName() === 'DepthwiseConv2D' ? scale.reshape(kernel.shape.slice(2)) : scale;
    const bias = beta.sub(mean.mul(scale)).add(convBias ? convBias.mul(scale) : 0);
    return [kernel.mul(channelScale), bias];
  });
}
