// <ml-classifier> src and load(): a second src while the first loads, removal mid-load, re-insertion,
// train() and load() refusing each other with busy, and two elements loading their src at once.
import { expect, oneEvent } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import '../../src/ml-classifier.js';
import type { FailedDetail } from '../../src/ml-classifier.js';
import type { FileWithPath } from '../../src/io/dataset.js';
import { COLORS, TM_EXPORT, TM_URL, WASM_PATH, failures, isPhoto, labelsIn, sharedFolder, sleep, recipeElement, saveTrainedModel } from '../helpers.js';

/** A model trained on the colors set, saved by the file's `before` hook. */
const DB = 'indexeddb://breaker-colors';

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

describe('<ml-classifier>: src and load() races', () => {
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
    const result = await el.predict(photo).then(
      (p) => p.label,
      (e) => e.code,
    );
    el.remove();
    expect(el.getAttribute('src') ?? el.src).to.equal(DB);
    expect(result).to.be.oneOf(labelsIn(files));
  });

  it('train() while a load is in flight is refused with busy; the message should not claim training is running', async () => {
    const el = await recipeElement();
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
    const el = await recipeElement();
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

describe('<ml-classifier>: two elements on one page', () => {
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
