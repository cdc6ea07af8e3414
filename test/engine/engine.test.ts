// The Engine alone, on stub pipelines: it is the one place that decides busy and owns a run's
// abort, whatever its pipeline does. No model, no TensorFlow.js: milliseconds.
import { expect } from '@open-wc/testing';
import { Engine } from '../../src/engine/engine.js';
import { ClassifierError } from '../../src/core/errors.js';
import { StubPipeline, gate, type StubConfig } from '../stub-engine.js';

const files = ['a/1.png', 'a/2.png', 'b/1.png', 'b/2.png'].map((path) => ({ file: new File(['x'], path.split('/')[1], { type: 'image/png' }), path }));
const code = (e: unknown) => (e as ClassifierError).code;

/** An engine whose pipeline is made when `made` is released (immediately without one). */
function engine(config: StubConfig = {}, made?: Promise<void>) {
  const pipelines: StubPipeline[] = [];
  const e = new Engine(async () => {
    await made;
    const pipeline = new StubPipeline(config);
    pipelines.push(pipeline);
    return pipeline;
  });
  return { engine: e, pipelines };
}

describe('Engine: one run at a time', () => {
  it('is busy from the call, refuses a second train() or load() with busy naming the first, and is idle once it settles', async () => {
    const { engine: e } = engine();
    const run = e.train(files, { validationSplit: 0.5, epochs: 2 });
    expect(e.busy).to.equal(true);
    expect(e.busyWith).to.equal('training');
    const second = await e.train(files).catch((x) => x);
    expect(code(second)).to.equal('busy');
    expect(second.message).to.match(/^Training is already running/);
    expect(code(await e.load('/m/model.json').catch((x) => x))).to.equal('busy');
    const detail = await run;
    expect(detail.labels).to.deep.equal(['a', 'b']);
    expect(detail.history.loss).to.have.length(2);
    expect(e.busy).to.equal(false);
    expect(e.labels).to.deep.equal(['a', 'b']);
    const loading = e.load('/m/model.json');
    expect(e.busyWith).to.equal('loading');
    expect((await e.train(files).catch((x) => x)).message).to.contain('A saved model is still loading');
    await loading;
  });

  it('predict() and save() before any run answer not-trained without making a pipeline', async () => {
    const { engine: e, pipelines } = engine();
    expect(code(await e.predict(new ImageData(1, 1)).catch((x) => x))).to.equal('not-trained');
    expect(code(await e.save().catch((x) => x))).to.equal('not-trained');
    expect(pipelines).to.have.length(0);
    expect(e.thread).to.equal(undefined);
    expect(await e.memory()).to.deep.equal({ numTensors: 0, numBytes: 0 });
  });
});

describe('Engine: abort', () => {
  it("abort() while the pipeline is being made rejects with aborted, and the caller's signal aborts the run as abort() does", async () => {
    const started = gate();
    const { engine: e, pipelines } = engine({}, started.wait);
    const run = e.train(files);
    e.abort();
    started.release();
    expect(code(await run.catch((x) => x))).to.equal('aborted');
    expect(e.busy).to.equal(false);
    // The pipeline is still made, for the next run.
    await e.memory();
    expect(pipelines).to.have.length(1);

    const hold = gate();
    const config: StubConfig = { hold };
    const second = engine(config);
    const controller = new AbortController();
    const running = second.engine.train(files, {}, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    hold.release();
    expect(code(await running.catch((x) => x))).to.equal('aborted');
    expect(second.engine.labels).to.deep.equal([]);
  });

  it('an already-aborted signal is refused before the run starts (nothing made, not busy)', async () => {
    const { engine: e, pipelines } = engine();
    expect(code(await e.train(files, {}, { signal: AbortSignal.abort() }).catch((x) => x))).to.equal('aborted');
    expect(e.busy).to.equal(false);
    expect(pipelines).to.have.length(0);
  });
});

describe('Engine: dispose', () => {
  it('frees the pipeline made, reports its memory afterwards, and makes a new one on the next run', async () => {
    const { engine: e, pipelines } = engine();
    await e.train(files);
    expect(e.thread).to.equal('main');
    expect((await e.memory()).numTensors).to.equal(2);
    e.dispose();
    expect(pipelines[0].disposed).to.equal(true);
    expect(e.labels).to.deep.equal([]);
    expect(await e.memory()).to.deep.equal({ numTensors: 0, numBytes: 0 });
    await e.train(files);
    expect(pipelines).to.have.length(2);
    expect(pipelines[1].disposed).to.equal(false);
  });

  it('disposed while the pipeline is being made: the run rejects with aborted and the pipeline, once made, is freed', async () => {
    const started = gate();
    const { engine: e, pipelines } = engine({}, started.wait);
    const run = e.train(files);
    e.dispose();
    started.release();
    expect(code(await run.catch((x) => x))).to.equal('aborted');
    await e.memory();
    expect(pipelines.map((p) => p.disposed)).to.deep.equal([true]);
  });

  it('a pipeline that cannot be made rejects the run with its error, and the next run tries again', async () => {
    let attempts = 0;
    const e = new Engine(async () => {
      attempts++;
      if (attempts === 1) throw new ClassifierError('worker-unavailable', 'no worker');
      return new StubPipeline();
    });
    expect(code(await e.train(files).catch((x) => x))).to.equal('worker-unavailable');
    expect(e.busy).to.equal(false);
    expect((await e.train(files)).labels).to.deep.equal(['a', 'b']);
    expect(attempts).to.equal(2);
  });
});
