import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../src/ml-classifier.js';
import type { MlClassifier } from '../../src/ml-classifier.js';
import type { PredictedEvent, TrainedEvent } from '../../src/events.js';
import { DEFAULT_TRAIN_OPTIONS } from '../../src/core/train-options.js';
import { MODEL_URL, PEXELS, WASM_PATH, folderName, isPhoto, listShared, splitCounts } from '../helpers.js';

/**
 * The main job, through the element's real folder input: the pexel photos (large stock photos in
 * `training/` and `validation/` label folders) are chosen as a folder, as a user would.
 */
describe('end to end: pexel-images folder through the folder input', () => {
  it('trains to >= 80% validation accuracy and classifies the validation photos', async () => {
    const el = await fixture<MlClassifier>(html`<ml-classifier model-url=${MODEL_URL} wasm-path=${WASM_PATH}></ml-classifier>`);
    const trained = oneEvent(el, 'trained');
    const reading: number[] = [];
    el.addEventListener('progress-changed', (e) => e.detail.phase === 'reading' && reading.push(e.detail.done));
    await executeServerCommand('set-input-files', { host: 'ml-classifier', name: 'training-data', paths: [`shared/${PEXELS}`] });
    const { detail } = (await trained) as TrainedEvent;
    // Reading progress moves per image (the 32 photos are one batch of activations), up to all of them.
    expect(reading.filter((done) => done > 0 && done < reading.at(-1)!).length, `reading progress: ${reading.join(', ')}`).to.be.at.least(5);
    expect(reading.at(-1)).to.equal(Object.values(detail.counts).reduce((n, c) => n + c.train + c.validation, 0));
    console.log(`pexel: ${(detail.durationMs / 1000).toFixed(1)} s on ${detail.backend}; phases (ms): ${JSON.stringify(detail.phaseMs, (_, v) => (typeof v === 'number' ? Math.round(v) : v))}`);

    // Expected counts and files come from the folder itself, as listed on disk.
    const listing = await listShared(PEXELS);
    const photos = listing.filter(isPhoto).map((p) => p.split('/')); // [training|validation, label, file]
    expect(detail.labels).to.deep.equal([...new Set(photos.map(([, label]) => label))].sort());
    expect(detail.counts).to.deep.equal(splitCounts(listing));
    expect(detail.validationAccuracy).to.be.at.least(0.8);
    expect(detail.history.loss).to.have.length(DEFAULT_TRAIN_OPTIONS.epochs);
    // Trained off the main thread, in the element's worker, where the model now lives.
    expect(el.thread).to.equal('worker');
    expect((await el.memory()).numTensors).to.be.greaterThan(50);
    expect(detail.skipped).to.deep.equal(listing.filter((p) => !isPhoto(p)).map((p) => ({ path: `${folderName(PEXELS)}/${p}`, reason: 'not an image file' })));
    await el.updateComplete;
    const shownAccuracy = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 }).format(detail.validationAccuracy!);
    expect(el.shadowRoot!.querySelector('[part~="results"]')!.textContent).to.contain(`validation accuracy ${shownAccuracy}`);

    const expected = new Map(photos.filter(([split]) => split === 'validation').map(([, label, file]) => [file, label]));
    expect(expected.size).to.equal(Object.values(splitCounts(listing)).reduce((n, c) => n + c.validation, 0));
    const predictions: PredictedEvent['detail'][] = [];
    const allPredicted = new Promise<void>((resolve) => el.addEventListener('predicted', (e) => predictions.push(e.detail) === expected.size && resolve()));
    await executeServerCommand('set-input-files', {
      host: 'ml-classifier',
      name: 'classify',
      paths: [...expected.keys()].map((n) => `shared/${PEXELS}/validation/${expected.get(n)}/${n}`),
    });
    await allPredicted;
    const correct = predictions.filter((p) => expected.get(p.source) === p.label).length;
    console.log(`pexel validation photos classified: ${correct} of ${expected.size} right`);
    expect(predictions.map((p) => p.source).sort()).to.deep.equal([...expected.keys()].sort());
    expect(correct / expected.size).to.be.at.least(0.8);
    for (const p of predictions) expect(p.scores.reduce((s, x) => s + x.probability, 0)).to.be.closeTo(1, 1e-5);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('[part~="predictions"] > li')).to.have.length(expected.size);
  });
});
