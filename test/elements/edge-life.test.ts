import { expect, fixture, oneEvent } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import '../../src/ml-classifier.js';
import type { MlClassifier, FailedDetail } from '../../src/ml-classifier.js';
import type { FileWithPath } from '../../src/io/dataset.js';
import { COLORS, MODEL_URL, WASM_PATH, isPhoto, sharedFolder, labelsIn } from '../helpers.js';

const TM_EXPORT = '/shared/models/mobilenet_v2_0.35_224_teachable-machine-export';
const TM_URL = `${TM_EXPORT}/model.json`;
const DB = 'indexeddb://breaker-colors';

const create = () => {
  const el = document.createElement('ml-classifier');
  el.setAttribute('model-url', MODEL_URL);
  el.setAttribute('wasm-path', WASM_PATH);
  return fixture<MlClassifier>(el);
};
const failures = (el: MlClassifier) => {
  const list: FailedDetail[] = [];
  el.addEventListener('failed', (e) => list.push(e.detail));
  return list;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let files: FileWithPath[];
let photo: File;

before(async () => {
  files = await sharedFolder(COLORS);
  photo = files.find((f) => isPhoto(f.path))!.file;
  const el = await create();
  el.epochs = 3;
  await el.train(files);
  await el.save(DB);
  el.remove();
});
after(async () => {
  await tf.io.removeModel(DB).catch(() => {});
});

describe('edge cases: src / load races', () => {
  it('setting src twice: the last src set should be the model in use (no busy failure)', async () => {
    const el = document.createElement('ml-classifier');
    el.wasmPath = WASM_PATH;
    const fails = failures(el);
    el.src = TM_URL;
    document.body.append(el);
    await el.updateComplete; // first load in flight
    el.src = DB;
    await el.updateComplete;
    while (el.status === 'loading-saved-model') await sleep(50);
    const p = await el.predict(photo);
    const labels = p.scores.map((s) => s.label).sort();
    el.remove();
    expect({ failures: fails.map((f) => f.code), labels, src: el.src }).to.deep.equal({ failures: [], labels: labelsIn(files), src: DB });
  });

  it('src set then element removed before the load finishes: no leaked tensors', async () => {
    const el = document.createElement('ml-classifier');
    const start = await el.memory();
    el.wasmPath = WASM_PATH;
    el.src = TM_URL;
    document.body.append(el);
    await el.updateComplete;
    el.remove();
    await sleep(3000);
    // What the worker reported once the load had settled and everything was freed.
    expect(await el.memory()).to.deep.equal(start);
    expect(el.status).to.equal('idle');
  });

  it('an element with src, removed and put back, has its model again', async () => {
    const el = document.createElement('ml-classifier');
    el.wasmPath = WASM_PATH;
    el.src = DB;
    const loaded = oneEvent(el, 'model-loaded');
    document.body.append(el);
    await loaded;
    el.remove();
    await sleep(10);
    document.body.append(el);
    await el.updateComplete;
    await sleep(2000);
    const result = await el.predict(photo).then((p) => p.label, (e) => e.code);
    el.remove();
    expect(el.getAttribute('src') ?? el.src).to.equal(DB);
    expect(result).to.be.oneOf(labelsIn(files));
  });

  it('train() while a load is in flight is refused with busy; the message should not claim training is running', async () => {
    const el = await create();
    const fails = failures(el);
    const loading = el.load(TM_URL);
    const error = await el.train(files).catch((e) => e);
    await loading;
    expect(error.code).to.equal('busy');
    expect(el.status).to.equal('loaded');
    el.remove();
    expect(fails[0].message).to.not.match(/Training is already running/);
  });

  it('load() while training is refused with busy and training completes', async () => {
    const el = await create();
    el.epochs = 3;
    const run = el.train(files);
    await sleep(0);
    const error = await el.load(TM_URL).catch((e) => e);
    expect(error.code).to.equal('busy');
    const detail = await run;
    expect(detail.labels).to.deep.equal(labelsIn(files));
    expect(el.status).to.equal('trained');
    el.remove();
  });
});

describe('edge cases: abort keeps the previous model', () => {
  it('a loaded (saved) model stays usable after a retrain is stopped', async () => {
    const el = await create();
    await el.load(TM_URL);
    const before = await el.predict(photo);
    el.epochs = 50;
    el.addEventListener('progress-changed', ({ detail }) => detail.phase === 'training' && detail.done === 1 && el.abort());
    const error = await el.train(files).catch((e) => e);
    expect(error.code).to.equal('aborted');
    const after = await el.predict(photo).then((p) => p, (e) => e.code);
    const status = el.status;
    el.remove();
    expect(after).to.not.equal('not-trained');
    expect(after.label).to.equal(before.label);
    expect(status).to.equal('loaded');
  });

  it('abort() right after train() starts (first run): aborted, no trained, no leak', async () => {
    const el = await create();
    const start = await el.memory();
    let trained = false;
    el.addEventListener('trained', () => (trained = true));
    const run = el.train(files).catch((e) => e);
    el.abort();
    expect((await run).code).to.equal('aborted');
    expect(trained).to.equal(false);
    el.remove();
    expect(await el.memory()).to.deep.equal(start);
  });

  it('already-aborted AbortSignal: rejected, previous model, results and classified images kept', async () => {
    const el = await create();
    el.epochs = 2;
    await el.train(files);
    await el.predict(photo);
    // classify through the UI list: use the private path via a drop-like call
    (el as unknown as { training: { classifyFiles(f: File[]): Promise<void> } }).training.classifyFiles([photo]);
    await sleep(500);
    await el.updateComplete;
    const shownBefore = el.shadowRoot!.querySelectorAll('[part~="predictions"] > li').length;
    const ctl = new AbortController();
    ctl.abort();
    const error = await el.train(files, { signal: ctl.signal }).catch((e) => e);
    await el.updateComplete;
    const shownAfter = el.shadowRoot!.querySelectorAll('[part~="predictions"] > li').length;
    const status = el.status;
    const hasResults = !!el.shadowRoot!.querySelector('[part~="results"] [part~="chart"]');
    el.remove();
    expect(error.code).to.equal('aborted');
    expect(status).to.equal('trained');
    expect(hasResults).to.equal(true);
    expect(shownBefore).to.equal(1);
    expect(shownAfter).to.equal(1);
  });

  it('a diverged retrain keeps the previous model AND the element says so (status trained, results kept)', async () => {
    const el = await create();
    el.epochs = 2;
    await el.train(files);
    el.learningRate = 1e36;
    el.epochs = 5;
    const error = await el.train(files).catch((e) => e);
    await el.updateComplete;
    const predict = await el.predict(photo).then((p) => p.label, (e) => e.code);
    const status = el.status;
    const hasChart = !!el.shadowRoot!.querySelector('[part~="results"] [part~="chart"]');
    el.remove();
    expect(error.code).to.equal('diverged');
    expect(predict).to.be.oneOf(labelsIn(files)); // previous model usable
    expect(status).to.equal('trained');
    expect(hasChart).to.equal(true);
  });
});

describe('edge cases: save', () => {
  it('save() before training fails with not-trained, naming the destination', async () => {
    const el = await create();
    const fails = failures(el);
    const error = await el.save('indexeddb://nothing').catch((e) => e);
    el.remove();
    expect(error.code).to.equal('not-trained');
    expect(fails[0]).to.include({ during: 'save', source: 'indexeddb://nothing' });
  });

  it('repeated save() leaks no tensors; save() during a retrain saves the previous model', async () => {
    const el = await create();
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
    const other = await create();
    await other.load(saved);
    const p = await other.predict(photo);
    other.remove();
    el.remove();
    await tf.io.removeModel('indexeddb://breaker-tmp');
    ref.scores.forEach((s) => expect(p.scores.find((x) => x.label === s.label)!.probability).to.be.closeTo(s.probability, 1e-5));
  });

  it('re-saving a loaded Teachable Machine model keeps its metadata and predictions', async () => {
    const el = await create();
    await el.load(TM_URL);
    const ref = await el.predict(photo);
    const saved = await el.save('indexeddb://breaker-tm');
    const meta = JSON.parse(await saved[2].text());
    const tm = await (await fetch(`${TM_EXPORT}/metadata.json`)).json();
    expect(meta.labels).to.deep.equal(tm.labels);
    expect(meta.tmVersion).to.equal(tm.tmVersion);
    const other = await create();
    await other.load(saved);
    const p = await other.predict(photo);
    const db = await create();
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

describe('edge cases: load from files', () => {
  async function savedFiles() {
    const el = await create();
    await el.load(DB);
    const out = await el.save('indexeddb://breaker-x');
    el.remove();
    await tf.io.removeModel('indexeddb://breaker-x');
    return out;
  }

  it('files without weights.bin must fail (model-load-failed naming weights.bin), not load random weights', async () => {
    const [model, , metadata] = await savedFiles();
    const el = await create();
    const fails = failures(el);
    const error = await el.load([model, metadata]).then((m) => ({ resolved: m }), (e) => e);
    const p = await el.predict(photo).then((x) => x, (e) => e.message);
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
    const el = await create();
    const error = await el.load([model, weights, bad]).catch((e) => e);
    el.remove();
    expect(error.code).to.equal('model-load-failed');
    expect(error.message).to.match(/3 labels/);
  });

  it('metadata.json that is not JSON: model-load-failed naming metadata.json', async () => {
    const [model, weights] = await savedFiles();
    const bad = new File(['not json'], 'metadata.json');
    const el = await create();
    const error = await el.load([model, weights, bad]).catch((e) => e);
    el.remove();
    expect(error.code).to.equal('model-load-failed');
    expect(error.message).to.contain('metadata.json');
  });

  it('browser-renamed downloads ("model (1).json", "weights (1).bin", "metadata (1).json") load', async () => {
    const [model, weights, metadata] = await savedFiles();
    const renamed = [
      new File([metadata], 'metadata (1).json'),
      new File([model], 'model (1).json'),
      new File([weights], 'weights (1).bin'),
    ];
    const el = await create();
    const result = await el.load(renamed).then((m) => m.labels, (e) => e.message);
    el.remove();
    expect(result).to.deep.equal(labelsIn(files));
  });

  it('extra files given to load() are reported as not used, not silently ignored', async () => {
    const saved = await savedFiles();
    const el = await create();
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

describe('edge cases: two elements on one page', () => {
  it('both load their src when they start together (backend selection is serialised)', async () => {
    const make = () => {
      const el = document.createElement('ml-classifier');
      el.wasmPath = WASM_PATH;
      el.src = TM_URL;
      return el;
    };
    const [a, b] = [make(), make()];
    const failed: FailedDetail[] = [];
    for (const el of [a, b]) el.addEventListener('failed', (e) => failed.push(e.detail));
    const loaded = Promise.all([oneEvent(a, 'model-loaded'), oneEvent(b, 'model-loaded')]);
    document.body.append(a, b);
    const [ea, eb] = await loaded;
    expect(failed).to.deep.equal([]);
    expect(ea.detail.labels).to.deep.equal((await (await fetch(`${TM_EXPORT}/metadata.json`)).json()).labels);
    expect(eb.detail.labels).to.deep.equal(ea.detail.labels);
    expect([a.status, b.status]).to.deep.equal(['loaded', 'loaded']);
    a.remove();
    b.remove();
  });
});
