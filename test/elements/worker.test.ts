import { expect, fixture, oneEvent } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import '../../src/ml-classifier.js';
import type { MlClassifier, PredictedDetail } from '../../src/ml-classifier.js';
import type { FileWithPath } from '../../src/io/dataset.js';
import { COLORS, MODEL_URL, SIGNS, WASM_PATH, imageInputs, isPhoto, listShared, sharedFile, sharedFolder, tensorCount, labelsIn, validationPhoto } from '../helpers.js';

const create = (props: Partial<MlClassifier> = {}) => {
  const el = document.createElement('ml-classifier');
  Object.assign(el, { modelUrl: MODEL_URL, wasmPath: WASM_PATH, epochs: 3, ...props });
  return fixture<MlClassifier>(el);
};

let files: FileWithPath[];
before(async () => (files = await sharedFolder(COLORS)));

describe('<ml-classifier> in its worker', () => {
  it('trains and predicts in the worker: labels, accuracy, memory counted there and back to its start after the run', async () => {
    const el = await create();
    expect(el.thread).to.equal('worker');
    const page = tensorCount();
    const before = await el.memory();
    expect(before).to.deep.equal({ numTensors: 0, numBytes: 0 }); // no worker yet: nothing allocated
    const detail = await el.train(files);
    expect(el.thread).to.equal('worker');
    expect(detail.labels).to.deep.equal(labelsIn(files));
    expect(detail.validationAccuracy).to.equal(1);
    expect(detail.backend).to.equal('wasm');
    const trained = await el.memory();
    // The base model and the head live in the worker; the page made no tensor.
    expect(trained.numTensors).to.be.greaterThan(50);
    expect(trained.numBytes).to.be.greaterThan(1_000_000);
    expect(tensorCount()).to.equal(page);
    const photo = validationPhoto(files);
    expect((await el.predict(photo.file)).label).to.equal(photo.label);
    expect(await el.memory()).to.deep.equal(trained);
    // A second run replaces the model: the worker holds as much as after the first.
    await el.train(files);
    expect((await el.memory()).numTensors).to.equal(trained.numTensors);
    // Removal frees the model and ends the worker; its last report: nothing left.
    el.remove();
    expect(await el.memory()).to.deep.equal({ numTensors: 0, numBytes: 0 });
  });

  it('answers memory() at every moment of a run, while the worker is still starting its backend too', async () => {
    const el = await create();
    const samples: number[] = [];
    const failures: unknown[] = [];
    let running = true;
    const polling = (async () => {
      while (running) {
        await el.memory().then(
          (m) => samples.push(m.numTensors),
          (e) => failures.push(e),
        );
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    await el.train(files);
    running = false;
    await polling;
    expect(failures.map(String)).to.deep.equal([]);
    expect(samples.length).to.be.greaterThan(10);
    expect(Math.max(...samples)).to.be.at.least((await el.memory()).numTensors);
    el.remove();
  });

  it("abort during reading rejects with aborted and leaves the worker's tensors as they were", async () => {
    const el = await create();
    await el.train(files);
    const start = await el.memory();
    // About 50 sign-language photos: reading (batches of 32) lasts long enough for the abort,
    // posted at its start, to reach the worker mid-way.
    const signs = (await listShared(SIGNS)).filter(isPhoto).filter((_, i) => i % 40 === 0);
    const many = await Promise.all(signs.map(async (p) => ({ file: await sharedFile(`${SIGNS}/${p}`), path: `signs/${p}` })));
    let readAtAbort = -1;
    el.addEventListener('progress-changed', ({ detail }) => {
      if (detail.phase === 'reading' && readAtAbort < 0) {
        readAtAbort = detail.done;
        el.abort();
      }
    });
    const error = await el.train(many).catch((e) => e);
    expect(readAtAbort).to.equal(0);
    expect(error.code).to.equal('aborted');
    expect(error.message).to.equal('Training was aborted.');
    expect(await el.memory()).to.deep.equal(start);
    expect(el.status).to.equal('trained');
    el.remove();
  });

  it('predicts the same (1e-5) from a File, <img>, <canvas>, ImageData, ImageBitmap and a [h, w, 3] tensor, and leaves what was given usable', async () => {
    const el = await create({ pooling: 'average' });
    await el.train(files);
    const file = files.find((f) => isPhoto(f.path))!.file;
    const { img, canvas, pixels, bitmap, tensor, release } = await imageInputs(file);
    const memory = await el.memory();
    const results: PredictedDetail[] = [];
    for (const input of [file, img, canvas, pixels, bitmap, tensor]) results.push(await el.predict(input));
    expect(el.thread).to.equal('worker');
    expect(results.map((r) => r.source)).to.deep.equal([file.name, img.src, 'HTMLCanvasElement', 'ImageData', 'ImageBitmap', 'Tensor']);
    const reference = results[0].scores;
    for (const r of results) {
      expect(r.label).to.equal(results[0].label);
      r.scores.forEach((s) => expect(s.probability).to.be.closeTo(reference.find((x) => x.label === s.label)!.probability, 1e-5));
    }
    // Copied, not transferred: the caller's bitmap, pixels and tensor are intact.
    expect([bitmap.width, bitmap.height]).to.deep.equal([img.naturalWidth, img.naturalHeight]);
    expect(pixels.data.length).to.equal(canvas.width * canvas.height * 4);
    expect(tensor.isDisposed).to.equal(false);
    expect(await el.memory()).to.deep.equal(memory);
    release();
    el.remove();
  });

  it('saves to IndexedDB from the worker; another element loads it (relative URLs resolved against the page) with the same predictions', async () => {
    const el = await create({ pooling: 'average' });
    await el.train(files);
    const photo = files.find((f) => isPhoto(f.path))!.file;
    const before = await el.predict(photo);
    const saved = await el.save('indexeddb://worker-test');
    expect(saved.map((f) => f.name)).to.deep.equal(['model.json', 'weights.bin', 'metadata.json']);
    // IndexedDB is per origin: the page sees what the worker wrote.
    expect(Object.keys(await tf.io.listModels())).to.include('indexeddb://worker-test');
    const other = document.createElement('ml-classifier');
    other.wasmPath = WASM_PATH; // relative: resolved against the page before it reaches the worker
    other.src = 'indexeddb://worker-test';
    const loaded = oneEvent(other, 'model-loaded');
    document.body.append(other);
    expect((await loaded).detail.labels).to.deep.equal(labelsIn(files));
    expect(other.thread).to.equal('worker');
    const after = await other.predict(photo);
    after.scores.forEach((s) => expect(s.probability).to.be.closeTo(before.scores.find((b) => b.label === s.label)!.probability, 1e-5));
    // A relative model URL that does not exist: the message names it as given, not resolved.
    const error = await other.load('no-such-model/model.json').catch((e) => e);
    expect(error.code).to.equal('model-load-failed');
    expect(error.message).to.contain(' no-such-model/model.json').and.not.to.contain('http');
    el.remove();
    other.remove();
    await tf.io.removeModel('indexeddb://worker-test');
  });
});

describe('<ml-classifier> without a worker', () => {
  it('trains in the page when the worker cannot start (Worker throws), and with main-thread set', async () => {
    const RealWorker = window.Worker;
    const warn = console.warn;
    const warnings: string[] = [];
    console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
    window.Worker = class {
      constructor() {
        throw new DOMException("Refused by the page's Content Security Policy", 'SecurityError');
      }
    } as unknown as typeof Worker;
    try {
      const el = await create({ pooling: 'average', epochs: 2 });
      expect(el.thread).to.equal('worker'); // meant to, until it tries
      const page = tensorCount();
      const detail = await el.train(files);
      expect(el.thread).to.equal('main');
      expect(detail.labels).to.deep.equal(labelsIn(files));
      expect(warnings.join()).to.contain('could not start').and.to.contain('main thread');
      // The model lives in the page now: memory() is the page's.
      const { numTensors } = await el.memory();
      expect(numTensors).to.equal(tensorCount());
      expect(numTensors).to.be.greaterThan(page);
      el.remove();
    } finally {
      window.Worker = RealWorker;
      console.warn = warn;
    }
    const forced = await create({ pooling: 'average', epochs: 2, mainThread: true });
    expect(forced.hasAttribute('main-thread')).to.equal(false);
    expect(forced.thread).to.equal('main');
    const forcedDetail = await forced.train(files);
    expect(forcedDetail.labels).to.deep.equal(labelsIn(files));
    expect(forcedDetail.history.loss).to.have.length(2);
    expect(forced.thread).to.equal('main');
    forced.remove();
  });

  it('falls back when the worker fails after it was created (an error event, e.g. its script refused)', async () => {
    const RealWorker = window.Worker;
    const warn = console.warn;
    console.warn = () => {};
    window.Worker = class extends EventTarget {
      constructor() {
        super();
        setTimeout(() => this.dispatchEvent(new Event('error')), 10);
      }
      postMessage() {}
      terminate() {}
    } as unknown as typeof Worker;
    try {
      const el = await create({ pooling: 'average', epochs: 2 });
      const detail = await el.train(files);
      expect(el.thread).to.equal('main');
      expect(detail.labels).to.deep.equal(labelsIn(files));
      expect(detail.history.loss).to.have.length(2);
      el.remove();
    } finally {
      window.Worker = RealWorker;
      console.warn = warn;
    }
  });
});
