// <ml-classifier>.predict(): the same answer from every kind of input it takes, and the inputs it
// cannot read (or reads in another form): an int32 or RGBA tensor, an empty canvas, a video with no frame.
import { expect, oneEvent } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import '../../src/ml-classifier.js';
import type { MlClassifier } from '../../src/ml-classifier.js';
import { COLORS, TM_EXPORT, WASM_PATH, failures, imageInputs, listShared, loadedElement, sharedFile, tensorCount } from '../helpers.js';

describe('<ml-classifier>: predict() from each kind of input', () => {
  it('predicts the same from a File, <img>, <canvas>, ImageBitmap, ImageData and a [h, w, 3] tensor', async () => {
    const el = document.createElement('ml-classifier');
    el.wasmPath = WASM_PATH;
    el.src = `${TM_EXPORT}/model.json`;
    const loaded = oneEvent(el, 'model-loaded');
    document.body.append(el);
    const { detail: model } = await loaded;
    // An opaque PNG, decoded exactly the same way by every path.
    const path = (await listShared(COLORS)).filter((p) => p.endsWith('.png'))[0];
    const file = await sharedFile(`${COLORS}/${path}`);
    const { img, canvas, pixels, bitmap, tensor, release } = await imageInputs(file);
    const start = await el.memory();
    const results = [];
    for (const input of [file, img, canvas, bitmap, pixels, tensor]) results.push(await el.predict(input));
    expect(await el.memory()).to.deep.equal(start);
    const reference = results[0].scores;
    expect(reference).to.have.length(model.labels.length);
    for (const r of results) {
      expect(r.label).to.equal(results[0].label);
      r.scores.forEach((s) => expect(s.probability).to.be.closeTo(reference.find((x) => x.label === s.label)!.probability, 1e-5));
    }
    expect(results.map((r) => r.source)).to.deep.equal([file.name, img.src, 'HTMLCanvasElement', 'ImageBitmap', 'ImageData', 'Tensor']);
    release();
    el.remove();
  });
});

describe('<ml-classifier>: predict() with odd inputs', () => {
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
    const result = await el.predict(t).then(
      (p) => ({ ok: p.label }),
      (e) => ({ code: e.code, message: e.message }),
    );
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
