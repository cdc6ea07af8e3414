import { expect, fixture, oneEvent } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import '../../src/ml-classifier.js';
import type { MlClassifier, PredictedDetail, TrainedDetail } from '../../src/ml-classifier.js';
import type { FileWithPath } from '../../src/io/dataset.js';
import { COLORS, MODEL_URL, SIGNS, WASM_PATH, imageInputs, isPhoto, listShared, sharedFile, sharedFolder } from '../helpers.js';

/** Each element's worker, once removed: what it reported after freeing everything, before it ended. */
const freedAfterRemoval = async (...els: MlClassifier[]) => {
  for (const el of els) expect(await el.memory(), `${el.thread}: memory after removal`).to.deep.equal({ numTensors: 0, numBytes: 0 });
};

const TM_EXPORT = '/shared/models/mobilenet_v2_0.35_224_teachable-machine-export';

const create = (attributes = '') => {
  const el = document.createElement('ml-classifier');
  el.setAttribute('model-url', MODEL_URL);
  el.setAttribute('wasm-path', WASM_PATH);
  for (const a of attributes.split(' ').filter(Boolean)) el.setAttribute(a, '');
  return fixture<MlClassifier>(el);
};

/** The first `perLabel` photos of each sign-language label, as a picked folder gives them. */
async function signSubset(perLabel: number): Promise<FileWithPath[]> {
  const byLabel = new Map<string, string[]>();
  for (const p of (await listShared(SIGNS)).filter(isPhoto)) {
    const [label] = p.split('/');
    byLabel.set(label, [...(byLabel.get(label) ?? []), p]);
  }
  const picked = [...byLabel.values()].flatMap((paths) => paths.slice(0, perLabel));
  return Promise.all(picked.map(async (p) => ({ file: await sharedFile(`${SIGNS}/${p}`), path: `signs/${p}` })));
}

const cellNumbers = (row: Element) => [...row.querySelectorAll('td')].map((td) => Number(td.textContent!.trim()));

