import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/core/backend.js';
import { BASE_MODELS, baseModelUrl, type BaseModelId } from '../../src/core/base-models.js';
import { loadBaseModel } from '../../src/core/feature-extractor.js';
import { ClassifierError } from '../../src/core/errors.js';
import { metadataPreprocessing } from '../../src/core/model-io.js';
import type { FileWithPath } from '../../src/io/dataset.js';
import { imageToInput } from '../../src/io/model-input.js';
import { Trainer } from '../../src/engine/trainer.js';
import type { Progress } from '../../src/types.js';
import { COLORS, MODEL_URL, WASM_PATH, isPhoto, sharedFolder, tensorCount } from '../helpers.js';

const MODELS_PATH = '/shared/models/';
/** The registry bases whose weights are in ../shared/models. */
const SHARED_BASES: BaseModelId[] = ['mobilenet-v1-0.25', 'mobilenet-v1-0.75', 'mobilenet-v2-0.35', 'mobilenet-v2-0.50-96'];

/** Each photo's probabilities in label order, from `predict`. */
async function scores(trainer: Trainer, photos: FileWithPath[]): Promise<number[][]> {
  const out: number[][] = [];
  for (const { file, path } of photos) {
    const { scores } = await trainer.predict(file, path);
    out.push(trainer.labels.map((label) => scores.find((s) => s.label === label)!.probability));
  }
  return out;
}

const maxDiff = (a: number[][], b: number[][]) => Math.max(...a.flat().map((v, i) => Math.abs(v - b.flat()[i])));

async function rejection(promise: Promise<unknown>): Promise<ClassifierError> {
  try {
    await promise;
  } catch (error) {
    return error as ClassifierError;
  }
  throw new Error('expected a rejection');
}

