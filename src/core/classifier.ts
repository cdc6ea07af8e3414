import * as tf from './tf.js';
import { ClassifierError, errors } from './errors.js';
import type { FeatureExtractor } from './feature-extractor.js';
import { nextTask } from './next-task.js';
import { disposeLayersModel } from './dispose.js';
import { RECIPE_PREPROCESSING, preprocess, preprocessBatch, type ImageInput, type Preprocessing } from './preprocess.js';
import { resolveTrainOptions, type TrainOptions } from './train-options.js';

/** Loss and accuracy (0-1) of one finished epoch; the validation figures are absent without validation data. */
export interface EpochLogs {
  /** 1-based epoch number. */
  epoch: number;
  epochs: number;
  /** Mean categorical cross-entropy over the epoch's batches. */
  loss: number;
  accuracy: number;
  validationLoss?: number;
  validationAccuracy?: number;
}

/** Per-epoch figures of a training run, index 0 = epoch 1. Accuracies are 0-1. */
export interface TrainingHistory {
  loss: number[];
  accuracy: number[];
  validationLoss?: number[];
  validationAccuracy?: number[];
}

/**
 * Activations of n images held in CPU memory, one Float32Array per image, not as one tensor:
 * training then moves one batch at a time to the backend. On WebGL a tensor of the whole set
 * would stay in GPU textures for the whole run (50 KB per image for `[7, 7, 256]`, 103 MB for the
 * 2,062 sign-language photos), and tfjs has no paging to take them back out.
 */
export interface Activations {
  /** One image's activations: the extractor's `activationShape`, `[7, 7, 256]`, or `[256]` pooled. */
  shape: number[];
  /** n flat arrays of `shape`'s size (12,544 or 256 floats), in the order of the images. */
  rows: Float32Array[];
}

/** Activations of a set of images with their labels' indices into `Classifier.labels`. */
export interface LabeledActivations {
  /** n images' activations. */
  activations: Activations;
  /** n integers in [0, labels.length), one per row of `activations`. */
  labelIndices: number[];
}

/** Examples per call when evaluating and predicting over cached activations (13 MB of `[7, 7, 256]` rows). */
const EVALUATION_BATCH_SIZE = 256;

/** Outcome of {@link Classifier.train}, from the new head run over the activations once training ended. */
export interface TrainingResult {
  history: TrainingHistory;
  /** Accuracy on the training activations, 0-1: correct / n. */
  accuracy: number;
  /** Predicted label index of each training example, in the order given. */
  predictions: number[];
  /** Accuracy on the validation activations, 0-1, or null without validation data. */
  validationAccuracy: number | null;
  /** Predicted label index of each validation example, in the order given, or null without validation data. */
  validationPredictions: number[] | null;
}

/** One label's probability. */
export interface Score {
  label: string;
  /** Softmax probability, 0-1. */
  probability: number;
}

/** What {@link Classifier.predict} returns: the top label and every label's probability. */
export interface Prediction {
  label: string;
  /** Probability of `label`, 0-1. */
  confidence: number;
  /** Every label, highest probability first; the probabilities sum to 1. */
  scores: Score[];
}

/**
 * The training core: a frozen feature extractor plus a small dense head trained on cached
 * activations (flatten → dense `hiddenUnits` relu → dense N softmax; Adam; categorical
 * cross-entropy). No DOM and no Lit, so it runs in a worker as well as on the page.
 *
 * Memory: the classifier owns the extractor and the head; {@link dispose} frees both. The
 * activations it returns are plain arrays, not tensors: there is nothing of them to dispose.
 */
export class Classifier {
  /** Label names, in the order of the head's outputs. Empty until trained. */
  labels: string[] = [];
  private head: tf.LayersModel | undefined;
  /**
   * The batches' pixels as floats (19 MB for 32 images), kept between calls: a fresh array cost
   * ~60 ms of page faults per batch (measured on WASM), as long as 8 images' activations.
   */
  private scratch: Float32Array | undefined;

  constructor(readonly extractor: FeatureExtractor) {}

  /** How images become the base's input: its side and pixel range. */
  get preprocessing(): Preprocessing {
    return { size: this.extractor.inputSize, inputRange: this.extractor.inputRange };
  }

