import { expect } from '@open-wc/testing';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { selectBackend } from '../../src/core/backend.js';
import { WASM_PATH, activationRows, headOnly, tensorCount } from '../helpers.js';

/** Median wall-clock ms of `runs` calls of `f` after one warm-up call. */
async function medianMs(f: () => Promise<unknown>, runs = 3): Promise<number> {
  await f();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await f();
    times.push(performance.now() - start);
  }
  return times.sort((x, y) => x - y)[Math.floor(runs / 2)];
}

/** `matMul(a, b, transposeA, transposeB)` until its values are read, ms. */
const timeMatMul = (a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean) =>
  medianMs(async () => {
    const out = tf.matMul(a, b, transposeA, transposeB);
    await out.data();
    out.dispose();
  });

/** Median ms of the default head's epochs 2-4 on 200 random activations [200, 7, 7, 256], 3 labels. */
async function headEpochMs(): Promise<number> {
  const activations = activationRows(200);
  const labelIndices = Array.from({ length: 200 }, (_, i) => i % 3);
  const classifier = headOnly();
  const ends: number[] = [];
  await classifier.train(
    ['a', 'b', 'c'],
    { activations, labelIndices },
    null,
    { epochs: 4 },
    {
      onEpochEnd: () => ends.push(performance.now()),
    },
  );
  classifier.dispose();
  const epochs = ends.slice(1).map((end, i) => end - ends[i]);
  return epochs.sort((x, y) => x - y)[1];
}

/** Backend data buffers: kernel intermediates live here, out of the engine's tensor count. */
const dataIds = () => tf.backend().numDataIds();

describe('core: wasm BatchMatMul with transpose flags', function () {
  before(async () => {
    // The plain wasm backend first, for the "before" figures; selectBackend() then patches it.
    setWasmPaths(WASM_PATH);
    expect(await tf.setBackend('wasm')).to.equal(true);
  });

  it('is replaced by selectBackend("wasm"), making dense gradients faster (figures logged)', async () => {
    const original = tf.getKernel(tf.BatchMatMul, 'wasm')!.kernelFunc;
    // The dense kernel's gradient in a 700-example batch: [700, 12544]^T x [700, 100].
    const a = tf.randomNormal([700, 12544]);
    const b = tf.randomNormal([700, 100]);
    const flaggedBefore = await timeMatMul(a, b, true, false);
    const epochBefore = await headEpochMs();

    expect(await selectBackend('wasm')).to.equal('wasm');
    expect(tf.getKernel(tf.BatchMatMul, 'wasm')!.kernelFunc).not.to.equal(original);

    const flaggedAfter = await timeMatMul(a, b, true, false);
    const epochAfter = await headEpochMs();
    const explicitTranspose = await medianMs(async () => {
      const out = tf.tidy(() => tf.matMul(tf.transpose(a), b));
      await out.data();
      out.dispose();
    });
    tf.dispose([a, b]);
    console.log(
      `wasm matMul([700,12544]^T, [700,100]): ${flaggedBefore.toFixed(0)} ms before, ${flaggedAfter.toFixed(0)} ms after ` +
        `(${(flaggedBefore / flaggedAfter).toFixed(1)}x; explicit tf.transpose + matMul ${explicitTranspose.toFixed(0)} ms). ` +
        `Head epoch (200 x [7,7,256], 3 labels, batch 80): ${epochBefore.toFixed(0)} ms before, ${epochAfter.toFixed(0)} ms after ` +
        `(${(epochBefore / epochAfter).toFixed(1)}x)`,
    );
  });

  it('gives the plain product for all four flag combinations, 2-D, batched 3-D and broadcast batches', async () => {
    await selectBackend('wasm');
    // [batch dims of a, batch dims of b]; m x k times k x n.
    const batches: [number[], number[]][] = [
      [[], []],
      [[4], [4]],
      [[1], [3]],
      [
        [2, 3],
        [2, 3],
      ],
    ];
    const [m, k, n] = [5, 300, 7];
    for (const [batchA, batchB] of batches) {
      for (const transposeA of [false, true]) {
        for (const transposeB of [false, true]) {
          const [diff, scale] = tf.tidy(() => {
            const a = tf.randomNormal([...batchA, ...(transposeA ? [k, m] : [m, k])]);
            const b = tf.randomNormal([...batchB, ...(transposeB ? [n, k] : [k, n])]);
            const swap = (x: tf.Tensor) => {
              const perm = x.shape.map((_, i) => i);
              perm.splice(-2, 2, x.rank - 1, x.rank - 2);
              return tf.transpose(x, perm);
            };
            // The reference never sets a flag, so it runs the original kernel directly.
            const expected = tf.matMul(transposeA ? swap(a) : a, transposeB ? swap(b) : b);
            const actual = tf.matMul(a, b, transposeA, transposeB);
            expect(actual.shape).to.deep.equal(expected.shape);
            return [actual.sub(expected).abs().max().dataSync()[0], expected.abs().max().dataSync()[0]];
          });
          expect(diff, `${batchA}/${batchB} transposeA=${transposeA} transposeB=${transposeB}`).to.be.at.most(1e-4 * scale);
        }
      }
    }
  });

  it('frees its transposed intermediates (tensors and backend buffers)', async () => {
    await selectBackend('wasm');
    // Square matrices, so every flag combination has matching inner sizes.
    const a = tf.randomNormal([3, 40, 40]);
    const b = tf.randomNormal([3, 40, 40]);
    const [tensors, buffers] = [tensorCount(), dataIds()];
    for (const [transposeA, transposeB] of [
      [true, false],
      [false, true],
      [true, true],
    ]) {
      tf.matMul(a, b, transposeA, transposeB).dispose();
    }
    // Gradients take the flagged paths too.
    tf.dispose(tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, true, false).sum())([a, b]));
    expect(tensorCount()).to.equal(tensors);
    expect(dataIds()).to.equal(buffers);
    tf.dispose([a, b]);
  });
});

describe('core: wasm Minimum against a single number (ReLU6)', function () {
  before(async () => {
    expect(await selectBackend('wasm', WASM_PATH)).to.equal('wasm');
  });

  it('gives exactly minimum(x, limit) in both operand orders, leaves other shapes to the original, and frees everything', () => {
    const start = tensorCount();
    const data = tf.backend() as unknown as { numDataIds(): number };
    const buffers = data.numDataIds();
    tf.tidy(() => {
      const x = tf.randomNormal([4, 9, 9, 8]).mul(5);
      const reference = tf.where(x.greater(6), tf.fill(x.shape, 6), x);
      for (const out of [tf.minimum(x, 6), tf.minimum(6, x), tf.minimum(x, tf.scalar(6))]) {
        expect(out.shape).to.deep.equal(x.shape);
        expect(tf.sub(out, reference).abs().max().dataSync()[0]).to.equal(0);
      }
      // Element-wise and int32 operands keep the original kernel.
      const y = tf.randomNormal([4, 9, 9, 8]);
      expect(
        tf
          .minimum(x, y)
          .sub(tf.where(x.less(y), x, y))
          .abs()
          .max()
          .dataSync()[0],
      ).to.equal(0);
      expect([...tf.minimum(tf.tensor1d([1, 7, 9], 'int32'), 6).dataSync()]).to.deep.equal([1, 6, 6]);
    });
    expect(tensorCount()).to.equal(start);
    expect(data.numDataIds()).to.equal(buffers);
  });
});
