// Classifier.train on a head alone (no base model): small and odd sets, bad arguments refused before
// any training, and aborts at each stage.
import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/core/backend.js';
import type { EpochLogs } from '../../src/core/classifier.js';
import { WASM_PATH, headOnly, separable, tensorCount } from '../helpers.js';

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

before(() => selectBackend('auto', WASM_PATH));

describe('core: Classifier.train on small and odd sets (head only)', () => {
  it('trains on fewer rows than a batch, on one row, and validates on one row; twice in a row keeps only the last head', async () => {
    const start = tensorCount();
    const classifier = headOnly();
    const epochs: EpochLogs[] = [];
    const validation = separable(1);
    const small = await classifier.train(['a', 'b'], separable(3), validation, { epochs: 3, batchSize: 10 }, { onEpochEnd: (e) => epochs.push(e) });
    expect(epochs.map((e) => e.epoch)).to.deep.equal([1, 2, 3]);
    expect(small.history.loss).to.have.length(3);
    expect(small.history.validationLoss).to.have.length(3);
    expect(small.predictions).to.have.length(3);
    expect(small.validationPredictions).to.have.length(1);
    // One step of all 3 rows per epoch: the epoch's accuracy is a count of 3.
    for (const accuracy of small.history.accuracy) expect([0, 1, 2, 3]).to.include(Math.round(accuracy * 3 * 1000) / 1000);
    // The last epoch's validation and the final predictions judge the same head on the same row.
    expect(small.history.validationAccuracy!.at(-1)).to.equal(small.validationAccuracy);
    expect(tensorCount() - start).to.equal(3);

    const one = await classifier.train(['c', 'd'], separable(1), null, { epochs: 2 });
    expect(one.predictions).to.have.length(1);
    expect(one.history).to.have.keys(['loss', 'accuracy']);
    expect([one.validationAccuracy, one.validationPredictions]).to.deep.equal([null, null]);
    expect(classifier.labels).to.deep.equal(['c', 'd']);
    // The second head replaced the first: still its 3 weights only.
    expect(tensorCount() - start).to.equal(3);
    classifier.dispose();
    expect(tensorCount()).to.equal(start);
  });

  it('epoch logs and history agree, and the last validation figures are those of the final head (loss recomputed to 1e-5)', async () => {
    const classifier = headOnly();
    const train = separable(300);
    // 300 validation rows: batches of 256 and 44, weighted by their size.
    const validation = separable(300);
    const epochs: EpochLogs[] = [];
    const result = await classifier.train(['a', 'b'], train, validation, { epochs: 4 }, { onEpochEnd: (e) => epochs.push(e) });
    const { history } = result;
    expect(epochs.map((e) => [e.epoch, e.epochs])).to.deep.equal([
      [1, 4],
      [2, 4],
      [3, 4],
      [4, 4],
    ]);
    expect(epochs.map((e) => e.loss)).to.deep.equal(history.loss);
    expect(epochs.map((e) => e.accuracy)).to.deep.equal(history.accuracy);
    expect(epochs.map((e) => e.validationLoss)).to.deep.equal(history.validationLoss);
    expect(epochs.map((e) => e.validationAccuracy)).to.deep.equal(history.validationAccuracy);
    for (const values of Object.values(history)) for (const v of values as number[]) expect(Number.isFinite(v)).to.equal(true);
    expect(history.validationAccuracy!.at(-1)).to.be.closeTo(result.validationAccuracy!, 1e-6);
    const head = (classifier as unknown as { head: tf.LayersModel }).head;
    const probabilities = tf.tidy(
      () =>
        head.predict(
          tf.tensor(
            validation.activations.rows.flatMap((r) => [...r]),
            [300, 256],
          ),
        ) as tf.Tensor2D,
    );
    const p = (await probabilities.array()) as number[][];
    probabilities.dispose();
    const crossEntropy = p.reduce((sum, row, i) => sum - Math.log(row[validation.labelIndices[i]]), 0) / p.length;
    expect(history.validationLoss!.at(-1)).to.be.closeTo(crossEntropy, 1e-5);
    expect(result.accuracy).to.equal(1);
    expect(result.validationAccuracy).to.equal(1);
    classifier.dispose();
  });

  it('validation labels absent from training count as wrong (accuracy 0), not as an error', async () => {
    const classifier = headOnly();
    const train = separable(20);
    train.labelIndices = train.labelIndices.map(() => 0);
    // Training rows themselves, labelled with the label training never saw: a head that has
    // learnt them (30 steps at 0.01) gives them label 0.
    const validation = { activations: { shape: train.activations.shape, rows: train.activations.rows.slice(0, 4) }, labelIndices: [1, 1, 1, 1] };
    const absent = await classifier.train(['a', 'b'], train, validation, { epochs: 30, learningRate: 0.01 });
    expect(absent.validationPredictions).to.deep.equal([0, 0, 0, 0]);
    expect(absent.validationAccuracy).to.equal(0);
    classifier.dispose();
  });
});

