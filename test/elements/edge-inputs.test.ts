import { expect, fixture, oneEvent } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import '../../src/ml-classifier.js';
import type { MlClassifier, FailedDetail } from '../../src/ml-classifier.js';
import type { FileWithPath } from '../../src/io/dataset.js';
import { COLORS, MODEL_URL, WASM_PATH, sharedFolder, tensorCount } from '../helpers.js';

const TM_URL = '/shared/models/mobilenet_v2_0.35_224_teachable-machine-export/model.json';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const failures = (el: MlClassifier) => {
  const list: FailedDetail[] = [];
  el.addEventListener('failed', (e) => list.push(e.detail));
  return list;
};
async function loadedElement(webcam = false) {
  const el = document.createElement('ml-classifier');
  el.wasmPath = WASM_PATH;
  el.setAttribute('model-url', MODEL_URL);
  el.webcam = webcam;
  el.src = TM_URL;
  const loaded = oneEvent(el, 'model-loaded');
  document.body.append(el);
  await loaded;
  await el.updateComplete;
  return el;
}

/** Wraps getUserMedia: records every stream handed out; `gate` delays the answer. */
function spyCamera(opts: { delay?: Promise<void>; deny?: boolean } = {}) {
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  const streams: MediaStream[] = [];
  navigator.mediaDevices.getUserMedia = async (c) => {
    if (opts.deny) throw new DOMException('Permission denied', 'NotAllowedError');
    const s = await original(c);
    streams.push(s);
    if (opts.delay) await opts.delay;
    return s;
  };
  return { streams, restore: () => (navigator.mediaDevices.getUserMedia = original) };
}
/** Restores getUserMedia, removes the element, then stops any camera track left live, so a failing test leaks no camera. */
async function releaseCamera(spy: ReturnType<typeof spyCamera>, el: HTMLElement) {
  spy.restore();
  el.remove();
  await sleep(10);
  spy.streams.forEach((s) => s.getTracks().forEach((t) => t.stop()));
}
const live = (streams: MediaStream[]) => streams.flatMap((s) => s.getTracks()).filter((t) => t.readyState === 'live').length;

describe('edge cases: webcam', () => {
  it('startWebcam() called twice at once: stopWebcam() releases every camera stream', async () => {
    const el = await loadedElement(true);
    const spy = spyCamera();
    const fails = failures(el);
    try {
      const results = await Promise.allSettled([el.startWebcam(), el.startWebcam()]);
      expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'fulfilled']);
      expect(fails).to.have.length(0);
      expect(spy.streams).to.have.length(1);
      await sleep(300);
      el.stopWebcam();
      await sleep(50);
      expect(spy.streams.length, 'streams opened').to.be.greaterThan(0);
      expect(live(spy.streams), 'camera tracks still live after stop').to.equal(0);
    } finally {
      await releaseCamera(spy, el);
    }
  });

  it('webcam attribute removed while the permission prompt is open: camera not started', async () => {
    const el = await loadedElement(true);
    let release!: () => void;
    const spy = spyCamera({ delay: new Promise<void>((r) => (release = r)) });
    try {
      const starting = el.startWebcam().catch((e) => e);
      await sleep(300);
      el.webcam = false;
      await el.updateComplete;
      release();
      await starting;
      await sleep(300);
      expect(live(spy.streams), 'camera tracks live after the attribute was removed').to.equal(0);
    } finally {
      await releaseCamera(spy, el);
    }
  });

  it('stopWebcam() while the permission prompt is open: camera not started', async () => {
    const el = await loadedElement(true);
    let release!: () => void;
    const spy = spyCamera({ delay: new Promise<void>((r) => (release = r)) });
    try {
      const starting = el.startWebcam().catch((e) => e);
      await sleep(300);
      el.stopWebcam();
      release();
      await starting;
      await sleep(300);
      expect(live(spy.streams)).to.equal(0);
    } finally {
      await releaseCamera(spy, el);
    }
  });

  it('getUserMedia denied: failed names the camera and the reason; status unchanged', async () => {
    const el = await loadedElement(true);
    const spy = spyCamera({ deny: true });
    const fails = failures(el);
    try {
      const error = await el.startWebcam().catch((e) => e);
      await el.updateComplete;
      expect(error.code).to.equal('camera-unavailable');
      expect(error.cause.name).to.equal('NotAllowedError');
      expect(fails[0]).to.include({ during: 'webcam', source: 'webcam' });
      expect(el.status).to.equal('loaded');
      expect(fails[0].message.toLowerCase()).to.match(/camera|webcam/);
    } finally {
      spy.restore();
      el.remove();
    }
  });

  it('element moved in the DOM while the camera runs keeps classifying live frames', async () => {
    const el = await loadedElement(true);
    await el.startWebcam();
    const events: number[] = [];
    el.addEventListener('predicted', () => events.push(performance.now()));
    const div = document.createElement('div');
    document.body.append(div);
    div.append(el);
    await sleep(1500);
    const video = el.shadowRoot!.querySelector('video')!;
    const track = (video.srcObject as MediaStream).getVideoTracks()[0];
    expect(track.readyState).to.equal('live');
    expect(video.paused, 'video paused after the move').to.equal(false);
    expect(events.length).to.be.within(2, 8);
    el.remove();
    await sleep(10);
    expect(track.readyState).to.equal('ended');
    div.remove();
  });

  it('accessible while the camera runs', async () => {
    const el = await loadedElement(true);
    await el.startWebcam();
    await sleep(800);
    await el.updateComplete;
    try {
      await expect(el).shadowDom.to.be.accessible();
    } finally {
      el.remove();
    }
  });
});

