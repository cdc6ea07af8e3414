import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/core/backend.js';
import { foldBatchNorm } from '../../src/core/fold-batch-norm.js';
import { BASE_MODELS } from '../../src/core/base-models.js';
import { loadBaseModel, type FeatureExtractor } from '../../src/core/feature-extractor.js';

const CUT_LAYER = BASE_MODELS['mobilenet-v1-0.25'].cutLayer!;
import { preprocess } from '../../src/core/preprocess.js';
import { decodeImage } from '../../src/io/decode.js';
import { MODEL_URL, PEXELS, WASM_PATH, isPhoto, listShared, sharedFile, tensorCount } from '../helpers.js';

const maxAbsDiff = (x: tf.Tensor, y: tf.Tensor) => tf.tidy(() => x.sub(y).abs().max().dataSync()[0]);

/**
 * Median ms per image of `rounds` `predict` calls of each model on `batch` (values read back),
 * after one warm-up call each. Runs alternate between the models, so load from other processes
 * on the machine skews both alike.
 */
async function msPerImage(models: tf.LayersModel[], batch: tf.Tensor4D, rounds: number): Promise<number[]> {
  const run = async (model: tf.LayersModel) => {
    const start = performance.now();
    const out = model.predict(batch) as tf.Tensor;
    await out.data();
    out.dispose();
    return performance.now() - start;
  };
  for (const model of models) await run(model);
  const times = models.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) for (const [i, model] of models.entries()) times[i].push(await run(model));
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(rounds / 2)] / batch.shape[0]);
}

