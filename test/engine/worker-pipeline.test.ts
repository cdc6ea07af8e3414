// Running in a worker: the element answers unreadable inputs as on the main thread, the built worker
// before any backend, and how RemoteTrainer posts a run's files (and drops them on abort).
import { expect, fixture, oneEvent } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import '../../src/ml-classifier.js';
import type { MlClassifier, FailedDetail } from '../../src/ml-classifier.js';
import type { FileWithPath } from '../../src/io/dataset.js';
import { errors } from '../../src/core/errors.js';
import { RemoteTrainer } from '../../src/engine/trainer.js';
import { COLORS, MODEL_URL, WASM_PATH, isPhoto, sharedFolder } from '../helpers.js';

const TM_URL = '/shared/models/mobilenet_v2_0.35_224_teachable-machine-export/model.json';

/** An element with the Teachable Machine model loaded from `src`, in its worker or (`mainThread`) the page. */
async function loaded(mainThread: boolean) {
  const el = document.createElement('ml-classifier');
  Object.assign(el, { wasmPath: WASM_PATH, mainThread });
  el.src = TM_URL;
  const done = oneEvent(el, 'model-loaded');
  await fixture<MlClassifier>(el);
  await done;
  return el;
}

/** What predict() gives for `input`: the scores by label, or the error's code and message. */
async function outcome(el: MlClassifier, input: ImageBitmapSource | tf.Tensor3D) {
  return el.predict(input).then(
    (p) => ({ scores: Object.fromEntries(p.scores.map((s) => [s.label, s.probability])) as Record<string, number> }),
    (e) => ({ code: e.code as string, message: e.message as string }),
  );
}

let files: FileWithPath[];
before(async () => (files = await sharedFolder(COLORS)));

describe('<ml-classifier>: worker and main thread answer alike', () => {
  it('a closed ImageBitmap and a disposed tensor: invalid-image with the same message in both, and failed names the source', async () => {
    const worker = await loaded(false);
    const page = await loaded(true);
    expect([worker.thread, page.thread]).to.deep.equal(['worker', 'main']);
    const photo = files.find((f) => isPhoto(f.path))!.file;
    const results = [];
    for (const el of [worker, page]) {
      const failed: FailedDetail[] = [];
      el.addEventListener('failed', (e) => failed.push(e.detail));
      const memory = await el.memory();
      const bitmap = await createImageBitmap(photo);
      bitmap.close();
      const tensor = tf.zeros([8, 8, 3]) as tf.Tensor3D;
      tensor.dispose();
      const closed = await outcome(el, bitmap);
      const disposed = await outcome(el, tensor);
      results.push({ closed, disposed, sources: failed.map((f) => f.source) });
      // Nothing left behind where the model runs, and the element still predicts.
      expect(await el.memory()).to.deep.equal(memory);
      expect(Object.keys(((await outcome(el, photo)) as { scores: object }).scores)).to.have.length(18);
    }
    const [w, p] = results;
    expect(p.closed).to.deep.include({ code: 'invalid-image' });
    expect((p.closed as { message: string }).message).to.match(/^Could not read the image ImageBitmap: the browser could not decode it/);
    expect(p.disposed).to.deep.equal({ code: 'invalid-image', message: 'Could not read the image Tensor: Tensor is disposed.' });
    expect(w).to.deep.equal(p);
    expect(w.sources).to.deep.equal(['ImageBitmap', 'Tensor']);
    worker.remove();
    page.remove();
  });

  it("a tensor of another TensorFlow.js copy (a page with its own tfjs beside the bundle): the same scores (1e-5) as this copy's, in both", async () => {
    const photo = files.find((f) => isPhoto(f.path))!.file;
    const own = tf.browser.fromPixels(await createImageBitmap(photo)) as tf.Tensor3D;
    // What another copy's tensor is to this one: same shape, dtype and data(), another class.
    class Tensor {
      constructor(
        readonly shape: number[],
        readonly dtype: string,
        readonly rank: number,
        private readonly values: Promise<tf.TypedArray>,
      ) {}
      data() {
        return this.values;
      }
      dispose() {}
    }
    const foreign = new Tensor([...own.shape], own.dtype, own.rank, own.data()) as unknown as tf.Tensor3D;
    const results: Record<string, unknown> = {};
    for (const mainThread of [false, true]) {
      const el = await loaded(mainThread);
      const a = await outcome(el, own);
      const b = await outcome(el, foreign);
      results[el.thread] = 'scores' in b ? Object.entries(b.scores).every(([label, p]) => Math.abs(p - (a as { scores: Record<string, number> }).scores[label]) < 1e-5) : b;
      el.remove();
    }
    own.dispose();
    expect(results).to.deep.equal({ worker: true, main: true });
  });
});

