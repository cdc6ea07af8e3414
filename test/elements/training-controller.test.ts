// <ml-classifier>'s TrainingController and WebcamController through the element, on the stub
// pipeline (test/stub-engine.ts): status, events, busy, the restore-after-failure rule, errors in
// attribute words, src races and removal, in milliseconds. The real model runs in test/e2e/.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { FailedDetail, MlClassifier } from '../../src/ml-classifier.js';
import '../../src/ml-classifier.js';
import { errors } from '../../src/core/errors.js';
import { gate, useStubEngine } from '../stub-engine.js';

const file = (path: string) => ({ file: new File(['x'], path.split('/').at(-1)!, { type: 'image/png' }), path });
const folder = ['pets/cat/1.png', 'pets/cat/2.png', 'pets/cat/3.png', 'pets/dog/1.png', 'pets/dog/2.png', 'pets/dog/3.png', 'pets/notes.txt'].map(file);
const shadow = (el: MlClassifier) => el.shadowRoot!;
const errorText = (el: MlClassifier) => shadow(el).querySelector('[part="error"]')!.textContent!.trim();

/** Every event of `types` the element fires, in order, as `type` or `type:phase`. */
function record(el: MlClassifier, types: string[]): string[] {
  const seen: string[] = [];
  for (const type of types) {
    el.addEventListener(type, (e) => {
      const detail = (e as CustomEvent).detail;
      seen.push(type === 'progress-changed' ? `${type}:${detail.phase}` : type);
    });
  }
  return seen;
}

let stub: ReturnType<typeof useStubEngine>;

