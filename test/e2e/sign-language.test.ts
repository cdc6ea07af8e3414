import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../src/ml-classifier.js';
import type { MlClassifier, TrainedEvent } from '../../src/ml-classifier.js';
import { MODEL_URL, WASM_PATH, isPhoto, listShared, tensorCount } from '../helpers.js';

/**
 * All 2,062 sign-language photos (10 labels, no split, a few EXIF-rotated), chosen as one folder:
 * an automatic stratified split, then training, with memory back where it started.
 */
describe('end to end: sign-language-digits (2,062 photos) through the folder input', () => {
  it('trains with an automatic split to far above chance and frees every tensor', async () => {
    const start = tensorCount();
    const el = await fixture<MlClassifier>(html`<ml-classifier model-url=${MODEL_URL} wasm-path=${WASM_PATH}></ml-classifier>`);
    const dataLoaded = oneEvent(el, 'data-loaded');
    const trained = oneEvent(el, 'trained');
    await executeServerCommand('set-input-files', { host: 'ml-classifier', name: 'training-data', paths: ['shared/datasets/sign-language-digits'] });
    const loaded = (await dataLoaded).detail;
    const { detail } = (await trained) as TrainedEvent;
    const sum = (split: 'train' | 'validation') => Object.values(detail.counts).reduce((s, c) => s + c[split], 0);
    console.log(`sign-language: ${(detail.durationMs / 1000).toFixed(1)} s on ${detail.backend}, phases (ms) ${JSON.stringify(detail.phaseMs, (_, v) => (typeof v === 'number' ? Math.round(v) : v))}; ` +
      `train ${sum('train')} / validation ${sum('validation')}; validation accuracy ${detail.validationAccuracy}; training accuracy ${detail.accuracy}`);

    // Expected labels and counts come from the folder itself, as listed on disk: `<digit>/<file>`.
    const listing = await listShared('datasets/sign-language-digits');
    const photos = listing.filter(isPhoto);
    expect(loaded.labels).to.deep.equal([...new Set(photos.map((p) => p.split('/')[0]))].sort());
    expect(loaded.labels).to.have.length(10);
    expect(detail.labels).to.deep.equal(loaded.labels);
    expect(sum('train') + sum('validation')).to.equal(photos.length);
    expect(sum('validation')).to.be.within(300, 320); // ~15% of each label
    for (const c of Object.values(detail.counts)) expect(c.validation / (c.train + c.validation)).to.be.closeTo(0.15, 0.01);
    expect(detail.skipped).to.deep.equal(listing.filter((p) => !isPhoto(p)).map((p) => ({ path: `sign-language-digits/${p}`, reason: 'not an image file' })));
    expect(detail.validationAccuracy).to.be.greaterThan(0.6);

    el.remove();
    await new Promise((r) => setTimeout(r));
    expect(tensorCount()).to.equal(start);
  });
});