describe('RemoteTrainer: the built worker before any backend', () => {
  it('predict() with a tensor after a run was refused before choosing a backend: not-trained (dist/trainer.worker.js, backends imported lazily)', async () => {
    // The dev server maps tfjs-core to the full tfjs, whose backends register on import; the built
    // worker (npm run build, run by npm test first) has none until a run selects one.
    const remote = new RemoteTrainer('/dist/trainer.worker.js');
    const red = files.filter((f) => f.path.includes('/red/'));
    const run = await remote.train(red, { modelUrl: MODEL_URL, wasmPath: WASM_PATH }).catch((e) => e.code);
    const tensor = tf.fill([16, 16, 3], 200) as tf.Tensor3D;
    const error = await remote.predict(tensor).catch((e) => e);
    tensor.dispose();
    expect(run).to.equal('too-few-labels');
    expect([error.code, error.message]).to.deep.equal(['not-trained', errors.notTrained().message]);
    expect(await remote.memory()).to.deep.equal({ numTensors: 0, numBytes: 0 });
    remote.dispose();
  });
});

/** Records the `type`, `id` and `target` of every message the page posts to a worker while `during` runs. */
async function postedToWorkers<T>(during: () => Promise<T>): Promise<{ result: T; posted: { type: string; id?: number; target?: number; files?: number }[] }> {
  const posted: { type: string; id?: number; target?: number; files?: number }[] = [];
  const original = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (this: Worker, message: { type: string; id?: number; target?: number; files?: unknown[] }, ...rest: unknown[]) {
    posted.push({ type: message?.type, id: message?.id, target: message?.target, files: message?.files?.length });
    return (original as (...args: unknown[]) => void).call(this, message, ...rest);
  } as typeof Worker.prototype.postMessage;
  try {
    return { result: await during(), posted };
  } finally {
    Worker.prototype.postMessage = original;
  }
}

