import { expect, fixture, oneEvent } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { MlClassifier } from '../../src/ml-classifier.js';

// Not from ../helpers.js: that imports the source build of tfjs, and this page must hold only the bundle's.
const MODEL_URL = '/shared/models/mobilenet_v1_0.25_224/model.json';
const COLORS = 'datasets/dataset-tutorial-for-image-classification/colors';

/**
 * The bundle (`npm run build`, run by `npm test` first), loaded as a plain page would: only
 * `dist/ml-classifier.js`, which imports its shared chunk and starts `dist/trainer.worker.js`, with
 * the WASM binaries found next to it, trained through the folder input.
 */
describe('end to end: the dist/ml-classifier.js bundle on its own', () => {
  it('defines <ml-classifier> and trains in its worker through its folder input', async () => {
    const bundle = '/dist/ml-classifier.js';
    await import(/* @vite-ignore */ bundle);
    expect(customElements.get('ml-classifier')).to.be.a('function');
    const el = await fixture<MlClassifier>(`<ml-classifier model-url="${MODEL_URL}" epochs="20"></ml-classifier>`);
    const trained = oneEvent(el, 'trained');
    await executeServerCommand('set-input-files', { host: 'ml-classifier', name: 'training-data', paths: [`shared/${COLORS}`] });
    const { detail } = await trained;
    expect(detail.labels).to.deep.equal(['blue', 'red']);
    expect(detail.validationAccuracy).to.equal(1);
    expect(['webgl', 'wasm']).to.include(detail.backend);
    // The worker started from the bundle's own URL (dist/trainer.worker.js) and holds the model.
    expect(el.thread).to.equal('worker');
    expect((await el.memory()).numTensors).to.be.greaterThan(50);
    const scripts = performance
      .getEntriesByType('resource')
      .map((e) => new URL(e.name).pathname)
      .filter((p) => p.startsWith('/dist/') && p.endsWith('.js'));
    expect(scripts).to.include('/dist/trainer.worker.js');
    el.remove();
  });

  it('trains on the graph-model base (its converter chunk loaded by the worker) and on the default base, both from models-path', async () => {
    for (const base of ['mobilenet-v2-0.50-96', undefined]) {
      const el = await fixture<MlClassifier>(`<ml-classifier models-path="/shared/models/" ${base ? `base-model="${base}"` : ''}></ml-classifier>`);
      const trained = oneEvent(el, 'trained');
      await executeServerCommand('set-input-files', { host: 'ml-classifier', name: 'training-data', paths: [`shared/${COLORS}`] });
      const { detail } = await trained;
      expect(detail.validationAccuracy).to.equal(1);
      expect(detail.baseModel).to.include({ id: base ?? 'mobilenet-v2-0.35', format: base ? 'graph' : 'layers', pooling: 'average' });
      expect(el.thread).to.equal('worker');
      el.remove();
    }
  });
});
