import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/core/backend.js';
import { Classifier } from '../../src/core/classifier.js';
import { loadBaseModel } from '../../src/core/feature-extractor.js';
import { loadModelWithMetadata, modelFiles, modelMetadata } from '../../src/core/model-io.js';
import { decodeImage } from '../../src/io/decode.js';
import { COLORS, MODEL_URL, WASM_PATH, isPhoto, listShared, sharedFile, tensorCount } from '../helpers.js';

const TM_EXPORT = '/shared/models/mobilenet_v2_0.35_224_teachable-machine-export';
/** Labels with spaces and non-Latin letters, standing in for the colors set's blue and red. */
const LABELS = ['bleu ciel', 'красный 赤'];

describe('core: saving and loading a trained model', function () {
  let images: ImageData[];
  let classifier: Classifier;
  let initial: number;

  before(async () => {
    initial = tensorCount();
    await selectBackend('auto', WASM_PATH);
    // `<training|validation>/<blue|red>/<file>`: train on the training folder, compare on all.
    const photos = (await listShared(COLORS)).filter(isPhoto).map((p) => p.split('/'));
    images = await Promise.all(photos.map(async (p) => decodeImage(await sharedFile(`${COLORS}/${p.join('/')}`))));
    const train = photos.flatMap(([split, label], i) => (split === 'training' ? [{ i, label: label === 'blue' ? 0 : 1 }] : []));
    classifier = new Classifier(await loadBaseModel({ url: MODEL_URL }));
    const activations = await classifier.activations(train.map((t) => images[t.i]));
    await classifier.train(LABELS, { activations, labelIndices: train.map((t) => t.label) }, null, { epochs: 5 });
  });

  /** Every image's probabilities, in label order. */
  async function probabilities(c: Classifier): Promise<number[][]> {
    const out: number[][] = [];
    for (const image of images) {
      const { scores } = await c.predict(image);
      out.push(c.labels.map((label) => scores.find((s) => s.label === label)!.probability));
    }
    return out;
  }

  it('writes model.json, weights.bin and a Teachable-Machine-style metadata.json, and loads them back with identical predictions', async () => {
    const before = await probabilities(classifier);
    const metadata = modelMetadata({ labels: classifier.labels, base: classifier.extractor.base });
    const start = tensorCount();
    const files = await modelFiles(classifier.toModel(), metadata);
    expect(files.map((f) => f.name)).to.deep.equal(['model.json', 'weights.bin', 'metadata.json']);
    const written = JSON.parse(await files[2].text());
    expect(written).to.include({ imageSize: 224, packageName: 'ml-classifier', tfjsVersion: tf.version.tfjs });
    expect(written.labels).to.deep.equal(LABELS);
    expect(written.preprocessing).to.include({ crop: 'center-square', resize: 'canvas drawImage with imageSmoothingQuality "high"', size: 224, scale: 'x / 127.5 - 1' });
    expect(written.preprocessing.decode).to.contain('EXIF orientation');
    expect(written.baseModel.cutLayer).to.equal('conv_pw_13_relu');
    const modelJson = JSON.parse(await files[0].text());
    expect(modelJson.weightsManifest[0].paths).to.deep.equal(['weights.bin']);
    const bytes = modelJson.weightsManifest[0].weights.reduce((n: number, w: { shape: number[] }) => n + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
    expect(files[1].size).to.equal(bytes);
    expect(tensorCount()).to.equal(start);

    const { model, metadata: read } = await loadModelWithMetadata(files);
    expect(read.labels).to.deep.equal(LABELS);
    const loaded = Classifier.fromModel(model, read.labels);
    const after = await probabilities(loaded);
    after.forEach((row, i) => row.forEach((p, j) => expect(Math.abs(p - before[i][j])).to.be.lessThan(1e-5)));
    loaded.dispose();
    expect(tensorCount()).to.equal(start);
  });

  it('saves to IndexedDB with the metadata inside and loads it back', async () => {
    const before = await probabilities(classifier);
    const model = classifier.toModel();
    model.setUserDefinedMetadata({ ...modelMetadata({ labels: classifier.labels, base: classifier.extractor.base }) });
    await model.save('indexeddb://model-io-test');
    const start = tensorCount();
    const { model: stored, metadata } = await loadModelWithMetadata('indexeddb://model-io-test');
    const loaded = Classifier.fromModel(stored, metadata.labels);
    expect(loaded.labels).to.deep.equal(LABELS);
    const after = await probabilities(loaded);
    after.forEach((row, i) => row.forEach((p, j) => expect(Math.abs(p - before[i][j])).to.be.lessThan(1e-5)));
    loaded.dispose();
    expect(tensorCount()).to.equal(start);
    await tf.io.removeModel('indexeddb://model-io-test');
  });

  it('loads the shared Teachable Machine export with its labels and predicts as the model itself does', async () => {
    const expected = await (await fetch(`${TM_EXPORT}/metadata.json`)).json();
    const start = tensorCount();
    const { model, metadata } = await loadModelWithMetadata(`${TM_EXPORT}/model.json`);
    expect(metadata.labels).to.deep.equal(expected.labels);
    expect(metadata.labels).to.include('C '); // kept by name, trailing space and all
    const input = tf.tidy(() => tf.randomUniform([1, 224, 224, 3], -1, 1));
    const direct = tf.tidy(() => model.predict(input) as tf.Tensor);
    const loaded = Classifier.fromModel(model, metadata.labels);
    expect(loaded.extractor.activationShape).to.deep.equal([1280]);
    // The same input as 0-255 pixels, which predict() scales back to [-1, 1].
    const pixels = tf.tidy(() => input.squeeze().add(1).mul(127.5)) as tf.Tensor3D;
    const { scores } = await loaded.predict(pixels);
    const values = await direct.data();
    expect(scores).to.have.length(expected.labels.length);
    metadata.labels.forEach((label, i) => expect(scores.find((s) => s.label === label)!.probability).to.be.closeTo(values[i], 1e-4));
    tf.dispose([input, direct, pixels]);
    loaded.dispose();
    expect(tensorCount()).to.equal(start);
  });

  it('names the source and the reason when a model has no labels or the wrong number', async () => {
    const files = await modelFiles(classifier.toModel(), modelMetadata({ labels: ['only one'], base: classifier.extractor.base }));
    const start = tensorCount();
    const error = await loadModelWithMetadata(files).catch((e) => e);
    expect(error.code).to.equal('model-load-failed');
    expect(error.message).to.contain('model.json').and.contain('1 labels but the model has 2 outputs');
    const noJson = await loadModelWithMetadata(files.slice(1)).catch((e) => e);
    expect(noJson.message).to.contain('no model.json');
    expect(tensorCount()).to.equal(start);
  });

  it('frees every weight when disposed, after being saved several times', () => {
    classifier.dispose();
    expect(tensorCount()).to.equal(initial);
  });
});
