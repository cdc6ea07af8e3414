import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/core/backend.js';
import { Classifier } from '../../src/core/classifier.js';
import { loadBaseModel, type FeatureExtractor } from '../../src/core/feature-extractor.js';
import { preprocess, preprocessBatch } from '../../src/core/preprocess.js';
import { decodeImage } from '../../src/io/decode.js';
import { COLORS, MODEL_URL, WASM_PATH, activationRows, headOnly, isPhoto, listShared, separable, sharedFile, tensorCount } from '../helpers.js';

describe('core: preprocessing', () => {
  it('center-crops, resizes to 224x224 and scales 0-255 to [-1, 1]', () => {
    // 2 rows x 4 columns: red outer columns are cropped away; the centre 2x2 is [[a, b], [c, d]].
    const a = [0, 0, 0],
      b = [255, 255, 255],
      c = [51, 102, 153],
      d = [255, 0, 255],
      red = [255, 0, 0];
    const image = tf.tensor3d(
      [
        [red, a, b, red],
        [red, c, d, red],
      ],
      [2, 4, 3],
      'int32',
    );
    const out = preprocess(image);
    expect(out.shape).to.deep.equal([224, 224, 3]);
    const values = out.arraySync();
    const scaled = (p: number[]) => p.map((v) => v / 127.5 - 1);
    expect(values[0][0]).to.deep.equal(scaled(a));
    expect(values[0][223]).to.deep.equal(scaled(b));
    expect(values[223][0].map((v) => +v.toFixed(5))).to.deep.equal(scaled(c).map((v) => +v.toFixed(5)));
    expect(values[223][223]).to.deep.equal(scaled(d));
    // Bilinear: the middle of the top row is halfway between a and b.
    expect(values[0][111][0]).to.be.closeTo(-1 + (111 / 223) * 2, 1e-5);
    image.dispose();
    out.dispose();
  });

  it('scales 224x224 pixel data (what decoding gives) to the same values as the tensor path, alone and in a batch', () => {
    const before = tensorCount();
    const random = () => {
      const data = new Uint8ClampedArray(224 * 224 * 4).map(() => Math.floor(Math.random() * 256));
      return new ImageData(data, 224, 224);
    };
    const images = [random(), random(), random()];
    // A tensor input always goes through cropAndResize (the identity at 224x224) and tf's scaling.
    const viaTensors = tf.tidy(() => tf.stack(images.map((image) => preprocess(tf.browser.fromPixels(image, 3)))));
    const fast = preprocessBatch(images);
    const scratch = new Float32Array(4 * 224 * 224 * 3).fill(7);
    const intoScratch = preprocessBatch(images, undefined, scratch);
    const single = preprocess(images[1]);
    expect(fast.shape).to.deep.equal([3, 224, 224, 3]);
    const diff = (x: tf.Tensor, y: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(x, y))).dataSync()[0]);
    expect(diff(fast, viaTensors)).to.be.lessThan(1e-5);
    expect(diff(intoScratch, viaTensors)).to.be.lessThan(1e-5);
    expect(tf.tidy(() => diff(single, tf.slice(viaTensors, [1], [1]).squeeze([0])))).to.be.lessThan(1e-5);
    expect(scratch[3 * 224 * 224 * 3], 'floats past the batch are left alone').to.equal(7);
    tf.dispose([viaTensors, fast, intoScratch, single]);
    expect(tensorCount()).to.equal(before);
  });

  it('turns a 1x1 image into a uniform 224x224 image', () => {
    const before = tensorCount();
    const image = tf.tensor3d([[[255, 0, 51]]], [1, 1, 3], 'int32');
    const out = preprocess(image);
    const mean = out.mean([0, 1]);
    expect([...mean.dataSync()].map((v) => +v.toFixed(4))).to.deep.equal([1, -1, -0.6]);
    tf.dispose([image, out, mean]);
    expect(tensorCount()).to.equal(before);
  });
});