describe('base models: every base in ../shared, through the Trainer (wasm)', function () {
  let colors: FileWithPath[];
  let photos: FileWithPath[];

  before(async () => {
    colors = await sharedFolder(COLORS);
    photos = colors.filter((f) => isPhoto(f.path));
  });

  it('each base gives activations of its documented shape, from the documented input size and range', async () => {
    await selectBackend('wasm', WASM_PATH);
    const start = tensorCount();
    const shapes: Record<string, unknown> = {};
    for (const id of SHARED_BASES) {
      const spec = BASE_MODELS[id];
      const extractor = await loadBaseModel({ id, url: baseModelUrl(spec, undefined, MODELS_PATH) });
      const batch = tf.zeros([2, spec.inputSize, spec.inputSize, 3]) as tf.Tensor4D;
      const out = extractor.activations(batch);
      shapes[id] = { input: [extractor.inputSize, [...extractor.inputRange]], activations: out.shape };
      tf.dispose([batch, out]);
      extractor.dispose();
    }
    expect(shapes).to.deep.equal({
      'mobilenet-v1-0.25': { input: [224, [-1, 1]], activations: [2, 7, 7, 256] },
      'mobilenet-v1-0.75': { input: [224, [-1, 1]], activations: [2, 768] },
      'mobilenet-v2-0.35': { input: [224, [-1, 1]], activations: [2, 1280] },
      'mobilenet-v2-0.50-96': { input: [96, [0, 1]], activations: [2, 1280] },
    });
    // grid: 3x3 averages of overlapping windows over the 7x7 map.
    const grid = await loadBaseModel({ id: 'mobilenet-v2-0.35', url: baseModelUrl(BASE_MODELS['mobilenet-v2-0.35'], undefined, MODELS_PATH) }, { pooling: 'grid' });
    const map = await loadBaseModel({ id: 'mobilenet-v2-0.35', url: baseModelUrl(BASE_MODELS['mobilenet-v2-0.35'], undefined, MODELS_PATH) }, { pooling: 'none' });
    const batch = tf.randomUniform([1, 224, 224, 3], -1, 1) as tf.Tensor4D;
    const [pooled, full] = [grid.activations(batch), map.activations(batch)];
    expect(pooled.shape).to.deep.equal([1, 3, 3, 1280]);
    // Window (1, 2) covers rows 2-4 and columns 4-6 of the map.
    const expected = tf.tidy(() => full.slice([0, 2, 4, 0], [1, 3, 3, 1280]).mean([1, 2]));
    const actual = tf.tidy(() => pooled.slice([0, 1, 2, 0], [1, 1, 1, 1280]).reshape([1, 1280]));
    expect(tf.tidy(() => actual.sub(expected).abs().max().dataSync()[0])).to.be.below(1e-4);
    tf.dispose([batch, pooled, full, expected, actual]);
    grid.dispose();
    map.dispose();
    expect(tensorCount()).to.equal(start);
    const error = await rejection(loadBaseModel({ id: 'mobilenet-v2-0.50-96', url: baseModelUrl(BASE_MODELS['mobilenet-v2-0.50-96'], undefined, MODELS_PATH) }, { pooling: 'grid' }));
    expect(error.code).to.equal('invalid-option');
    expect(tensorCount()).to.equal(start);
  });

  for (const id of SHARED_BASES) {
    it(`${id}: features of the documented shape, 100% on colors, saved and loaded back to 1e-5, no tensor left`, async () => {
      const start = tensorCount();
      const spec = BASE_MODELS[id];
      const trainer = new Trainer();
      const progress: Progress[] = [];
      const detail = await trainer.train(colors, { baseModel: id, modelsPath: MODELS_PATH, backend: 'wasm', wasmPath: WASM_PATH, epochs: 20 }, { onProgress: (p) => progress.push(p) });
      expect(detail.validationAccuracy).to.equal(1);
      expect(detail.accuracy).to.equal(1);

      const files = await trainer.save();
      const metadata = JSON.parse(await files[2].text());
      const features = spec.pooling === 'none' ? [7, 7, spec.features] : [spec.features];
      expect(metadata.baseModel).to.include({ id, url: `${MODELS_PATH}${spec.folder}/model.json`, format: spec.format, pooling: spec.pooling });
      expect(metadata.preprocessing).to.include({ size: spec.inputSize });
      expect(metadata.preprocessing.inputRange).to.deep.equal([...spec.inputRange]);
      // The saved model's input: the joined base and head take images; a graph base's head takes features.
      const model = JSON.parse(await files[0].text());
      const inputShape = spec.format === 'layers' ? [null, spec.inputSize, spec.inputSize, 3] : [null, ...features];
      expect(model.modelTopology.config.layers[0].config.batch_input_shape ?? model.modelTopology.config.layers[0].config.layers[0].config.batch_input_shape).to.deep.equal(inputShape);

      const before = await scores(trainer, photos);
      const loaded = new Trainer();
      await loaded.load(files, { backend: 'wasm', wasmPath: WASM_PATH });
      expect(loaded.labels).to.deep.equal(trainer.labels);
      expect(maxDiff(await scores(loaded, photos), before)).to.be.below(1e-5);
      trainer.dispose();
      loaded.dispose();
      expect(tensorCount()).to.equal(start);
    });
  }

  it('a page that sets only model-url to its MobileNet v1 0.25 copy trains the original recipe on it: [7, 7, 256] flattened', async () => {
    const trainer = new Trainer();
    await trainer.train(colors, { modelUrl: MODEL_URL, backend: 'wasm', wasmPath: WASM_PATH, epochs: 2 });
    const metadata = JSON.parse(await (await trainer.save())[2].text());
    expect(metadata.baseModel).to.include({ id: 'mobilenet-v1-0.25', cutLayer: 'conv_pw_13_relu', pooling: 'none', format: 'layers' });
    expect(metadata.preprocessing).to.include({ size: 224, scale: 'x / 127.5 - 1' });
    trainer.dispose();
  });

  it('recognises a v2 base given by model-url alone, and cuts it at out_relu with average pooling', async () => {
    const trainer = new Trainer();
    await trainer.train(colors, { modelUrl: `${MODELS_PATH}mobilenet_v2_0.35_224_no_top/model.json`, backend: 'wasm', wasmPath: WASM_PATH, epochs: 2 });
    const metadata = JSON.parse(await (await trainer.save())[2].text());
    expect(metadata.baseModel).to.include({ cutLayer: 'out_relu', pooling: 'average', format: 'layers' });
    trainer.dispose();
  });

  it('a saved model loaded with plain tf.loadLayersModel and imageToInput gives the element’s scores to 1e-4', async () => {
    const trainer = new Trainer();
    await trainer.train(colors, { baseModel: 'mobilenet-v2-0.35', modelsPath: MODELS_PATH, backend: 'wasm', wasmPath: WASM_PATH, epochs: 5 });
    const files = await trainer.save();
    const expected = await scores(trainer, photos);
    const metadata = JSON.parse(await files[2].text());
    const model = await tf.loadLayersModel(tf.io.browserFiles([files[0], files[1]]));
    const actual: number[][] = [];
    for (const { file } of photos) {
      const input = await imageToInput(file, metadataPreprocessing(metadata));
      const output = model.predict(input) as tf.Tensor;
      actual.push([...(await output.data())]);
      tf.dispose([input, output]);
    }
    expect(maxDiff(actual, expected)).to.be.below(1e-4);
    model.dispose();
    trainer.dispose();
  });

  it('augment adds that many copies of each training image, and none of the validation images', async () => {
    const trainer = new Trainer();
    const progress: Progress[] = [];
    const detail = await trainer.train(
      colors,
      { baseModel: 'mobilenet-v2-0.50-96', modelsPath: MODELS_PATH, backend: 'wasm', wasmPath: WASM_PATH, epochs: 5, augment: 3 },
      { onProgress: (p) => progress.push(p) },
    );
    const train = photos.filter((f) => f.path.includes('/training/')).length;
    const reading = progress.filter((p) => p.phase === 'reading');
    expect(reading.at(-1)).to.include({ done: photos.length + 3 * train, total: photos.length + 3 * train });
    expect(Object.values(detail.counts).reduce((n, c) => n + c.train, 0)).to.equal(train);
    expect(detail.validation).to.have.length(photos.length - train);
    trainer.dispose();
  });

  it('refuses an unknown base-model, pooling or augment with invalid-option naming the value, before any work', async () => {
    const trainer = new Trainer();
    const cases: [object, string][] = [
      [{ baseModel: 'mobilenet-v3' }, '"mobilenet-v3"'],
      [{ pooling: 'max' }, '"max"'],
      [{ baseModel: 'mobilenet-v2-0.50-96', modelsPath: MODELS_PATH, pooling: 'none', backend: 'wasm', wasmPath: WASM_PATH }, '"none"'],
      [{ augment: 2.5 }, '2.5'],
      [{ augment: -1 }, '-1'],
      [{ inputRange: [1, -1] }, '1,-1'],
    ];
    for (const [options, named] of cases) {
      const error = await rejection(trainer.train(colors, options));
      expect(error.code).to.equal('invalid-option');
      expect(error.message).to.contain(named);
    }
  });

  it('an unknown base URL fails with model-load-failed naming it', async () => {
    const url = '/shared/models/no-such-base/model.json';
    const error = await rejection(new Trainer().train(colors, { baseModel: 'mobilenet-v2-0.35', modelUrl: url, backend: 'wasm', wasmPath: WASM_PATH }));
    expect(error.code).to.equal('model-load-failed');
    expect(error.message).to.contain(url);
    const unknown = await rejection(new Trainer().train(colors, { baseModel: 'mobilenet-v2-1.00', modelsPath: '/shared/models/', backend: 'wasm', wasmPath: WASM_PATH }));
    expect(unknown.code).to.equal('model-load-failed');
    expect(unknown.message).to.contain('/shared/models/mobilenet_v2_1.00_224_no_top/model.json');
  });
});
