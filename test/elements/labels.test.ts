// <ml-classifier> label names: label folders whose names differ only by Unicode normalisation are one label.
import { expect, fixture } from '@open-wc/testing';
import '../../src/ml-classifier.js';
import type { MlClassifier } from '../../src/ml-classifier.js';
import { COLORS, MODEL_URL, WASM_PATH, sharedFolder } from '../helpers.js';

describe('<ml-classifier>: label names', () => {
  it('labels that differ only by Unicode normalisation are one label', async () => {
    const files = (await sharedFolder(COLORS)).map((f, i) => ({
      ...f,
      path: f.path.replace('/blue/', i % 2 ? '/caf\u00e9/' : '/cafe\u0301/'),
    }));
    const el = document.createElement('ml-classifier');
    Object.assign(el, { modelUrl: MODEL_URL, wasmPath: WASM_PATH, epochs: 2 });
    await fixture<MlClassifier>(el);
    const detail = await el.train(files);
    el.remove();
    expect(detail.labels).to.deep.equal(['caf\u00e9', 'red']);
  });
});