  /** True once a head has been trained. */
  get trained(): boolean {
    return this.head !== undefined;
  }

  /**
   * Preprocesses images and runs them through the extractor in batches, reading each batch's
   * activations back to CPU memory as soon as it is computed.
   *
   * @param images any number of images, of any size; read one batch at a time, so a lazy
   *   (async) iterable keeps only one batch of pixels in memory.
   * @param options `batchSize` images per extractor call (default 32); `onProgress(done)` after
   *   each batch; `signal` aborts between batches.
   * @returns one row of `extractor.activationShape` per image, in order (no tensors).
   * @throws ClassifierError `aborted` (nothing leaked).
   */
  async activations(images: Iterable<ImageInput> | AsyncIterable<ImageInput>, options: { batchSize?: number; onProgress?: (done: number) => void; signal?: AbortSignal } = {}): Promise<Activations> {
    const batchSize = options.batchSize ?? 32;
    const shape = [...this.extractor.activationShape];
    const size = shape.reduce((a, b) => a * b, 1);
    const rows: Float32Array[] = [];
    let batch: ImageInput[] = [];
    const floats = batchSize * this.extractor.inputSize ** 2 * 3;
    if (this.scratch?.length !== floats) this.scratch = new Float32Array(floats);
    const scratch = this.scratch;
    const flush = async () => {
      // Filled and used within one synchronous tidy, so calls can share the buffer.
      const out = tf.tidy(() => this.extractor.activations(preprocessBatch(batch, this.preprocessing, scratch)));
      let values: Float32Array;
      try {
        // Awaited, so the page breathes between batches.
        values = (await out.data()) as Float32Array;
      } finally {
        out.dispose();
      }
      for (let i = 0; i < batch.length; i++) rows.push(values.subarray(i * size, (i + 1) * size));
      batch = [];
      options.onProgress?.(rows.length);
    };
    try {
      for await (const image of images) {
        options.signal?.throwIfAborted();
        batch.push(image);
        if (batch.length === batchSize) await flush();
      }
      options.signal?.throwIfAborted();
      if (batch.length > 0) await flush();
      return { shape, rows };
    } catch (error) {
      throw options.signal?.aborted ? errors.aborted() : error;
    }
  }

