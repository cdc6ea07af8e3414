import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../src/ml-classifier.js';
import type { MlClassifier, TrainedEvent } from '../../src/ml-classifier.js';
import { DEFAULT_ORGANIZE_OPTIONS } from '../../src/io/dataset.js';
import { MODEL_URL, SIGNS, WASM_PATH, folderName, isPhoto, listShared } from '../helpers.js';

/**
 * Every sign-language photo (one folder per label, no split, a few EXIF-rotated), chosen as one
 * folder: an automatic stratified split, then training, with memory back where it started.
 */
describe('end to end: the whole sign-language-digits folder through the folder input', () => {
  it('trains with an automatic split to far above chance and frees every tensor', async () => {
    const el = await fixture<MlClassifier>(html`<ml-classifier model-url=${MODEL_URL} wasm-path=${WASM_PATH}></ml-classifier>`);
    const start = await el.memory();
    const dataLoaded = oneEvent(el, 'data-loaded');
    const trained = oneEvent(el, 'trained');
    await executeServerCommand('set-input-files', { host: 'ml-classifier', name: 'training-data', paths: [`shared/${SIGNS}`] });
    const loaded = (await dataLoaded).detail;
    const { detail } = (await trained) as TrainedEvent;
    const sum = (split: 'train' | 'validation') => Object.values(detail.counts).reduce((s, c) => s + c[split], 0);
    console.log(
      `sign-language: ${(detail.durationMs / 1000).toFixed(1)} s on ${detail.backend}, phases (ms) ${JSON.stringify(detail.phaseMs, (_, v) => (typeof v === 'number' ? Math.round(v) : v))}; ` +
        `train ${sum('train')} / validation ${sum('validation')}; validation accuracy ${detail.validationAccuracy}; training accuracy ${detail.accuracy}`,
    );

    // Expected labels and counts come from the folder itself, as listed on disk: `<digit>/<file>`.
    const listing = await listShared(SIGNS);
    const photos = listing.filter(isPhoto);
    const perLabel = new Map<string, number>();
    for (const p of photos) perLabel.set(p.split('/')[0], (perLabel.get(p.split('/')[0]) ?? 0) + 1);
    expect(loaded.labels).to.deep.equal([...perLabel.keys()].sort());
    expect(detail.labels).to.deep.equal(loaded.labels);
    expect(sum('train') + sum('validation')).to.equal(photos.length);
    // The automatic split holds out round(share x n) of each label's photos.
    const share = DEFAULT_ORGANIZE_OPTIONS.validationSplit;
    for (const [label, n] of perLabel) expect(detail.counts[label]).to.deep.equal({ train: n - Math.round(share * n), validation: Math.round(share * n) });
    expect(detail.skipped).to.deep.equal(listing.filter((p) => !isPhoto(p)).map((p) => ({ path: `${folderName(SIGNS)}/${p}`, reason: 'not an image file' })));
    expect(detail.validationAccuracy).to.be.greaterThan(0.6);

    expect(el.thread).to.equal('worker');
    el.remove();
    // Where the model ran (its worker), once removal had freed everything.
    expect(await el.memory()).to.deep.equal(start);
  });
});