describe('edge cases: predict inputs', () => {
  let el: MlClassifier;
  before(async () => (el = await loadedElement()));
  after(() => el.remove());

  it('an int32 [h, w, 3] tensor predicts like the float one', async () => {
    const f = tf.randomUniform([50, 60, 3], 0, 255, 'int32') as tf.Tensor3D;
    const g = f.toFloat() as tf.Tensor3D;
    const a = await el.predict(f);
    const b = await el.predict(g);
    f.dispose();
    g.dispose();
    expect(a.label).to.equal(b.label);
    expect(a.confidence).to.be.closeTo(b.confidence, 1e-5);
  });

  it('a 4-channel (RGBA) tensor: a clear invalid-image error naming the source, or alpha dropped', async () => {
    const fails = failures(el);
    const t = tf.fill([32, 32, 4], 128) as tf.Tensor3D;
    const n = tensorCount();
    const memory = await el.memory();
    const result = await el.predict(t).then((p) => ({ ok: p.label }), (e) => ({ code: e.code, message: e.message }));
    t.dispose();
    // Nothing left behind in the page (the tensor given) nor where the model runs.
    expect(tensorCount()).to.equal(n - 1);
    expect(await el.memory()).to.deep.equal(memory);
    if (!('ok' in result)) {
      expect(result.code).to.equal('invalid-image');
      expect(fails.at(-1)!.source).to.be.a('string');
    }
  });

  it('a 0x0 canvas: invalid-image, and the failed event names the source', async () => {
    const fails = failures(el);
    const canvas = document.createElement('canvas');
    canvas.width = 0;
    canvas.height = 0;
    const error = await el.predict(canvas).catch((e) => e);
    expect(error.code).to.equal('invalid-image');
    expect(fails.at(-1)!.source, 'failed.detail.source').to.be.a('string');
  });

  it('a <video> with no frame yet: invalid-image', async () => {
    const video = document.createElement('video');
    const error = await el.predict(video, 'my-video').catch((e) => e);
    expect(error.code).to.equal('invalid-image');
    expect(error.message).to.contain('my-video');
  });
});

describe('edge cases: results panel', () => {
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
        check = el.updateComplete.then(() => expect(el).shadowDom.to.be.accessible()).then(() => 'ok', (e) => e);
      }
    });
    await el.train(files);
    const r = await check;
    el.remove();
    expect(r).to.equal('ok');
  });
});