  /**
   * Trains a new head on cached activations. The previous head (if any) stays in use until the
   * new one has finished; an aborted or failed run leaves it untouched. Runs that overlap each
   * train their own head, and the last to finish is kept (the engine above runs one at a time).
   *
   * @param labels label names; `labelIndices` index into it. At least two.
   * @param train training activations and their label indices; shuffled every epoch and sent to
   *   the backend one batch at a time.
   * @param validation optional validation activations, evaluated after every epoch in batches of 256.
   * @param callbacks `onEpochEnd` after each epoch; `signal` stops at the next batch.
   * @throws ClassifierError `too-few-labels`, `no-images`, `aborted`, `diverged` (the loss or a weight became NaN or infinite; checked every epoch);
   *   RangeError when a set's rows and label indices differ in number, a row's size is not the
   *   shape's, a label index is not one of the labels', the validation shape is not the training
   *   shape, or `batchSize` is not a whole number of at least 1.
   */
  async train(
    labels: string[],
    train: LabeledActivations,
    validation: LabeledActivations | null,
    options: TrainOptions = {},
    callbacks: { onEpochEnd?: (logs: EpochLogs) => void; signal?: AbortSignal } = {},
  ): Promise<TrainingResult> {
    if (labels.length < 2) throw errors.tooFewLabels(labels);
    checkRows(train, 'train', labels.length);
    if (validation) checkRows(validation, 'validation', labels.length, train.activations.shape);
    const n = train.labelIndices.length;
    if (n === 0) throw errors.noImages();
    // Rank 1 is pooled; the Trainer resolves grid pooling's rank-3 rows as pooled itself.
    const { epochs, batchSize, learningRate, hiddenUnits } = resolveTrainOptions(options, train.activations.shape.length === 1, n);
    // fit() refused these itself; batches() would never get past a step of 0 (or NaN) rows, and a
    // fraction would make steps of uneven sizes, some empty.
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a whole number of at least 1, got ${batchSize}.`);
    const head = createHead(train.activations.shape, labels.length, { hiddenUnits, learningRate });
    const validating = validation !== null && validation.labelIndices.length > 0;
    const history: TrainingHistory = { loss: [], accuracy: [] };
    if (validating) Object.assign(history, { validationLoss: [], validationAccuracy: [] });
    let failure: ClassifierError | undefined;
    // Checked after each batch, at each epoch's end (validation batches have no onBatchEnd) and
    // after the last batch, whose onBatchEnd came before the abort.
    const stopIfAborted = () => {
      if (failure || !callbacks.signal?.aborted) return;
      failure = errors.aborted();
      head.stopTraining = true;
    };
    try {
      await head.fitDataset(batches(train, labels.length, batchSize, true), {
        epochs,
        // tfjs yields with requestAnimationFrame, which never fires in a background tab, so a run
        // would stall when the user switches tabs; the batches yield with nextTask instead.
        yieldEvery: 'never',
        validationData: validating ? batches(validation!, labels.length, EVALUATION_BATCH_SIZE, false) : undefined,
        callbacks: {
          onBatchEnd: stopIfAborted,
          onEpochEnd: async (epoch, logs = {}) => {
            stopIfAborted();
            if (failure) return;
            // The loss alone can hide it: cross-entropy clips NaN probabilities to a finite 16.1.
            if (!Number.isFinite(logs.loss) || !(await finiteWeights(head))) {
              failure = errors.diverged(epoch + 1);
              head.stopTraining = true;
              return;
            }
            const entry: EpochLogs = { epoch: epoch + 1, epochs, loss: logs.loss, accuracy: logs.acc };
            history.loss.push(logs.loss);
            history.accuracy.push(logs.acc);
            if (validating) {
              entry.validationLoss = logs.val_loss;
              entry.validationAccuracy = logs.val_acc;
              history.validationLoss!.push(logs.val_loss);
              history.validationAccuracy!.push(logs.val_acc);
            }
            callbacks.onEpochEnd?.(entry);
          },
        },
      });
      stopIfAborted();
      if (failure) throw failure;
      const predictions = await predictedIndices(head, train.activations, callbacks.signal);
      const validationPredictions = validating ? await predictedIndices(head, validation!.activations, callbacks.signal) : null;
      const result: TrainingResult = {
        history,
        accuracy: accuracyOf(train.labelIndices, predictions),
        predictions,
        validationAccuracy: validationPredictions && accuracyOf(validation!.labelIndices, validationPredictions),
        validationPredictions,
      };
      this.head?.dispose();
      this.head = head;
      this.labels = [...labels];
      return result;
    } catch (error) {
      head.dispose();
      throw error;
    } finally {
      // compile() was given an optimizer instance, so the model does not own or free it; its
      // moment estimates are tensors too, and prediction does not need them.
      head.optimizer.dispose();
    }
  }

  /**
   * Classifies one image with the last trained head (a run in progress does not affect it).
   *
   * @param image any `ImageInput`; preprocessed exactly as the training images were.
   * @throws ClassifierError `not-trained`.
   */
  async predict(image: ImageInput): Promise<Prediction> {
    const head = this.head;
    if (!head) throw errors.notTrained();
    const labels = this.labels;
    const probabilities = tf.tidy(() => {
      const activations = this.extractor.activations(preprocess(image, this.preprocessing).expandDims(0) as tf.Tensor4D);
      return (head.predict(activations) as tf.Tensor).squeeze();
    });
    const values = await probabilities.data();
    probabilities.dispose();
    const scores = labels.map((label, i) => ({ label, probability: values[i] })).sort((a, b) => b.probability - a.probability);
    return { label: scores[0].label, confidence: scores[0].probability, scores };
  }

  /**
   * The model to save. With a layers base: the base and the head joined into one model, input
   * `[batch, size, size, 3]` in the base's range, output `[batch, labels.length]` softmax
   * probabilities; its layers are the base and the head, the structure Teachable Machine exports
   * too. With a graph base (which tfjs cannot nest in a layers model): the head alone, input
   * `[batch, ...activationShape]`; the metadata names the base to load with it. It shares this
   * classifier's weights: save it, do not dispose it.
   *
   * @throws ClassifierError `not-trained`.
   */
  toModel(): tf.LayersModel {
    if (!this.head) throw errors.notTrained();
    return this.extractor.model ? tf.sequential({ layers: [this.extractor.model, this.head] }) : this.head;
  }

  /**
   * A classifier that predicts with a saved head alone (what {@link toModel} saves with a graph
   * base) and the `extractor` it was trained on. It takes ownership of both.
   *
   * @param head input `[batch, ...extractor.activationShape]`, output `[batch, labels.length]`.
   * @param labels names of the head's outputs, in order.
   */
  static fromHead(head: tf.LayersModel, labels: string[], extractor: FeatureExtractor): Classifier {
    const classifier = new Classifier(extractor);
    classifier.head = head;
    classifier.labels = [...labels];
    return classifier;
  }

  /**
   * A classifier that predicts with a saved model whose two layers are a base network and a head
   * (what {@link toModel} builds with a layers base, and what a Teachable Machine image model is).
   * It takes ownership of the model's weights.
   *
   * @param labels names of the model's outputs, in order.
   * @param preprocessing how images become the base's input (the saved metadata's); default the
   *   recipe's, which Teachable Machine's exports share.
   * @throws ClassifierError `model-load-failed` when the model is not a base followed by a head.
   */
  static fromModel(model: tf.LayersModel, labels: string[], preprocessing: Preprocessing = RECIPE_PREPROCESSING): Classifier {
    const [base, head, ...rest] = model.layers;
    if (!(base instanceof tf.LayersModel) || !(head instanceof tf.LayersModel) || rest.length > 0) {
      disposeLayersModel(model);
      throw errors.notAClassifier(
        model.name,
        model.layers.map((l) => l.name),
      );
    }
    const classifier = new Classifier({
      inputSize: preprocessing.size,
      inputRange: preprocessing.inputRange,
      activationShape: (base.outputs[0].shape as number[]).slice(1),
      model: base,
      base: {
        id: 'custom',
        url: model.name,
        format: 'layers',
        cutLayer: base.outputNames[0],
        inputSize: preprocessing.size,
        inputRange: preprocessing.inputRange,
        pooling: base.outputs[0].shape.length === 2 ? 'average' : 'none',
      },
      activations: (batch) => base.predict(batch) as tf.Tensor,
      dispose: () => disposeLayersModel(base),
    });
    classifier.head = head;
    classifier.labels = [...labels];
    return classifier;
  }

  /** Frees the head, the extractor's weights and the pixel buffer. The classifier cannot be used afterwards. */
  dispose(): void {
    if (this.head) disposeLayersModel(this.head);
    this.head = undefined;
    this.scratch = undefined;
    this.extractor.dispose();
  }
}

/** flatten → dense `hiddenUnits` relu → dense `numClasses` softmax, compiled with Adam. */
function createHead(inputShape: number[], numClasses: number, { hiddenUnits, learningRate }: { hiddenUnits: number; learningRate: number }): tf.Sequential {
  const head = tf.sequential({
    layers: [
      // Pooled activations are already flat.
      ...(inputShape.length > 1 ? [tf.layers.flatten({ inputShape })] : []),
      // Initialisers and the bias-free output layer as in the original ml-classifier engine.
      tf.layers.dense({ units: hiddenUnits, activation: 'relu', kernelInitializer: 'varianceScaling', useBias: true, inputShape: [inputShape.reduce((a, b) => a * b, 1)] }),
      tf.layers.dense({ units: numClasses, activation: 'softmax', kernelInitializer: 'varianceScaling', useBias: false }),
    ],
  });
  head.compile({ optimizer: tf.train.adam(learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return head;
}

/** Whether every weight of a model is finite: the sum of absolute values is NaN or infinite otherwise. */
async function finiteWeights(model: tf.LayersModel): Promise<boolean> {
  const total = tf.tidy(() => tf.addN(model.trainableWeights.map((w) => w.read().abs().sum())));
  const [value] = await total.data();
  total.dispose();
  return Number.isFinite(value);
}

/**
 * The highest-probability label index of each row, in batches.
 * @throws ClassifierError `aborted` when `signal` aborts meanwhile: each batch is a task of its
 *   own, so an abort (or a lost WebGL context, which the Trainer turns into one) can come in
 *   between, and the run must then not end as trained.
 */
async function predictedIndices(head: tf.LayersModel, activations: Activations, signal?: AbortSignal): Promise<number[]> {
  const predicted: number[] = [];
  for (let start = 0; start < activations.rows.length; start += EVALUATION_BATCH_SIZE) {
    await nextTask();
    const rows = activations.rows.slice(start, start + EVALUATION_BATCH_SIZE);
    const indices = tf.tidy(() => (head.predict(stackRows(rows, activations.shape)) as tf.Tensor).argMax(-1));
    try {
      predicted.push(...(await indices.data()));
    } finally {
      indices.dispose();
    }
    if (signal?.aborted) throw errors.aborted();
  }
  return predicted;
}

/** `[rows.length, ...shape]`: rows copied into one tensor, the only way cached activations reach the backend. */
function stackRows(rows: Float32Array[], shape: number[]): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(rows.length * size);
  rows.forEach((row, i) => values.set(row, i * size));
  return tf.tensor(values, [rows.length, ...shape]);
}

/**
 * A set's examples as a dataset of `{ xs: [batch, ...shape], ys: [batch, numClasses] one-hot }`
 * batches, built from CPU memory one batch at a time, the form `fitDataset` and `evaluateDataset`
 * read (and dispose after use). Every batch starts in a new task, so the page, and an abort
 * message sent to a worker, get a turn during training and validation alike.
 */
function batches(set: LabeledActivations, numClasses: number, batchSize: number, shuffle: boolean) {
  const n = set.labelIndices.length;
  return {
    size: Math.ceil(n / batchSize),
    iterator: async () => {
      const order = [...Array(n).keys()];
      if (shuffle) tf.util.shuffle(order);
      let start = 0;
      return {
        next: async (): Promise<IteratorResult<{ xs: tf.Tensor; ys: tf.Tensor }>> => {
          if (start >= n) return { done: true, value: undefined };
          await nextTask();
          const picked = order.slice(start, (start += batchSize));
          return {
            done: false,
            value: tf.tidy(() => ({
              xs: stackRows(
                picked.map((i) => set.activations.rows[i]),
                set.activations.shape,
              ),
              ys: tf.oneHot(
                tf.tensor1d(
                  picked.map((i) => set.labelIndices[i]),
                  'int32',
                ),
                numClasses,
              ),
            })),
          };
        },
      };
    },
  };
}

/**
 * A set whose rows and labels do not pair up would train on shifted or undefined labels; a label
 * index outside the labels would be an all-zero one-hot row, silently never learnt; a validation
 * set of another shape than the training set's fails in tfjs only after the first epoch, leaking
 * that validation batch's tensors.
 */
function checkRows(set: LabeledActivations, name: string, numLabels: number, shape = set.activations.shape): void {
  const { rows } = set.activations;
  if (set.activations.shape.length !== shape.length || set.activations.shape.some((d, i) => d !== shape[i])) {
    throw new RangeError(`The ${name} activations have shape [${set.activations.shape}]; the training activations' is [${shape}].`);
  }
  if (rows.length !== set.labelIndices.length) {
    throw new RangeError(`The ${name} set has ${rows.length} rows of activations but ${set.labelIndices.length} label indices.`);
  }
  const label = set.labelIndices.findIndex((i) => !Number.isInteger(i) || i < 0 || i >= numLabels);
  if (label >= 0) {
    throw new RangeError(`Label index ${label} of the ${name} set is ${set.labelIndices[label]}; there are ${numLabels} labels (0-${numLabels - 1}).`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  const bad = rows.findIndex((row) => row.length !== size);
  if (bad >= 0) {
    throw new RangeError(`Row ${bad} of the ${name} activations has ${rows[bad].length} values; shape [${shape}] needs ${size}.`);
  }
}

/** Share of `predicted` equal to `actual`, 0-1. */
function accuracyOf(actual: number[], predicted: number[]): number {
  return actual.filter((label, i) => label === predicted[i]).length / actual.length;
}