describe("RemoteTrainer: a run's files posted to the worker", () => {
  it('2,000 extra files arrive whole: every one is listed in skipped, none lost or doubled', async () => {
    const junk = Array.from({ length: 2000 }, (_, i) => ({ file: new File([`note ${i}`], `note-${i}.txt`, { type: 'text/plain' }), path: `colors/notes/note-${i}.txt` }));
    const remote = new RemoteTrainer();
    const { result, posted } = await postedToWorkers(() => remote.train([...files, ...junk], { modelUrl: MODEL_URL, wasmPath: WASM_PATH, epochs: 2 }));
    const notes = result.skipped.filter((s) => s.path.startsWith('notes/') || s.path.includes('/notes/'));
    expect(notes).to.have.length(2000);
    expect(new Set(notes.map((s) => s.path)).size).to.equal(2000);
    expect(result.counts).to.deep.equal({ blue: { train: 2, validation: 1 }, red: { train: 2, validation: 1 } });
    // 4 files per message ahead of the train message, which carries the rest.
    const ahead = posted.filter((m) => m.type === 'files');
    expect(ahead.reduce((sum, m) => sum + m.files!, 0) + posted.find((m) => m.type === 'train')!.files!).to.equal(files.length + 2000);
    expect(Math.max(...ahead.map((m) => m.files!))).to.equal(4);
    remote.dispose();
  });

  it('aborted while the worker starts: no file is left with the worker (none posted, or the worker told to drop them)', async () => {
    const remote = new RemoteTrainer();
    const controller = new AbortController();
    const { result: error, posted } = await postedToWorkers(async () => {
      // 12 files: two messages of 4 ahead, fewer than one 10 ms slice's worth.
      const run = remote.train([...files, ...files], { modelUrl: MODEL_URL, wasmPath: WASM_PATH }, { signal: controller.signal });
      // Before the worker has said ready (it loads TensorFlow.js first).
      controller.abort();
      return run.catch((e) => e);
    });
    expect(error.code).to.equal('aborted');
    const sent = new Set(posted.filter((m) => m.type === 'files').map((m) => m.id));
    const dropped = new Set(posted.filter((m) => m.type === 'abort').map((m) => m.target));
    expect([...sent].filter((id) => !dropped.has(id))).to.deep.equal([]);
    expect(posted.filter((m) => m.type === 'train')).to.deep.equal([]);
    remote.dispose();
  });

  it('aborted while thousands of files are posted: stops posting within a slice, tells the worker to drop them, rejects with aborted', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => ({ file: new File([`x${i}`], `x-${i}.png`, { type: 'image/png' }), path: `set/${i % 2 ? 'a' : 'b'}/x-${i}.png` }));
    const remote = new RemoteTrainer();
    await remote.start();
    const controller = new AbortController();
    const { result: error, posted } = await postedToWorkers(async () => {
      const run = remote.train(many, { modelUrl: MODEL_URL, wasmPath: WASM_PATH }, { signal: controller.signal });
      // A task later: posting has begun and yielded once.
      await new Promise((resolve) => setTimeout(resolve, 0));
      controller.abort();
      return run.catch((e) => e);
    });
    expect(error.code).to.equal('aborted');
    const ahead = posted.filter((m) => m.type === 'files');
    const postedFiles = ahead.reduce((sum, m) => sum + m.files!, 0);
    console.log(`files posted before the abort took effect: ${postedFiles} of ${many.length}`);
    expect(postedFiles).to.be.below(many.length);
    expect(posted.filter((m) => m.type === 'abort').map((m) => m.target)).to.deep.equal([ahead[0].id]);
    expect(posted.filter((m) => m.type === 'train')).to.deep.equal([]);
    // The worker is free for the next run.
    const detail = await remote.train(files, { modelUrl: MODEL_URL, wasmPath: WASM_PATH, epochs: 2 });
    expect(detail.labels).to.deep.equal(['blue', 'red']);
    remote.dispose();
  });
});

describe('RemoteTrainer: errors crossing from the worker', () => {
  it('keep their code, their detail (in option words, URLs as given) and their cause', async () => {
    const remote = new RemoteTrainer();
    const url = '/shared/models/no-such-base/model.json';
    const error = await remote.train(files, { modelUrl: url, backend: 'wasm', wasmPath: WASM_PATH }).catch((e) => e);
    expect(error.code).to.equal('model-load-failed');
    expect(error.message).to.contain(`from ${url} (`);
    expect(error.message).to.contain('the baseModel, modelsPath and modelUrl options');
    // As given, in the detail too: the element rebuilds its message from it.
    expect(error.detail.url).to.equal(url);
    expect(error.cause).to.be.instanceOf(Error);
    expect(error.cause.message.length).to.be.greaterThan(0);
    const invalid = await remote.train(files, { learningRate: -1 }).catch((e) => e);
    expect(invalid.code).to.equal('invalid-option');
    expect(invalid.detail).to.deep.equal({ option: 'learningRate', value: -1, expected: 'a number above 0, or unset' });
    expect(remote.busy).to.equal(false);
    remote.dispose();
    expect(await remote.memory()).to.deep.equal({ numTensors: 0, numBytes: 0 });
  });
});