describe('core: MobileNet with BatchNormalization folded', function () {
  let extractor: FeatureExtractor;
  /** The published model cut at conv_pw_13_relu, BN layers as loaded. */
  let unfolded: tf.LayersModel;
  let full: tf.LayersModel;
  /** The 32 pexel photos, preprocessed: [32, 224, 224, 3]. */
  let photos: tf.Tensor4D;

  before(async () => {
    await selectBackend('wasm', WASM_PATH);
    extractor = await loadBaseModel({ url: MODEL_URL });
    full = await tf.loadLayersModel(MODEL_URL);
    unfolded = tf.model({ inputs: full.inputs, outputs: full.getLayer(CUT_LAYER).output as tf.SymbolicTensor });
    const paths = (await listShared(PEXELS)).filter(isPhoto);
    const images = await Promise.all(paths.map(async (p) => decodeImage(await sharedFile(`${PEXELS}/${p}`))));
    photos = tf.tidy(() => tf.stack(images.map((image) => preprocess(image))) as tf.Tensor4D);
  });

  after(() => {
    tf.dispose(photos);
    full.dispose();
    extractor.dispose();
  });

  it('keeps the layer names and the [batch, 224, 224, 3] → [batch, 7, 7, 256] cut, with no BN layer left', () => {
    const model = extractor.model!;
    expect(model.layers.filter((l) => l.getClassName() === 'BatchNormalization')).to.have.length(0);
    expect(model.layers.map((l) => l.name)).to.deep.equal(unfolded.layers.map((l) => l.name).filter((name) => !name.endsWith('_bn')));
    expect(model.outputs[0].shape).to.deep.equal([null, 7, 7, 256]);
    expect(model.outputNames).to.deep.equal([CUT_LAYER]);
    expect(model.inputs[0].shape).to.deep.equal([null, 224, 224, 3]);
  });

  it("gives the loaded model's activations on the 32 pexel photos, closer than the same model on two backends (diffs logged)", async () => {
    const [folded, reference] = [extractor.activations(photos), unfolded.predict(photos) as tf.Tensor];
    const diff = maxAbsDiff(folded, reference);
    // The float32 noise floor: the unfolded model itself, run on the CPU backend instead of WASM.
    await selectBackend('cpu');
    const onCpu = tf.tidy(() => unfolded.predict(tf.tensor(photos.dataSync(), photos.shape)) as tf.Tensor);
    const floor = maxAbsDiff(onCpu, reference);
    await selectBackend('wasm', WASM_PATH);
    const range = tf.tidy(() => reference.max().dataSync()[0]);
    console.log(`on 32 photos, activations 0..${range.toFixed(2)}: folded vs loaded (wasm) max abs diff ${diff.toExponential(2)}; loaded on wasm vs cpu ${floor.toExponential(2)}`);
    expect(diff).to.be.above(0); // really two different computations
    expect(diff).to.be.below(floor);
    tf.dispose([folded, reference, onCpu]);
  });

  it('gives, for every folded conv, conv + BN of the loaded model on its real input to under 1e-4 (largest diff logged)', () => {
    const before = tensorCount();
    const isConv = (layer: tf.layers.Layer) => ['Conv2D', 'DepthwiseConv2D'].includes(layer.getClassName());
    const inboundOf = (layer: tf.layers.Layer) => layer.inboundNodes[0].inboundLayers;
    const bns = unfolded.layers.filter((l) => l.getClassName() === 'BatchNormalization');
    /** conv name → the BN folded into it. */
    const bnOf = new Map<string, tf.layers.Layer>();
    for (const bn of bns) {
      const [conv] = inboundOf(bn);
      if (isConv(conv)) bnOf.set(conv.name, bn);
    }
    // Layer by layer, each output freed once all its consumers in the cut have run: the 81 maps
    // of the 32 photos held at once would take ~460 MiB.
    const consumers = new Map<string, number>();
    for (const layer of unfolded.layers.slice(1)) {
      for (const from of inboundOf(layer)) consumers.set(from.name, (consumers.get(from.name) ?? 0) + 1);
    }
    const outputs = new Map<string, tf.Tensor>([[unfolded.layers[0].name, photos]]);
    const diffs: { name: string; diff: number; min: number; max: number }[] = [];
    for (const layer of unfolded.layers.slice(1)) {
      const inputs = inboundOf(layer).map((from) => outputs.get(from.name)!);
      const input = inputs.length === 1 ? inputs[0] : inputs;
      const output = layer.apply(input) as tf.Tensor;
      const bn = bnOf.get(layer.name);
      if (bn) {
        const reference = bn.apply(output) as tf.Tensor;
        const folded = extractor.model!.getLayer(layer.name).apply(input) as tf.Tensor;
        const [min, max] = tf.tidy(() => [reference.min().dataSync()[0], reference.max().dataSync()[0]]);
        diffs.push({ name: layer.name, diff: maxAbsDiff(folded, reference), min, max });
        tf.dispose([reference, folded]);
      }
      outputs.set(layer.name, output);
      for (const from of inboundOf(layer)) {
        const left = consumers.get(from.name)! - 1;
        consumers.set(from.name, left);
        if (left === 0 && outputs.get(from.name) !== photos) outputs.get(from.name)!.dispose();
      }
    }
    tf.dispose([...outputs.values()].filter((t) => t !== photos && !t.isDisposed));

    const worst = diffs.reduce((a, b) => (b.diff > a.diff ? b : a));
    console.log(
      `per folded layer on 32 photos (wasm), ${diffs.length} layers: largest max abs diff ${worst.diff.toExponential(2)} ` +
        `at ${worst.name} (conv + BN values ${worst.min.toFixed(2)}..${worst.max.toFixed(2)})`,
    );
    expect(diffs).to.have.length(bns.length);
    for (const { name, diff } of diffs) {
      expect(diff, name).to.be.above(0); // really two different computations
      expect(diff, name).to.be.below(1e-4);
    }
    expect(tensorCount()).to.equal(before);
  });

  it('saves and reloads as an ordinary layers model giving the same activations', async () => {
    let artifacts: tf.io.ModelArtifacts | undefined;
    await extractor.model!.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const reloaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    const batch = photos.slice(0, 2);
    const [a, b] = [extractor.activations(batch), reloaded.predict(batch) as tf.Tensor];
    expect(maxAbsDiff(a, b)).to.equal(0);
    tf.dispose([batch, a, b]);
    reloaded.dispose();
  });

  it('folds a depthwise multiplier > 1, a conv with its own bias and a BN without gamma or beta', async () => {
    const input = tf.input({ shape: [9, 9, 3] });
    let x = tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, useBias: false, name: 'dw' }).apply(input) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization({ name: 'dw_bn' }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.conv2d({ filters: 4, kernelSize: 1, useBias: true, name: 'pw' }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization({ center: false, scale: false, epsilon: 0.01, name: 'pw_bn' }).apply(x) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: x });
    // Non-trivial statistics; variances stay positive.
    for (const layer of model.layers.slice(1)) {
      const values = layer.weights.map((w) => {
        const shape = w.shape as number[];
        return w.name.includes('variance') ? tf.randomUniform(shape, 0.2, 2) : tf.randomNormal(shape);
      });
      layer.setWeights(values);
      tf.dispose(values);
    }
    const folded = await foldBatchNorm(model);
    expect(folded.layers.map((l) => l.name)).to.deep.equal([model.layers[0].name, 'dw', 'pw']);
    const images = tf.randomNormal([2, 9, 9, 3]);
    const [a, b] = [folded.predict(images) as tf.Tensor, model.predict(images) as tf.Tensor];
    expect(maxAbsDiff(a, b)).to.be.below(1e-4);
    tf.dispose([images, a, b]);
    folded.dispose();
    model.dispose();
  });

  it('frees every tensor it loads: the same count after dispose as before load', async () => {
    const before = tensorCount();
    const other = await loadBaseModel({ url: MODEL_URL });
    other.dispose();
    expect(tensorCount()).to.equal(before);
  });

  it('is faster than the loaded model on wasm and webgl (batch of 32, figures logged)', async () => {
    const lines: string[] = [];
    // One webgl round: a 32-image batch takes ~10 s there (SwiftShader), so more would add minutes.
    for (const [backend, rounds] of [
      ['wasm', 5],
      ['webgl', 1],
    ] as const) {
      if (!(await tf.setBackend(backend))) continue;
      const [foldedMs, unfoldedMs] = await msPerImage([extractor.model!, unfolded], photos, rounds);
      const [a, b] = [extractor.activations(photos), unfolded.predict(photos) as tf.Tensor];
      lines.push(
        `${backend}: folded ${foldedMs.toFixed(1)} ms/image, loaded ${unfoldedMs.toFixed(1)} ms/image ` + `(${(unfoldedMs / foldedMs).toFixed(2)}x), max abs diff ${maxAbsDiff(a, b).toExponential(2)}`,
      );
      tf.dispose([a, b]);
    }
    await selectBackend('wasm');
    console.log(`MobileNet activations, BN folded vs as loaded: ${lines.join('; ')}`);
  });
});
