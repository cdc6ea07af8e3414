// <ml-classifier> save() to IndexedDB and to files and load() from them, from src and from a Teachable
// Machine export; pooled heads; saving at odd moments; saved files missing, wrong, renamed or extra.
import { expect, oneEvent } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import '../../src/ml-classifier.js';
import type { MlClassifier, TrainedDetail } from '../../src/ml-classifier.js';
import type { FileWithPath } from '../../src/io/dataset.js';
import {
  COLORS,
  MODEL_URL,
  SIGNS,
  TM_EXPORT,
  TM_URL,
  WASM_PATH,
  failures,
  freedAfterRemoval,
  isPhoto,
  labelsIn,
  listShared,
  sharedFile,
  sharedFolder,
  recipeElement,
  saveTrainedModel,
} from '../helpers.js';

/** A model trained on the colors set, saved by the file's `before` hook (for save() and load() from files). */
const DB = 'indexeddb://save-and-load-colors';

let files: FileWithPath[];
let photo: File;

before(async () => {
  files = await sharedFolder(COLORS);
  photo = files.find((f) => isPhoto(f.path))!.file;
  await saveTrainedModel(files, DB);
});
after(async () => {
  await tf.io.removeModel(DB).catch(() => {});
});

describe('<ml-classifier>: saving and loading', () => {
  /** The colors set with label folders renamed to names with spaces and non-Latin letters. */
  const LABELS: Record<string, string> = { blue: 'bleu ciel', red: 'красный 赤' };
  const renamed = async () => (await sharedFolder(COLORS)).map((f) => ({ ...f, path: f.path.replace(/\/(blue|red)\//, (_, l: string) => `/${LABELS[l]}/`) }));

  /** Each file's probabilities, in `labels` order. */
  async function probabilities(el: MlClassifier, files: FileWithPath[], labels: string[]) {
    const out: number[][] = [];
    for (const f of files) {
      const { scores } = await el.predict(f.file);
      out.push(labels.map((label) => scores.find((s) => s.label === label)!.probability));
    }
    return out;
  }

  it('saves to IndexedDB and to files, and a fresh element loads either with identical predictions (1e-5) and labels', async () => {
    const trainedEl = await recipeElement();
    trainedEl.epochs = 5;
    const files = await renamed();
    const detail: TrainedDetail = await trainedEl.train(files);
    expect(detail.labels).to.deep.equal(['bleu ciel', 'красный 赤']);
    const images = files.filter((f) => isPhoto(f.path));
    const before = await probabilities(trainedEl, images, detail.labels);

    const saved = await trainedEl.save('indexeddb://ml-classifier-element-test');
    expect(saved.map((f) => f.name)).to.deep.equal(['model.json', 'weights.bin', 'metadata.json']);
    expect(JSON.parse(await saved[2].text()).labels).to.deep.equal(detail.labels);

    const fromDb = document.createElement('ml-classifier');
    fromDb.wasmPath = WASM_PATH;
    const loaded = oneEvent(fromDb, 'model-loaded');
    fromDb.src = 'indexeddb://ml-classifier-element-test';
    document.body.append(fromDb);
    expect((await loaded).detail.labels).to.deep.equal(detail.labels);
    expect(fromDb.status).to.equal('loaded');
    const fromFiles = await recipeElement();
    await fromFiles.load(saved);
    for (const el of [fromDb, fromFiles]) {
      const after = await probabilities(el, images, detail.labels);
      after.forEach((row, i) => row.forEach((p, j) => expect(Math.abs(p - before[i][j])).to.be.lessThan(1e-5)));
    }
    await fromFiles.updateComplete;
    await expect(fromFiles).shadowDom.to.be.accessible();
    for (const el of [trainedEl, fromDb, fromFiles]) el.remove();
    await freedAfterRemoval(trainedEl, fromDb, fromFiles);
    await tf.io.removeModel('indexeddb://ml-classifier-element-test');
  });

  it('loads the shared Teachable Machine export from its src and predicts with its labels', async () => {
    const expected = (await (await fetch(`${TM_EXPORT}/metadata.json`)).json()).labels as string[];
    const el = document.createElement('ml-classifier');
    el.wasmPath = WASM_PATH;
    el.src = `${TM_EXPORT}/model.json`;
    const loaded = oneEvent(el, 'model-loaded');
    document.body.append(el);
    const { detail } = await loaded;
    expect(detail.labels).to.deep.equal(expected);
    expect(detail.metadata.tmVersion).to.be.a('string');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~="results"]')!.textContent).to.contain(`${expected.length} labels`);
    const [photo] = (await listShared(SIGNS)).filter(isPhoto);
    const prediction = await el.predict(await sharedFile(`${SIGNS}/${photo}`));
    expect(prediction.scores.map((s) => s.label).sort()).to.deep.equal([...expected].sort());
    expect(prediction.scores.reduce((n, s) => n + s.probability, 0)).to.be.closeTo(1, 1e-5);
    el.remove();
    await freedAfterRemoval(el);
  });

  it('reports a model without labels by name, and keeps the element usable', async () => {
    const el = await recipeElement();
    const failed = oneEvent(el, 'failed');
    const error = await el.load(`${MODEL_URL}`).catch((e) => e);
    expect(error.code).to.equal('model-load-failed');
    const { detail } = await failed;
    expect(detail).to.include({ during: 'load', source: MODEL_URL });
    expect(detail.message).to.contain(MODEL_URL);
    expect(el.status).to.equal('error');
  });
});

describe('<ml-classifier pooling="average">', () => {
  it('trains the head on [256] averages, and saves and reloads a model that predicts the same', async () => {
    const el = await recipeElement();
    el.pooling = 'average';
    const files = await sharedFolder(COLORS);
    const detail = await el.train(files);
    expect(detail.validationAccuracy).to.equal(1);
    const saved = await el.save('indexeddb://pooled-test');
    const topology = JSON.parse(await saved[0].text()).modelTopology;
    const names = JSON.stringify(topology);
    expect(names).to.contain('activations_average');
    // The head's hidden layer: 256 x 100 weights, not 12,544 x 100.
    const weights = JSON.parse(await saved[0].text()).weightsManifest[0].weights as { name: string; shape: number[] }[];
    expect(weights.some((w) => w.shape[0] === 256 && w.shape[1] === 100)).to.equal(true);
    expect(weights.some((w) => w.shape[0] === 12544)).to.equal(false);
    const image = files.find((f) => isPhoto(f.path))!.file;
    const before = await el.predict(image);
    const fresh = await recipeElement();
    await fresh.load(saved);
    const after = await fresh.predict(image);
    after.scores.forEach((s) => expect(s.probability).to.be.closeTo(before.scores.find((b) => b.label === s.label)!.probability, 1e-5));
    el.remove();
    fresh.remove();
    await tf.io.removeModel('indexeddb://pooled-test');
    await freedAfterRemoval(el, fresh);
  });
});

describe('<ml-classifier>: save() before training, during a retrain and of a loaded model', () => {
  it('save() before training fails with not-trained, naming the destination', async () => {
    const el = await recipeElement();
    const fails = failures(el);
    const error = await el.save('indexeddb://nothing').catch((e) => e);
    el.remove();
    expect(error.code).to.equal('not-trained');
    expect(fails[0]).to.include({ during: 'save', source: 'indexeddb://nothing' });
  });

  it('repeated save() leaks no tensors; save() during a retrain saves the previous model', async () => {
    const el = await recipeElement();
    el.epochs = 2;
    await el.train(files);
    const ref = await el.predict(photo);
    const n = await el.memory();
    for (let i = 0; i < 5; i++) await el.save('indexeddb://breaker-tmp');
    expect(await el.memory()).to.deep.equal(n);
    el.epochs = 30;
    const midSaved = new Promise<File[]>((resolve) =>
      el.addEventListener('progress-changed', ({ detail }) => {
        if (detail.phase === 'training' && detail.done === 2) el.save('indexeddb://breaker-tmp').then(resolve);
      }),
    );
    const run = el.train(files);
    const saved = await midSaved;
    await run;
    const other = await recipeElement();
    await other.load(saved);
    const p = await other.predict(photo);
    other.remove();
    el.remove();
    await tf.io.removeModel('indexeddb://breaker-tmp');
    ref.scores.forEach((s) => expect(p.scores.find((x) => x.label === s.label)!.probability).to.be.closeTo(s.probability, 1e-5));
  });

  it('re-saving a loaded Teachable Machine model keeps its metadata and predictions', async () => {
    const el = await recipeElement();
    await el.load(TM_URL);
    const ref = await el.predict(photo);
    const saved = await el.save('indexeddb://breaker-tm');
    const meta = JSON.parse(await saved[2].text());
    const tm = await (await fetch(`${TM_EXPORT}/metadata.json`)).json();
    expect(meta.labels).to.deep.equal(tm.labels);
    expect(meta.tmVersion).to.equal(tm.tmVersion);
    const other = await recipeElement();
    await other.load(saved);
    const p = await other.predict(photo);
    const db = await recipeElement();
    await db.load('indexeddb://breaker-tm');
    const q = await db.predict(photo);
    for (const e of [el, other, db]) e.remove();
    await tf.io.removeModel('indexeddb://breaker-tm');
    ref.scores.forEach((s) => {
      expect(p.scores.find((x) => x.label === s.label)!.probability).to.be.closeTo(s.probability, 1e-5);
      expect(q.scores.find((x) => x.label === s.label)!.probability).to.be.closeTo(s.probability, 1e-5);
    });
  });
});

describe('<ml-classifier>: load() from saved files missing, wrong, renamed or extra', () => {
  async function savedFiles() {
    const el = await recipeElement();
    await el.load(DB);
    const out = await el.save('indexeddb://breaker-x');
    el.remove();
    await tf.io.removeModel('indexeddb://breaker-x');
    return out;
  }

  it('files without weights.bin must fail (model-load-failed naming weights.bin), not load random weights', async () => {
    const [model, , metadata] = await savedFiles();
    const el = await recipeElement();
    const fails = failures(el);
    const error = await el.load([model, metadata]).then(
      (m) => ({ resolved: m }),
      (e) => e,
    );
    const p = await el.predict(photo).then(
      (x) => x,
      (e) => e.message,
    );
    el.remove();
    // Observed: load resolves, no failed event, and predictions are 0.5/0.5 (freshly initialised weights).
    expect(p, 'predict after a load without weights').to.be.a('string');
    expect(error.code).to.equal('model-load-failed');
    expect(fails[0].message).to.contain('weights.bin');
    expect(fails[0].source).to.contain('model.json');
  });

  it('metadata.json with the wrong number of labels: model-load-failed saying so', async () => {
    const [model, weights] = await savedFiles();
    const bad = new File([JSON.stringify({ labels: ['a', 'b', 'c'] })], 'metadata.json');
    const el = await recipeElement();
    const error = await el.load([model, weights, bad]).catch((e) => e);
    el.remove();
    expect(error.code).to.equal('model-load-failed');
    expect(error.message).to.match(/3 labels/);
  });

  it('metadata.json that is not JSON: model-load-failed naming metadata.json', async () => {
    const [model, weights] = await savedFiles();
    const bad = new File(['not json'], 'metadata.json');
    const el = await recipeElement();
    const error = await el.load([model, weights, bad]).catch((e) => e);
    el.remove();
    expect(error.code).to.equal('model-load-failed');
    expect(error.message).to.contain('metadata.json');
  });

  it('browser-renamed downloads ("model (1).json", "weights (1).bin", "metadata (1).json") load', async () => {
    const [model, weights, metadata] = await savedFiles();
    const renamed = [new File([metadata], 'metadata (1).json'), new File([model], 'model (1).json'), new File([weights], 'weights (1).bin')];
    const el = await recipeElement();
    const result = await el.load(renamed).then(
      (m) => m.labels,
      (e) => e.message,
    );
    el.remove();
    expect(result).to.deep.equal(labelsIn(files));
  });

  it('extra files given to load() are reported as not used, not silently ignored', async () => {
    const saved = await savedFiles();
    const el = await recipeElement();
    const fails = failures(el);
    const event = oneEvent(el, 'model-loaded');
    await el.load([...saved, photo]);
    // Reported in the event and on screen, not dropped silently.
    expect((await event).detail.ignored).to.deep.equal([photo.name]);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~="results"]')!.textContent).to.contain(photo.name);
    expect(fails).to.have.length(0);
    el.remove();
  });
});