describe('TrainingController: a run', () => {
  beforeEach(() => (stub = useStubEngine()));
  afterEach(() => stub.restore());

  it('walks status idle → phases → trained, fires the documented events in order, and shows the results', async () => {
    const el = await fixture<MlClassifier>(html`<ml-classifier validation-split="0.34" epochs="2"></ml-classifier>`);
    expect(el.status).to.equal('idle');
    const statuses: string[] = [];
    const events = record(el, ['data-loaded', 'progress-changed', 'trained', 'failed']);
    el.addEventListener('progress-changed', () => statuses.push(el.status));
    const detail = await el.train(folder);
    expect(statuses).to.deep.equal(['loading-model', 'reading', 'training', 'training']);
    expect(el.status).to.equal('trained');
    expect(events).to.deep.equal(['data-loaded', 'progress-changed:loading-model', 'progress-changed:reading', 'progress-changed:training', 'progress-changed:training', 'trained']);
    expect(detail.labels).to.deep.equal(['cat', 'dog']);
    expect(detail.skipped.map((s) => s.path)).to.deep.equal(['pets/notes.txt']);
    expect(el.trainedDetail).to.equal(detail);
    await el.updateComplete;
    const counts = [...shadow(el).querySelectorAll('[part="results"] > table')].at(-1)!;
    const rows = [...counts.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent!.trim()).join('|'));
    expect(rows).to.deep.equal(['cat|2|1', 'dog|2|1']);
    expect(shadow(el).querySelector('[role="status"]')!.textContent).to.contain('100%');
    expect(stub.pipelines[0].runs[0]).to.include({ epochs: 2, validationSplit: 0.34 });
  });

  it('refuses a second train() with busy while one runs, leaving the running display alone, and the first completes', async () => {
    const el = await fixture<MlClassifier>(html`<ml-classifier></ml-classifier>`);
    const held = (stub.config.hold = gate());
    const first = el.train(folder);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(el.status).to.equal('reading');
    const failed = oneEvent(el, 'failed');
    const second = await el.train(folder).catch((e) => e);
    expect(second.code).to.equal('busy');
    expect((await failed).detail).to.include({ code: 'busy', during: 'reading' });
    expect(el.status).to.equal('reading');
    await el.updateComplete;
    expect(errorText(el)).to.equal('');
    held.release();
    expect((await first).labels).to.deep.equal(['cat', 'dog']);
  });

  it('a failed retrain restores the previous results and classified images, says why, and keeps status trained', async () => {
    const el = await fixture<MlClassifier>(html`<ml-classifier></ml-classifier>`);
    const first = await el.train(folder);
    const training = (el as unknown as { training: { classifyFiles(files: File[]): Promise<void>; predictions: unknown[] } }).training;
    await training.classifyFiles([new File(['x'], 'query.png', { type: 'image/png' })]);
    expect(training.predictions).to.have.length(1);
    stub.config.failWith = errors.diverged(3);
    const failed = oneEvent(el, 'failed');
    expect((await el.train(folder).catch((e) => e)).code).to.equal('diverged');
    expect((await failed).detail).to.include({ code: 'diverged', during: 'reading' });
    expect(el.status).to.equal('trained');
    expect(el.trainedDetail).to.equal(first);
    expect(training.predictions).to.have.length(1);
    await el.updateComplete;
    expect(errorText(el)).to.contain('epoch 3');
    // The model kept still classifies.
    expect((await el.predict(new ImageData(2, 2), 'again')).label).to.equal('cat');
  });

  it('a failed first run leaves status error and nothing to classify', async () => {
    const el = await fixture<MlClassifier>(html`<ml-classifier></ml-classifier>`);
    const error = await el.train(folder.filter((f) => f.path.includes('/cat/'))).catch((e) => e);
    expect(error.code).to.equal('too-few-labels');
    expect(el.status).to.equal('error');
    await el.updateComplete;
    expect(shadow(el).querySelector('section[aria-label]:not([part])')).to.equal(null);
    expect(errorText(el)).to.contain('only the label "cat"');
  });

  it('aborted through the signal given: rejects with aborted, no trained event', async () => {
    const el = await fixture<MlClassifier>(html`<ml-classifier></ml-classifier>`);
    const events = record(el, ['trained', 'failed']);
    const controller = new AbortController();
    const held = (stub.config.hold = gate());
    const run = el.train(folder, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    held.release();
    expect((await run.catch((e) => e)).code).to.equal('aborted');
    expect(events).to.deep.equal(['failed']);
  });

  it("says an engine's invalid option in the element's words: the attribute's name", async () => {
    const el = await fixture<MlClassifier>(html`<ml-classifier></ml-classifier>`);
    stub.config.failWith = errors.invalidOption('learningRate', -1, 'a number above 0, or unset');
    const failed = oneEvent(el, 'failed');
    const error = await el.train(folder).catch((e) => e);
    expect(error.message).to.equal('The attribute learning-rate is -1; it must be a number above 0, or unset.');
    expect(((await failed).detail as FailedDetail).message).to.equal(error.message);
    stub.config.failWith = errors.modelLoadFailed('/m/model.json', new Error('HTTP 404'));
    expect((await el.train(folder).catch((e) => e)).message).to.equal(
      'Could not load the base model from /m/model.json (HTTP 404). Check the base-model, models-path and model-url attributes, and that the model.json and its weight files are reachable there.',
    );
  });
});

describe('TrainingController: saved models, src and removal', () => {
  beforeEach(() => (stub = useStubEngine()));
  afterEach(() => stub.restore());

  it('loads src, reports model-loaded with its labels, and status loaded', async () => {
    const el = await fixture<MlClassifier>(html`<ml-classifier></ml-classifier>`);
    const loaded = oneEvent(el, 'model-loaded');
    el.src = '/m/model.json';
    expect((await loaded).detail).to.deep.include({ source: '/m/model.json', labels: ['a', 'b'] });
    expect(el.status).to.equal('loaded');
  });

  it('removal frees the model (the pipeline disposed, memory zero, status idle); put back, src loads again', async () => {
    const el = await fixture<MlClassifier>(html`<ml-classifier src="/m/model.json"></ml-classifier>`);
    await oneEvent(el, 'model-loaded');
    expect((await el.memory()).numTensors).to.equal(2);
    const parent = el.parentElement!;
    el.remove();
    await Promise.resolve();
    expect(stub.pipelines[0].disposed).to.equal(true);
    expect(el.status).to.equal('idle');
    expect(await el.memory()).to.deep.equal({ numTensors: 0, numBytes: 0 });
    const again = oneEvent(el, 'model-loaded');
    parent.append(el);
    await again;
    expect(el.status).to.equal('loaded');
    expect(stub.pipelines).to.have.length(2);
  });

  it('removed during a run: reports that arrive afterwards leave it idle, and the run rejects with aborted', async () => {
    const el = await fixture<MlClassifier>(html`<ml-classifier></ml-classifier>`);
    const held = (stub.config.hold = gate());
    const run = el.train(folder);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(el.status).to.equal('reading');
    const statuses: string[] = [];
    el.addEventListener('progress-changed', () => statuses.push(el.status));
    el.remove();
    await Promise.resolve();
    expect(el.status).to.equal('idle');
    held.release();
    expect((await run.catch((e) => e)).code).to.equal('aborted');
    expect(el.status).to.equal('idle');
    expect(statuses).to.deep.equal([]);
  });

  it('a move within the page (removed and put back in one task) keeps the model', async () => {
    const el = await fixture<MlClassifier>(html`<ml-classifier></ml-classifier>`);
    await el.train(folder);
    const parent = el.parentElement!;
    el.remove();
    parent.append(el);
    await new Promise((resolve) => setTimeout(resolve));
    expect(stub.pipelines[0].disposed).to.equal(false);
    expect(el.status).to.equal('trained');
  });

  it('save() before any model: not-trained, failed names the destination', async () => {
    const el = await fixture<MlClassifier>(html`<ml-classifier></ml-classifier>`);
    const failed = oneEvent(el, 'failed');
    expect((await el.save('indexeddb://x').catch((e) => e)).code).to.equal('not-trained');
    expect((await failed).detail).to.include({ code: 'not-trained', during: 'save', source: 'indexeddb://x' });
  });
});

