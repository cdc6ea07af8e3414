// <ml-classifier webcam>: classifying Chromium's fake camera, and starting, stopping and releasing it at
// awkward moments (two starts at once, a pending permission prompt, a denial, a move in the DOM).
import { expect, oneEvent } from '@open-wc/testing';
import '../../src/ml-classifier.js';
import type { PredictedDetail } from '../../src/ml-classifier.js';
import { TM_EXPORT, TM_URL, WASM_PATH, failures, loadedElement, sleep } from '../helpers.js';

/** Wraps getUserMedia: records every stream handed out; `delay` holds the answer back. */
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

describe('<ml-classifier webcam>: starting and stopping at awkward moments', () => {
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
});