describe('core: Classifier.train refusals and aborts (head only)', () => {
  it('a batch size that is not a whole number of at least 1 is a RangeError before any training (0, -1 and NaN looped forever)', async () => {
    const classifier = headOnly();
    const start = tensorCount();
    const outcomes: unknown[] = [];
    for (const batchSize of [0, -1, NaN, 2.5]) {
      const controller = new AbortController();
      // Without the check, the run never ends: stop it after a while to see what it did.
      const timer = setTimeout(() => controller.abort(), 3000);
      let epochs = 0;
      const error = await classifier.train(['a', 'b'], separable(8), null, { epochs: 2, batchSize }, { signal: controller.signal, onEpochEnd: () => epochs++ }).catch((e) => e);
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
    const error = await classifier.train(['a', 'b'], separable(100), validation, { epochs: 5 }, { signal: controller.signal, onEpochEnd: (e) => reported.push(e.epoch) }).catch((e) => e);
    expect(error.code).to.equal('aborted');
    expect(reported).to.deep.equal([]);
    expect(classifier.trained).to.equal(false);
    expect(tensorCount()).to.equal(start);
  });

  it('a validation set of another shape than the training set is a RangeError before any training, leaking nothing', async () => {
    const classifier = headOnly();
    const start = tensorCount();
    let epochs = 0;
    const error = await classifier.train(['a', 'b'], separable(20, [256]), separable(4, [16, 16]), { epochs: 2 }, { onEpochEnd: () => epochs++ }).catch((e) => e);
    expect(error).to.be.instanceOf(RangeError);
    expect(error.message).to.equal("The validation activations have shape [16,16]; the training activations' is [256].");
    expect(epochs).to.equal(0);
    expect(tensorCount()).to.equal(start);
  });

  it("a label index that is not one of the labels' is a RangeError before any training (it was trained on as an all-zero row)", async () => {
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
    outcomes.push(
      await classifier.train(['a', 'b'], separable(20), validation, { epochs: 1 }).then(
        () => 'trained',
        (e) => e.message,
      ),
    );
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

  it('rows and label indices that do not pair up are RangeErrors naming the set, before any training', async () => {
    const classifier = headOnly();
    const start = tensorCount();
    const short = separable(5);
    short.labelIndices.pop();
    const wrongRow = separable(5);
    wrongRow.activations.rows[3] = new Float32Array(255);
    const errorsSeen = [await classifier.train(['a', 'b'], short, null, { epochs: 1 }).catch((e) => e), await classifier.train(['a', 'b'], separable(5), wrongRow, { epochs: 1 }).catch((e) => e)];
    expect(errorsSeen.map((e) => [e instanceof RangeError, e.message])).to.deep.equal([
      [true, 'The train set has 5 rows of activations but 4 label indices.'],
      [true, 'Row 3 of the validation activations has 255 values; shape [256] needs 256.'],
    ]);
    expect(tensorCount()).to.equal(start);
  });
});