describe('WebcamController', () => {
  beforeEach(() => (stub = useStubEngine()));
  afterEach(() => stub.restore());

  it('refuses to start before a model is ready: not-trained, failed during webcam, no stream', async () => {
    const el = await fixture<MlClassifier>(html`<ml-classifier webcam></ml-classifier>`);
    const failed = oneEvent(el, 'failed');
    expect((await el.startWebcam().catch((e) => e)).code).to.equal('not-trained');
    expect((await failed).detail).to.include({ code: 'not-trained', during: 'webcam', source: 'webcam' });
    expect(el.status).to.equal('idle');
  });
});

describe('TrainingController: what the results panel says', () => {
  beforeEach(() => (stub = useStubEngine()));
  afterEach(() => stub.restore());

  it('counts skipped files in the right plural, and counts and lists the hidden and system files left out', async () => {
    const el = await fixture<MlClassifier>(html`<ml-classifier></ml-classifier>`);
    const detail = await el.train([...folder, file('pets/.DS_Store'), file('pets/cat/Thumbs.db')]);
    expect(detail.ignored).to.deep.equal(['pets/.DS_Store', 'pets/cat/Thumbs.db']);
    await el.updateComplete;
    const results = shadow(el).querySelector('[part="results"]')!;
    expect(results.querySelector(':scope > details summary')!.textContent!.trim()).to.equal('1 file skipped');
    expect(results.querySelector('.ignored')!.textContent!.trim()).to.equal('2 hidden or system files left out: pets/.DS_Store, pets/cat/Thumbs.db');
    await el.train([...folder, file('pets/b.txt')]);
    await el.updateComplete;
    expect(shadow(el).querySelector('[part="results"] > details summary')!.textContent!.trim()).to.equal('2 files skipped');
    expect(shadow(el).querySelector('[part="results"] .ignored')).to.equal(null);
  });

  it('a folder dropped while a run is going is refused: failed with busy, the message shown until the run ends, the run unharmed', async () => {
    const el = await fixture<MlClassifier>(html`<ml-classifier></ml-classifier>`);
    const held = (stub.config.hold = gate());
    const run = el.train(folder);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const failed = oneEvent(el, 'failed');
    const transfer = new DataTransfer();
    transfer.items.add(new File(['x'], '1.png', { type: 'image/png' }));
    shadow(el)
      .querySelector('[part="dropzone"]')!
      .dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    expect((await failed).detail).to.include({ code: 'busy', during: 'reading' });
    await el.updateComplete;
    expect(errorText(el)).to.match(/^Training is already running/);
    held.release();
    expect((await run).labels).to.deep.equal(['cat', 'dog']);
    await el.updateComplete;
    expect(errorText(el)).to.equal('');
    expect(stub.pipelines[0].runs).to.have.length(1);
  });
});
