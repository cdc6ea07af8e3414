import { expect, fixture, oneEvent } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import '../../src/ml-classifier.js';
import type { MlClassifier, ProgressChangedEvent } from '../../src/ml-classifier.js';
import { COLORS, MODEL_URL, WASM_PATH, settledTensorCount, sharedFolder, tensorCount } from '../helpers.js';

// In a file of its own: it leaves the page on the WebGL backend.
describe('<ml-classifier backend="webgl">: a lost WebGL context', () => {
  it('is reported, its tensors freed, and training again works on a fresh context without reloading', async () => {
    const start = await settledTensorCount();
    const el = document.createElement('ml-classifier');
    // main-thread: the test loses the context of the page's own tfjs backend (WEBGL_lose_context).
    Object.assign(el, { modelUrl: MODEL_URL, wasmPath: WASM_PATH, backend: 'webgl', epochs: 40, mainThread: true });
    await fixture<MlClassifier>(el);
    const files = await sharedFolder(COLORS);
    let lostContext: WebGLRenderingContext | undefined;
    const lose = ({ detail }: ProgressChangedEvent) => {
      if (detail.phase !== 'training' || detail.done !== 2) return;
      lostContext = (tf.backend() as unknown as { gpgpu: { gl: WebGLRenderingContext } }).gpgpu.gl;
      lostContext.getExtension('WEBGL_lose_context')!.loseContext();
    };
    el.addEventListener('progress-changed', lose);
    const failed = oneEvent(el, 'failed');
    const error = await el.train(files).catch((e) => e);
    expect(error.code).to.equal('context-lost');
    expect((await failed).detail).to.include({ code: 'context-lost', during: 'training' });
    expect(lostContext!.isContextLost()).to.equal(true);
    expect(tensorCount()).to.equal(start);
    await el.updateComplete;
    expect(el.status).to.equal('error');
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain('train again');

    el.removeEventListener('progress-changed', lose);
    el.epochs = 5;
    const detail = await el.train(files);
    expect(detail.backend).to.equal('webgl');
    expect(detail.validationAccuracy).to.equal(1);
    const fresh = (tf.backend() as unknown as { gpgpu: { gl: WebGLRenderingContext } }).gpgpu.gl;
    expect(fresh).to.not.equal(lostContext);
    expect(fresh.isContextLost()).to.equal(false);

    // Lost while idle: the next prediction says so instead of answering from zeros, and recovers.
    fresh.getExtension('WEBGL_lose_context')!.loseContext();
    await new Promise((r) => setTimeout(r, 50));
    const predictError = await el.predict(files.find((f) => f.path.endsWith('.png'))!.file).catch((e) => e);
    expect(predictError.code).to.equal('context-lost');
    expect(tensorCount()).to.equal(start);
    expect((await el.train(files)).validationAccuracy).to.equal(1);
  });
});
