import { expect } from '@open-wc/testing';
import { selectBackend } from '../../src/core/backend.js';
import { Classifier, type LabeledActivations } from '../../src/core/classifier.js';
import type { FeatureExtractor } from '../../src/core/feature-extractor.js';
import { WASM_PATH, activationRows, tensorCount } from '../helpers.js';

// train() never touches the extractor: a stub keeps these tests fast.
const headOnly = () => new Classifier({ dispose: () => {} } as FeatureExtractor);

/** n pooled rows two labels separate at once (+0.5 or -0.5, plus noise), label i % 2. */
function separable(n: number, shape = [256]): LabeledActivations {
  const labelIndices = Array.from({ length: n }, (_, i) => i % 2);
  const activations = activationRows(n, shape, () => Math.random() - 0.5);
  activations.rows.forEach((row, i) => row.forEach((v, j) => (row[j] = v + (labelIndices[i] ? 0.5 : -0.5))));
  return { activations, labelIndices };
}

/**
 * `rows` that call `onRead` when one of them is read by index for the first time after a full
 * pass over them (train()'s own check of the row sizes): as the first batch of them is built.
 */
function watchedRows(rows: Float32Array[], onRead: () => void): Float32Array[] {
  let reads = 0;
  return new Proxy(rows, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key) && ++reads === target.length + 1) onRead();
      return Reflect.get(target, key, receiver);
    },
  });
}

describe('core: Classifier.train refusals and aborts (head only)', () => {
  before(() => selectBackend('auto', WASM_PATH));

  it('a batch size that is not a whole number of at least 1 is a RangeError before any training (0, -1 and NaN looped forever)', async () => {
    const classifier = headOnly();
    const start = tensorCount();
    const outcomes: unknown[] = [];
    for (const batchSize of [0, -1, NaN, 2.5]) {
      const controller = new AbortController();
      // Without the check, the run never ends: stop it after a while to see what it did.
      const timer = setTimeout(() => controller.abort(), 3000);
      let epochs = 0;
      const error = await classifier
        .train(['a', 'b'], separable(8), null, { epochs: 2, batchSize }, { signal: controller.signal, onEpochEnd: () => epochs++ })
        .catch((e) => e);
      clearTimeout(timer);
      outcomes.push([batchSize, error instanceof RangeError, epochs, String(error.message).slice(0, 60)]);
    }
    expect(outcomes.map((o) => (o as unknown[]).slice(0, 3))).to.deep.equal([
      [0, true, 0],
      [-1, true, 0],
      [NaN, true, 0],
      [2.5, true, 0],
    ]);
    expect(classifier.trained).to.equal(false);
    expect(tensorCount()).to.equal(start);
  });

  it('an abort during the final predictions rejects with aborted, keeps the previous head and leaks nothing', async () => {
    const classifier = headOnly();
    const first = await classifier.train(['a', 'b'], separable(40), null, { epochs: 2 });
    expect(first.accuracy).to.equal(1);
    const start = tensorCount();
    const controller = new AbortController();
    const train = separable(600);
    // The final predictions take the training rows 256 at a time (rows.slice): abort at the first.
    let sliced = 0;
    train.activations.rows = new Proxy(train.activations.rows, {
      get(target, key, receiver) {
        if (key === 'slice' && ++sliced === 1) controller.abort();
        return Reflect.get(target, key, receiver);
      },
    });
    const error = await classifier.train(['x', 'y'], train, null, { epochs: 1 }, { signal: controller.signal }).catch((e) => e);
    expect(sliced).to.be.at.least(1);
    expect(error.code).to.equal('aborted');
    // The previous head and labels stay in use.
    expect(classifier.labels).to.deep.equal(['a', 'b']);
    expect(tensorCount()).to.equal(start);
    classifier.dispose();
  });

  it('an abort during validation reports no further epoch and rejects with aborted', async () => {
    const classifier = headOnly();
    const start = tensorCount();
    const controller = new AbortController();
    const validation = separable(600);
    // Abort as epoch 1's validation reads its first row.
    validation.activations.rows = watchedRows(validation.activations.rows, () => controller.abort());
    const reported: number[] = [];
    const error = await classifier
      .train(['a', 'b'], separable(100), validation, { epochs: 5 }, { signal: controller.signal, onEpochEnd: (e) => reported.push(e.epoch) })
      .catch((e) => e);
    expect(error.code).to.equal('aborted');
    expect(reported).to.deep.equal([]);
    expect(classifier.trained).to.equal(false);
    expect(tensorCount()).to.equal(start);
  });

  it('a validation set of another shape than the training set is a RangeError before any training, leaking nothing', async () => {
    const classifier = headOnly();
    const start = tensorCount();
    let epochs = 0;
    const error = await classifier
      .train(['a', 'b'], separable(20, [256]), separable(4, [16, 16]), { epochs: 2 }, { onEpochEnd: () => epochs++ })
      .catch((e) => e);
    expect(error).to.be.instanceOf(RangeError);
    expect(error.message).to.equal("The validation activations have shape [16,16]; the training activations' is [256].");
    expect(epochs).to.equal(0);
    expect(tensorCount()).to.equal(start);
  });

  it('a label index that is not one of the labels\' is a RangeError before any training (it was trained on as an all-zero row)', async () => {
    const classifier = headOnly();
    const start = tensorCount();
    const outcomes = [];
    for (const bad of [2, -1, 0.5, NaN]) {
      const set = separable(20);
      set.labelIndices[7] = bad;
      const error = await classifier.train(['a', 'b'], set, null, { epochs: 1 }).then(
        (r) => `trained, accuracy ${r.accuracy}`,
        (e) => (e instanceof RangeError ? e.message : String(e)),
      );
      outcomes.push(error);
    }
    const validation = separable(4);
    validation.labelIndices[3] = 2;
    outcomes.push(await classifier.train(['a', 'b'], separable(20), validation, { epochs: 1 }).then(() => 'trained', (e) => e.message));
    expect(outcomes).to.deep.equal([
      'Label index 7 of the train set is 2; there are 2 labels (0-1).',
      'Label index 7 of the train set is -1; there are 2 labels (0-1).',
      'Label index 7 of the train set is 0.5; there are 2 labels (0-1).',
      'Label index 7 of the train set is NaN; there are 2 labels (0-1).',
      'Label index 3 of the validation set is 2; there are 2 labels (0-1).',
    ]);
    expect(classifier.trained).to.equal(false);
    expect(tensorCount()).to.equal(start);
  });
});