describe('core: MobileNet cut and head, on the real model', function () {
  let extractor: FeatureExtractor;
  let backend: string;

  before(async () => {
    backend = await selectBackend('auto', WASM_PATH);
    extractor = await loadBaseModel({ url: MODEL_URL });
  });

  it('picks a working backend: WebGL on a real GPU, else WASM', () => {
    expect(['webgl', 'wasm']).to.include(backend);
    expect(tf.getBackend()).to.equal(backend);
  });

  it('cuts MobileNet at conv_pw_13_relu, giving [batch, 7, 7, 256]', () => {
    expect(extractor.activationShape).to.deep.equal([7, 7, 256]);
    const out = tf.tidy(() => extractor.activations(tf.zeros([2, 224, 224, 3])));
    expect(out.shape).to.deep.equal([2, 7, 7, 256]);
    out.dispose();
  });

  it('trains on the colors set to 100% validation accuracy, predicts probabilities summing to 1, and leaks no tensor', async () => {
    const start = tensorCount();
    const classifier = new Classifier(extractor);
    // `<training|validation>/<blue|red>/<file>.png`, as listed on disk.
    const photos = (await listShared(COLORS)).filter(isPhoto).map((p) => p.split('/'));
    const labels = ['blue', 'red'];
    const load = async (split: string) => {
      const files = photos.filter(([s]) => s === split);
      return {
        images: await Promise.all(files.map(async (p) => decodeImage(await sharedFile(`${COLORS}/${p.join('/')}`)))),
        labelIndices: files.map(([, label]) => labels.indexOf(label)),
      };
    };
    const [trainSet, validationSet] = [await load('training'), await load('validation')];
    const validationImages = validationSet.images;
    const train = { activations: await classifier.activations(trainSet.images), labelIndices: trainSet.labelIndices };
    const validation = { activations: await classifier.activations(validationImages), labelIndices: validationSet.labelIndices };
    expect(train.activations.shape).to.deep.equal([7, 7, 256]);
    expect(train.activations.rows).to.have.length(trainSet.images.length);
    // Read back to CPU memory batch by batch: no tensor of them is left.
    expect(tensorCount() - start).to.equal(0);
    expect(new Set(train.labelIndices)).to.deep.equal(new Set([0, 1]));
    const epochs: number[] = [];
    const result = await classifier.train(['blue', 'red'], train, validation, { epochs: 20 }, { onEpochEnd: (e) => epochs.push(e.epoch) });
    expect(epochs).to.deep.equal(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(result.validationAccuracy).to.equal(1);
    expect(result.accuracy).to.equal(1);
    expect(result.history.loss).to.have.length(20);
    expect(result.history.loss[19]).to.be.lessThan(result.history.loss[0]);

    const redIndex = validationSet.labelIndices.indexOf(1);
    const prediction = await classifier.predict(validationImages[redIndex]);
    expect(prediction.label).to.equal('red');
    expect(prediction.scores.map((s) => s.label).sort()).to.deep.equal(['blue', 'red']);
    expect(prediction.scores.reduce((sum, s) => sum + s.probability, 0)).to.be.closeTo(1, 1e-5);
    expect(prediction.confidence).to.equal(prediction.scores[0].probability);

    // Only the head's weights (2 dense layers: kernel + bias, kernel) remain while the classifier lives.
    expect(tensorCount() - start).to.equal(3);
  });

  it('dispose() frees the head and the base model', async () => {
    const start = tensorCount();
    const classifier = new Classifier(await loadBaseModel({ url: MODEL_URL }));
    expect(tensorCount()).to.be.greaterThan(start + 50);
    await classifier.train(['a', 'b'], { activations: activationRows(2), labelIndices: [0, 1] }, null, { epochs: 1 });
    classifier.dispose();
    expect(tensorCount()).to.equal(start);
  });

  it('aborts training at the next batch without leaking or replacing the trained head', async () => {
    const fresh = await loadBaseModel({ url: MODEL_URL });
    const classifier = new Classifier(fresh);
    const start = tensorCount();
    const xs = activationRows(8);
    const controller = new AbortController();
    let seen = 0;
    const run = classifier.train(
      ['a', 'b'],
      { activations: xs, labelIndices: [0, 1, 0, 1, 0, 1, 0, 1] },
      null,
      { epochs: 50, batchSize: 2 },
      {
        signal: controller.signal,
        onEpochEnd: () => (++seen === 2 ? controller.abort() : undefined),
      },
    );
    let code = '';
    await run.catch((e) => (code = e.code));
    expect(code).to.equal('aborted');
    expect(seen).to.equal(2);
    expect(classifier.trained).to.equal(false);
    expect(tensorCount()).to.equal(start);
    classifier.dispose();
  });

  it('stops with diverged when the loss becomes NaN or infinite, keeping no head and leaking nothing', async () => {
    const classifier = new Classifier(extractor);
    const start = tensorCount();
    // NaN activations (as from a corrupt input) make the very first loss NaN.
    const xs = activationRows(4, [7, 7, 256], () => NaN);
    const error = await classifier.train(['a', 'b'], { activations: xs, labelIndices: [0, 1, 0, 1] }, null, { epochs: 3 }).catch((e) => e);
    expect(error.code).to.equal('diverged');
    expect(error.message).to.contain('epoch 1');
    expect(classifier.trained).to.equal(false);
    expect(tensorCount()).to.equal(start);
  });

  after(() => extractor.dispose());
});

describe('core: training on WebGL', () => {
  before(() => selectBackend('webgl'));
  after(() => selectBackend('auto', WASM_PATH));

  it('keeps the cached activations off the GPU: only the head and the batch in use are textures', async () => {
    const gpuBytes = () => (tf.memory() as tf.MemoryInfo & { numBytesInGPU: number }).numBytesInGPU;
    const n = 2000;
    const { activations, labelIndices } = separable(n);
    const setBytes = n * 256 * 4;
    const classifier = headOnly();
    const start = tensorCount();
    const before = gpuBytes();
    const atEpochEnd: number[] = [];
    const validation = { activations: { shape: activations.shape, rows: activations.rows.slice(0, 300) }, labelIndices: labelIndices.slice(0, 300) };
    const result = await classifier.train(
      ['a', 'b'],
      { activations, labelIndices },
      validation,
      { epochs: 2 },
      {
        onEpochEnd: () => atEpochEnd.push(gpuBytes() - before),
      },
    );
    console.log(`WebGL bytes in GPU textures at each epoch end, over the start: ${atEpochEnd.join(', ')}; the ${n} rows are ${setBytes} bytes`);
    // A tensor of the set, as fit() takes, would be uploaded once and stay: setBytes or more.
    for (const bytes of atEpochEnd) expect(bytes).to.be.below(setBytes / 4);
    expect(result.accuracy).to.equal(1);
    expect(result.validationAccuracy).to.equal(1);
    classifier.dispose();
    expect(tensorCount()).to.equal(start);
  });
});