describe('<ml-classifier>: results panel', () => {
  it('charts loss and accuracy live, and shows per-label accuracy and a confusion matrix that match the predicted events', async () => {
    const el = await create();
    el.epochs = 12;
    el.validationSplit = 0.3;
    const files = await signSubset(10);
    // The chart is drawn while training: look at it after the third epoch.
    let liveRows = -1;
    el.addEventListener('progress-changed', async ({ detail }) => {
      if (detail.phase === 'training' && detail.done === 3) {
        await el.updateComplete;
        liveRows = el.shadowRoot!.querySelectorAll('[part~="progress"] [part~="chart"] tbody tr').length;
      }
    });
    const detail = await el.train(files);
    expect(liveRows).to.equal(3);
    await el.updateComplete;
    const root = el.shadowRoot!;

    // Headline: accuracies with the counts behind them.
    const labels = detail.labels;
    expect(labels).to.deep.equal(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const validationCount = detail.validation.length;
    expect(validationCount).to.equal(labels.reduce((n, l) => n + detail.counts[l].validation, 0));
    const correct = detail.validation.filter((v) => v.label === v.predicted).length;
    expect(detail.validationAccuracy).to.equal(correct / validationCount);
    expect(root.querySelector('[part~="results"] p')!.textContent).to.contain(`(${correct} of ${validationCount})`);

    // Chart: one table row and one plotted point per epoch, for training and validation.
    const chart = root.querySelector('[part~="results"] [part~="chart"]')!;
    const rows = [...chart.querySelectorAll('tbody tr')];
    expect(rows).to.have.length(12);
    expect(rows.map((r) => r.querySelector('td')!.textContent)).to.deep.equal(detail.history.loss.map((l) => l.toFixed(4)));
    const lines = [...chart.querySelectorAll('polyline')];
    expect(lines).to.have.length(4);
    lines.forEach((line) => expect(line.getAttribute('points')!.split(' ')).to.have.length(12));

    // The confusion matrix, recomputed from `predicted` events on the validation images.
    const byPath = new Map(files.map((f) => [f.path, f.file]));
    const expected = labels.map(() => labels.map(() => 0));
    const predicted: PredictedDetail[] = [];
    el.addEventListener('predicted', (e) => predicted.push(e.detail));
    for (const v of detail.validation) await el.predict(byPath.get(v.path)!, v.path);
    predicted.forEach((p) => {
      const truth = detail.validation.find((v) => v.path === p.source)!.label;
      expected[labels.indexOf(truth)][labels.indexOf(p.label)]++;
    });
    expect(predicted).to.have.length(validationCount);
    const matrixRows = [...root.querySelectorAll('[part~="matrix"] tbody tr')];
    expect(matrixRows.map((r) => r.querySelector('th')!.textContent)).to.deep.equal(labels);
    const rendered = matrixRows.map(cellNumbers);
    expect(rendered).to.deep.equal(detail.confusionMatrix);
    // The same images decoded again: in about one run in four, one JPEG's second decode (WebCodecs
    // VideoFrame drawn to a canvas) differs enough to move that image to a neighbouring cell, so
    // allow one image to move (2 cells off by one) and nothing more.
    const moved = rendered.flat().reduce((n, count, i) => n + Math.abs(count - expected.flat()[i]), 0);
    expect(moved).to.be.at.most(2);
    expect(rendered.map((row) => row.reduce((a, b) => a + b, 0))).to.deep.equal(expected.map((row) => row.reduce((a, b) => a + b, 0)));

    // Per label: correct, images and accuracy from the matrix's diagonal and rows.
    const perLabel = [...root.querySelectorAll('.per-label tbody tr')].map((r) => cellNumbers(r).slice(0, 2));
    expect(perLabel).to.deep.equal(rendered.map((row, i) => [row[i], row.reduce((a, b) => a + b, 0)]));

    // Selecting a cell shows the images counted in it, by path.
    const [actual, col] = (() => {
      for (const [i, row] of rendered.entries()) for (const [j, n] of row.entries()) if (i !== j && n > 0) return [i, j];
      return [0, 0]; // no confusion at all: show a diagonal cell
    })();
    const button = matrixRows[actual].querySelectorAll('td')[col].querySelector('button')!;
    button.click();
    await el.updateComplete;
    expect(button.getAttribute('aria-pressed')).to.equal('true');
    const shown = [...root.querySelectorAll('.cell-images img')].map((img) => img.getAttribute('alt'));
    const inCell = detail.validation.filter((v) => v.label === labels[actual] && v.predicted === labels[col]).map((v) => v.path);
    expect(shown).to.deep.equal(inCell);
    expect(shown).to.have.length(detail.confusionMatrix[actual][col]);
    await expect(el).shadowDom.to.be.accessible();
  });
});

describe('<ml-classifier>: saving and loading', () => {
  /** The colors set with label folders renamed to names with spaces and non-Latin letters. */
  const LABELS: Record<string, string> = { blue: 'bleu ciel', red: 'красный 赤' };
  const renamed = async () =>
    (await sharedFolder(COLORS)).map((f) => ({ ...f, path: f.path.replace(/\/(blue|red)\//, (_, l: string) => `/${LABELS[l]}/`) }));

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
    const trainedEl = await create();
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
    const fromFiles = await create();
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

  it('predicts the same from a File, <img>, <canvas>, ImageBitmap, ImageData and a [h, w, 3] tensor', async () => {
    const el = document.createElement('ml-classifier');
    el.wasmPath = WASM_PATH;
    el.src = `${TM_EXPORT}/model.json`;
    const loaded = oneEvent(el, 'model-loaded');
    document.body.append(el);
    const { detail: model } = await loaded;
    // An opaque PNG, decoded exactly the same way by every path.
    const path = (await listShared(COLORS)).filter((p) => p.endsWith('.png'))[0];
    const file = await sharedFile(`${COLORS}/${path}`);
    const { img, canvas, pixels, bitmap, tensor, release } = await imageInputs(file);
    const start = await el.memory();
    const results = [];
    for (const input of [file, img, canvas, bitmap, pixels, tensor]) results.push(await el.predict(input));
    expect(await el.memory()).to.deep.equal(start);
    const reference = results[0].scores;
    expect(reference).to.have.length(model.labels.length);
    for (const r of results) {
      expect(r.label).to.equal(results[0].label);
      r.scores.forEach((s) => expect(s.probability).to.be.closeTo(reference.find((x) => x.label === s.label)!.probability, 1e-5));
    }
    expect(results.map((r) => r.source)).to.deep.equal([file.name, img.src, 'HTMLCanvasElement', 'ImageBitmap', 'ImageData', 'Tensor']);
    release();
    el.remove();
  });

  it('reports a model without labels by name, and keeps the element usable', async () => {
    const el = await create();
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
    const el = await create();
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
    const fresh = await create();
    await fresh.load(saved);
    const after = await fresh.predict(image);
    after.scores.forEach((s) => expect(s.probability).to.be.closeTo(before.scores.find((b) => b.label === s.label)!.probability, 1e-5));
    el.remove();
    fresh.remove();
    await tf.io.removeModel('indexeddb://pooled-test');
    await freedAfterRemoval(el, fresh);
  });
});

describe('<ml-classifier>: training again and stopping', () => {
  it('trains five times in a row with no growth in tensors, then stops a sixth run mid-training and frees everything when removed mid-run', async () => {
    const el = await create();
    el.epochs = 3;
    const files = await sharedFolder(COLORS);
    const counts: number[] = [];
    for (let i = 0; i < 5; i++) {
      await el.train(files);
      counts.push((await el.memory()).numTensors);
    }
    expect(new Set(counts).size).to.equal(1);
    // Stop at the first epoch: the fifth model stays in use.
    el.epochs = 50;
    el.addEventListener('progress-changed', ({ detail }) => detail.phase === 'training' && detail.done === 1 && el.abort(), { once: false });
    const aborted = await el.train(files).catch((e) => e);
    expect(aborted.code).to.equal('aborted');
    expect((await el.memory()).numTensors).to.equal(counts[0]);
    expect(el.status).to.equal('trained');
    expect((await el.predict((files.find((f) => isPhoto(f.path)))!.file)).scores).to.have.length(2);
  });

  it('frees every tensor when removed during training', async () => {
    const el = await create();
    el.epochs = 200;
    const training = new Promise<void>((resolve) =>
      el.addEventListener('progress-changed', ({ detail }) => detail.phase === 'training' && detail.done === 2 && resolve()),
    );
    const run = el.train(await sharedFolder(COLORS)).catch((e) => e);
    await training;
    el.remove();
    expect((await run).code).to.equal('aborted');
    await freedAfterRemoval(el);
    expect(el.status).to.equal('idle');
  });
});

describe('<ml-classifier webcam>', () => {
  it("classifies Chromium's fake camera a few times a second and releases it on Stop and on removal", async () => {
    const el = document.createElement('ml-classifier');
    el.wasmPath = WASM_PATH;
    el.webcam = true;
    el.src = `${TM_EXPORT}/model.json`;
    const loaded = oneEvent(el, 'model-loaded');
    document.body.append(el);
    await loaded;
    await el.updateComplete;
    const start = [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent === 'Start camera')!;
    const events: PredictedDetail[] = [];
    el.addEventListener('predicted', (e) => events.push(e.detail));
    start.click();
    const t0 = performance.now();
    while (events.length < 3) await new Promise((r) => setTimeout(r, 50));
    const seconds = (performance.now() - t0) / 1000;
    expect(events.every((e) => e.source === 'webcam')).to.equal(true);
    expect(events.length / seconds).to.be.at.most(5);
    const video = el.shadowRoot!.querySelector('video')!;
    const [track] = (video.srcObject as MediaStream).getVideoTracks();
    expect(track.readyState).to.equal('live');
    [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent === 'Stop camera')!.click();
    expect(track.readyState).to.equal('ended');
    const stoppedAt = events.length;
    await new Promise((r) => setTimeout(r, 600));
    expect(events.length - stoppedAt).to.be.at.most(1); // a frame in flight may still land

    await el.startWebcam();
    const [again] = (el.shadowRoot!.querySelector('video')!.srcObject as MediaStream).getVideoTracks();
    el.remove();
    await new Promise((r) => setTimeout(r));
    expect(again.readyState).to.equal('ended');
  });
});
