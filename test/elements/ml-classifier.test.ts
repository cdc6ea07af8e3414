import { expect, fixture, fixtureCleanup, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/ml-classifier.js';
import type { DataLoadedEvent, MlClassifier, Progress } from '../../src/ml-classifier.js';
import { COLORS, MODEL_URL, WASM_PATH, isPhoto, sharedFolder, splitCounts, labelsIn, validationPhoto } from '../helpers.js';

const create = () => fixture<MlClassifier>(html`<ml-classifier model-url=${MODEL_URL} wasm-path=${WASM_PATH}></ml-classifier>`);

describe('<ml-classifier>', () => {
  it('renders an accessible empty state with a keyboard-reachable folder button backed by the training-data input', async () => {
    const el = await create();
    await expect(el).shadowDom.to.be.accessible();
    const input = el.shadowRoot!.querySelector<HTMLInputElement>('input[name="training-data"]')!;
    expect(input.type).to.equal('file');
    expect(input.webkitdirectory).to.equal(true);
    expect(el.status).to.equal('idle');
    expect(el.getAttribute('status')).to.equal('idle');

    const before = document.createElement('button');
    before.textContent = 'before';
    el.before(before);
    before.focus();
    await sendKeys({ press: 'Tab' });
    const focused = el.shadowRoot!.activeElement as HTMLElement;
    expect(focused?.textContent).to.equal('Choose training folder');
    // The button opens the hidden input's picker.
    let opened = false;
    input.addEventListener('click', () => (opened = true));
    focused.click();
    expect(opened).to.equal(true);
    before.remove();
  });

  it('maps attributes to properties', async () => {
    const el = await fixture<MlClassifier>(
      html`<ml-classifier model-url="/m.json" epochs="5" batch-size="8" learning-rate="0.001" hidden-units="50" backend="cpu" wasm-path="/w/" validation-split="0.3" seed="7"></ml-classifier>`,
    );
    expect([el.modelUrl, el.epochs, el.batchSize, el.learningRate, el.hiddenUnits, el.backend, el.wasmPath, el.validationSplit, el.seed]).to.deep.equal([
      '/m.json',
      5,
      8,
      0.001,
      50,
      'cpu',
      '/w/',
      0.3,
      7,
    ]);
    const defaults = document.createElement('ml-classifier');
    expect([defaults.modelUrl, defaults.epochs, defaults.batchSize, defaults.learningRate, defaults.hiddenUnits, defaults.backend, defaults.validationSplit, defaults.seed]).to.deep.equal([
      undefined,
      undefined,
      undefined,
      undefined,
      100,
      'auto',
      0.15,
      1,
    ]);
  });

  it('fails with too-few-labels before any model work when the folder has one label', async () => {
    const el = await fixture<MlClassifier>(html`<ml-classifier model-url="/does-not-exist.json"></ml-classifier>`);
    const files = (await sharedFolder(COLORS)).filter((f) => f.path.includes('/blue/'));
    const failed = oneEvent(el, 'failed');
    const run = el.train(files).catch((e) => e);
    const { detail } = await failed;
    expect(detail.code).to.equal('too-few-labels');
    expect(detail.message).to.contain('"blue"');
    expect((await run).code).to.equal('too-few-labels');
    await el.updateComplete;
    expect(el.status).to.equal('error');
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain('at least two labels');
    await expect(el).shadowDom.to.be.accessible();
  });

  it('refuses settings that cannot train with invalid-option, naming the attribute, before any model work', async () => {
    const el = await fixture<MlClassifier>(html`<ml-classifier model-url="/does-not-exist.json" epochs="abc"></ml-classifier>`);
    const files = await sharedFolder(COLORS);
    const failed = oneEvent(el, 'failed');
    const error = await el.train(files).catch((e) => e);
    expect(error.code).to.equal('invalid-option');
    expect((await failed).detail.message).to.equal('The attribute epochs is not a number; it must be a whole number of at least 1.');
    el.epochs = 5;
    el.setAttribute('learning-rate', '-1');
    expect((await el.train(files).catch((e) => e)).message).to.contain('learning-rate is -1');
    el.removeAttribute('learning-rate'); // back to unset
    el.validationSplit = 1;
    expect((await el.train(files).catch((e) => e)).message).to.contain('validation-split is 1');
  });

  it('refuses predict() before training with not-trained', async () => {
    const el = await create();
    const failed = oneEvent(el, 'failed');
    const error = await el.predict(new ImageData(4, 4)).catch((e) => e);
    expect(error.code).to.equal('not-trained');
    expect((await failed).detail).to.include({ code: 'not-trained', during: 'predict' });
  });

  it('trains from the script API with the documented events, predicts, skips bad files by name, and frees every tensor when removed', async () => {
    const el = await create();
    // Read where the model runs (its worker): nothing before the first run.
    const start = await el.memory();
    const files = await sharedFolder(COLORS);
    const expectedCounts = splitCounts(files.map((f) => f.path.replace(/^colors\//, '')));
    files.push(
      { file: new File(['not a png'], 'broken.png', { type: 'image/png' }), path: 'colors/training/red/broken.png' },
      { file: new File(['x'], '.DS_Store'), path: 'colors/training/red/.DS_Store' },
    );
    const dataLoaded = oneEvent(el, 'data-loaded');
    const progress: Progress[] = [];
    el.addEventListener('progress-changed', (e) => progress.push(e.detail));
    const trainedEvent = oneEvent(el, 'trained');
    const returned = await el.train(files);
    const { detail } = await trainedEvent;
    expect(returned).to.equal(detail);

    expect((await dataLoaded).detail.labels).to.deep.equal(labelsIn(files));
    expect(detail.labels).to.deep.equal(labelsIn(files));
    expect(detail.accuracy).to.equal(1);
    expect(detail.validationAccuracy).to.equal(1);
    expect(detail.counts).to.deep.equal(expectedCounts);
    expect(detail.history.loss).to.have.length(20);
    expect(detail.history.validationAccuracy).to.have.length(20);
    expect(['webgl', 'wasm']).to.include(detail.backend);
    expect(detail.durationMs).to.be.greaterThan(0);
    expect(detail.skipped).to.have.length(1);
    expect(detail.skipped[0].path).to.equal('colors/training/red/broken.png');
    expect(detail.skipped[0].reason).to.match(/could not decode/);
    expect([...new Set(progress.map((p) => p.phase))]).to.deep.equal(['loading-model', 'reading', 'training']);
    expect(progress.filter((p) => p.phase === 'training').at(-1)).to.include({ done: 20, total: 20 });

    await el.updateComplete;
    expect(el.status).to.equal('trained');
    const results = el.shadowRoot!.querySelector('[part~="results"]')!.textContent!;
    expect(results)
      .to.match(/Training accuracy 100\s?%/)
      .and.to.match(/validation accuracy 100\s?%/);
    expect(results).to.contain(detail.backend).and.to.contain('broken.png');
    expect(el.shadowRoot!.querySelector<HTMLInputElement>('input[name="classify"]')!.accept).to.equal('image/*');
    await expect(el).shadowDom.to.be.accessible();

    const photo = validationPhoto(files);
    const predicted = oneEvent(el, 'predicted');
    const prediction = await el.predict(photo.file);
    expect((await predicted).detail).to.equal(prediction);
    expect(prediction).to.include({ source: photo.name, label: photo.label });
    expect(prediction.scores.reduce((s, x) => s + x.probability, 0)).to.be.closeTo(1, 1e-5);
    expect(el.thread).to.equal('worker');
    expect((await el.memory()).numTensors).to.be.greaterThan(start.numTensors);

    // Removal frees the model, then ends the worker: its last report.
    el.remove();
    expect(await el.memory()).to.deep.equal(start);
  });
});

describe('<ml-classifier>: runs that go wrong', () => {
  const quick = () => fixture<MlClassifier>(html`<ml-classifier model-url=${MODEL_URL} wasm-path=${WASM_PATH} epochs="3"></ml-classifier>`);

  it('keeps the previous model and its results when a retrain is aborted, and refuses a second train() meanwhile', async () => {
    const el = await quick();
    const files = await sharedFolder(COLORS);
    const first = await el.train(files);
    const start = await el.memory();
    // Enough epochs for the abort, posted to the worker at epoch 1, to land before the end.
    el.epochs = 50;
    let trainedCount = 0;
    el.addEventListener('trained', () => trainedCount++);
    el.addEventListener('progress-changed', (e) => e.detail.phase === 'training' && e.detail.done === 1 && el.abort());
    const rerun = el.train(files).catch((e) => e);
    const busy = await el.train(files).catch((e) => e);
    expect(busy.code).to.equal('busy');
    expect((await rerun).code).to.equal('aborted');
    expect(trainedCount).to.equal(0);
    await el.updateComplete;
    expect(el.status).to.equal('trained');
    expect(el.trainedDetail).to.equal(first);
    expect(await el.memory()).to.deep.equal(start);
    const photo = validationPhoto(files);
    expect((await el.predict(photo.file)).label).to.equal(photo.label);
  });

  it('fails with no-images when no image can be decoded', async () => {
    const el = await quick();
    const bad = (path: string) => ({ file: new File(['junk'], path.split('/').pop()!, { type: 'image/png' }), path });
    const failed = oneEvent(el, 'failed');
    const error = await el.train([bad('x/a/1.png'), bad('x/a/2.png'), bad('x/b/1.png'), bad('x/b/2.png')]).catch((e) => e);
    expect(error.code).to.equal('no-images');
    expect((await failed).detail).to.include({ code: 'no-images', during: 'reading' });
  });

  it('frees the model when removed while it loads', async () => {
    fixtureCleanup(); // earlier tests' elements, and their models
    const el = await fixture<MlClassifier>(html`<ml-classifier model-url=${`${MODEL_URL}?fresh`} wasm-path=${WASM_PATH}></ml-classifier>`);
    const start = await el.memory();
    el.addEventListener('progress-changed', (e) => e.detail.phase === 'loading-model' && e.detail.done === 0 && el.remove());
    const error = await el.train(await sharedFolder(COLORS)).catch((e) => e);
    expect(error.code).to.equal('aborted');
    // What the worker reported once it had freed everything, before it ended.
    expect(await el.memory()).to.deep.equal(start);
    expect(el.status).to.equal('idle');
  });

  it('reads a synthetic drop of label folders into the documented data-loaded summary', async () => {
    const el = await quick();
    const colors = await sharedFolder(COLORS);
    // The label folders themselves are dropped, together (no enclosing folder): `/blue/*.png`, `/red/*.png`.
    const byLabel = new Map<string, File[]>();
    for (const { file, path } of colors.filter((f) => isPhoto(f.path))) {
      const label = path.split('/').at(-2)!;
      byLabel.set(label, [...(byLabel.get(label) ?? []), file]);
    }
    const fileEntry = (fullPath: string, file: File) => ({ isFile: true, isDirectory: false, name: file.name, fullPath, file: (ok: (f: File) => void) => ok(file) }) as unknown as FileSystemEntry;
    const folderEntry = (label: string, files: File[]) => {
      const children = files.map((f) => fileEntry(`/${label}/${f.name}`, f));
      let read = false;
      const readEntries = (ok: (e: FileSystemEntry[]) => void) => {
        ok(read ? [] : children);
        read = true;
      };
      return { isFile: false, isDirectory: true, name: label, fullPath: `/${label}`, createReader: () => ({ readEntries }) } as unknown as FileSystemEntry;
    };
    const items = [...byLabel].map(([label, files]) => ({ kind: 'file', webkitGetAsEntry: () => folderEntry(label, files), getAsFile: () => null }));
    const drop = new Event('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(drop, 'dataTransfer', { value: { items } });
    const loaded = oneEvent(el, 'data-loaded');
    el.shadowRoot!.querySelector('[part~="dropzone"]')!.dispatchEvent(drop);
    const { detail } = (await loaded) as DataLoadedEvent;
    expect(detail.labels).to.deep.equal([...byLabel.keys()].sort());
    expect(detail.labels).to.have.length(2);
    for (const [label, files] of byLabel) {
      const { train, validation } = detail.counts[label];
      expect(train + validation, label).to.equal(files.length);
      expect(train, label).to.be.at.least(1);
    }
    await oneEvent(el, 'trained');
  });
});
