// <ml-classifier>'s results panel: the live and final chart, per-label accuracy and the confusion matrix
// against the predicted events; and the panel after one epoch, with a label without validation images, mid-run.
import { expect, fixture } from '@open-wc/testing';
import '../../src/ml-classifier.js';
import type { MlClassifier, PredictedDetail } from '../../src/ml-classifier.js';
import type { FileWithPath } from '../../src/io/dataset.js';
import { COLORS, MODEL_URL, SIGNS, WASM_PATH, isPhoto, listShared, sharedFile, sharedFolder } from '../helpers.js';

const create = () => {
  const el = document.createElement('ml-classifier');
  el.setAttribute('model-url', MODEL_URL);
  el.setAttribute('wasm-path', WASM_PATH);
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

describe('<ml-classifier>: results panel after one epoch, with a label without validation images, and mid-run', () => {
  let files: FileWithPath[];
  before(async () => (files = await sharedFolder(COLORS)));

  it('epochs=1: the chart draws something visible for the single epoch', async () => {
    const el = document.createElement('ml-classifier');
    Object.assign(el, { modelUrl: MODEL_URL, wasmPath: WASM_PATH, epochs: 1 });
    await fixture(el);
    await el.train(files);
    await el.updateComplete;
    const chart = el.shadowRoot!.querySelector('[part~="results"] [part~="chart"]')!;
    const lines = [...chart.querySelectorAll('polyline')].map((l) => l.getAttribute('points')!.split(' ').length);
    const markers = chart.querySelectorAll('circle, path, rect').length;
    el.remove();
    // a polyline with a single point has no length and is not painted
    expect(lines.some((n) => n >= 2) || markers > 0).to.equal(true);
  });

  it('a label with no validation images: matrix row of zeros, per-label "–", accessible', async () => {
    const el = document.createElement('ml-classifier');
    Object.assign(el, { modelUrl: MODEL_URL, wasmPath: WASM_PATH, epochs: 3 });
    await fixture(el);
    const some = files.filter((f) => !/validation\/red\//.test(f.path));
    const detail = await el.train(some);
    await el.updateComplete;
    const root = el.shadowRoot!;
    const rows = [...root.querySelectorAll('[part~="matrix"] tbody tr')];
    expect(detail.counts.red.validation).to.equal(0);
    expect(rows).to.have.length(2);
    const perLabel = [...root.querySelectorAll('.per-label tbody tr')].map((r) => r.textContent!.replace(/\s+/g, ' ').trim());
    expect(perLabel.find((t) => t.startsWith('red'))).to.contain('–');
    // keyboard: matrix cells are real buttons, reachable and pressable with Enter
    const button = root.querySelector<HTMLButtonElement>('[part~="matrix"] button')!;
    button.focus();
    expect(root.activeElement).to.equal(button);
    await expect(el).shadowDom.to.be.accessible();
    el.remove();
  });

  it('accessible while training (progress + live chart)', async () => {
    const el = document.createElement('ml-classifier');
    Object.assign(el, { modelUrl: MODEL_URL, wasmPath: WASM_PATH, epochs: 40 });
    await fixture(el);
    let check: Promise<unknown> | undefined;
    el.addEventListener('progress-changed', ({ detail }) => {
      if (detail.phase === 'training' && detail.done === 3 && !check) {
        check = el.updateComplete
          .then(() => expect(el).shadowDom.to.be.accessible())
          .then(
            () => 'ok',
            (e) => e,
          );
      }
    });
    await el.train(files);
    const r = await check;
    el.remove();
    expect(r).to.equal('ok');
  });
});
