import { expect, fixture, oneEvent } from '@open-wc/testing';
import '../../src/ml-classifier.js';
import type { MlClassifier } from '../../src/ml-classifier.js';
import { COLORS, MODEL_URL, WASM_PATH, sharedFolder } from '../helpers.js';

const TM_URL = '/shared/models/mobilenet_v2_0.35_224_teachable-machine-export/model.json';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('edge cases: extra', () => {
  it('webcam attribute removed while the camera runs releases it and stops predicted events', async () => {
    const el = document.createElement('ml-classifier');
    el.wasmPath = WASM_PATH;
    el.setAttribute('webcam', '');
    el.src = TM_URL;
    const loaded = oneEvent(el, 'model-loaded');
    document.body.append(el);
    await loaded;
    await el.startWebcam();
    await sleep(600);
    const track = (el.shadowRoot!.querySelector('video')!.srcObject as MediaStream).getVideoTracks()[0];
    el.removeAttribute('webcam');
    await el.updateComplete;
    expect(track.readyState).to.equal('ended');
    let n = 0;
    el.addEventListener('predicted', () => n++);
    await sleep(800);
    expect(n).to.be.at.most(1);
    el.remove();
  });

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
