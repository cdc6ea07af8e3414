import * as tf from '../core/tf.js';
import { recoverFromContextLoss, selectBackend, watchContextLoss } from '../core/backend.js';
import { Classifier } from '../core/classifier.js';
import { resolveTrainOptions } from '../core/train-options.js';
import { errors } from '../core/errors.js';
import { MAX_AUGMENT, augmentImage, seededRandom, type AugmentRandom, type Pixels } from '../core/augment.js';
import { BASE_MODELS, DEFAULT_BASE_MODEL, POOLINGS, baseModelUrl, isBaseModelId } from '../core/base-models.js';
import { disposeLayersModel } from '../core/dispose.js';
import { loadBaseModel, type BaseModelSource } from '../core/feature-extractor.js';
import { confusionMatrix } from '../core/metrics.js';
import { loadModelWithMetadata, metadataPreprocessing, modelFiles, modelMetadata, type ModelMetadata } from '../core/model-io.js';
import { countLabels, organizeFiles, type Dataset, type Example, type FileWithPath } from '../io/dataset.js';
import { decodeFailureReason, decodeImage } from '../io/decode.js';
import { describeInput, isTensor } from '../io/inputs.js';
import type { LoadedModel, LoadOptions, MemoryInfo, Phase, PredictedDetail, Thread, TrainedDetail, TrainerOptions } from '../types.js';
import type { PipelineApi, RunHooks } from './pipeline-api.js';

/** Reading progress is reported at most this often, in ms (and once all images are read): each report is a message from the worker and a render. */
const PROGRESS_INTERVAL_MS = 100;

/** Images decoded and in flight at once: enough to overlap decoding and activations, few enough to bound memory. */
const DECODE_AHEAD = 2;

/**
 * The work under `<ml-classifier>`, in the thread it runs in: loads the base model, reads files,
 * computes activations, trains the head, predicts, saves and loads. It keeps no run state: its
 * `Engine` runs one `train()` or `load()` at a time and passes the run's signal.
 */
export class Pipeline implements PipelineApi {
  readonly thread: Thread = typeof document === 'undefined' ? 'worker' : 'main';
  private classifier: Classifier | undefined;
  /** What the classifier holds: its base (as a comparable key) and backend; `saved` for a loaded saved model, which training replaces. */
  private loaded: { base: string; backend: string; saved?: boolean } | undefined;
  /** Aborted when the classifier's WebGL context is lost; the next call recovers. */
  private contextLoss = new AbortController();
  private unwatch = () => {};
  /** The backend preference the classifier was made with, to recover from a lost context the same way. */
  private preference: LoadOptions = {};
  /** The metadata of a loaded model, kept when it is saved again; undefined for a model trained here. */
  private metadata: ModelMetadata | undefined;

  /** Label names of the last trained or loaded model (empty before). */
  get labels(): string[] {
    return this.classifier?.labels ?? [];
  }

  /** See `Engine.train`. */
  async train(files: FileWithPath[], options: TrainerOptions, hooks: RunHooks): Promise<TrainedDetail> {
    checkOptions(options);
    // Lost while idle: nothing to report, a new model is about to be made.
    if (this.lost) await this.recover(options);
    const signal = AbortSignal.any([hooks.signal, this.contextLoss.signal]);
    const started = performance.now();
    const phaseMs = { 'loading-model': 0, reading: 0, training: 0 } satisfies Record<Phase, number>;
    const report = hooks.onProgress ?? (() => {});
    // A new base model's classifier replaces the current one only once it has trained, so an
    // aborted or failed run leaves the previous model (trained or loaded) in use.
    let fresh: { classifier: Classifier; loaded: NonNullable<Pipeline['loaded']> } | undefined;
    try {
      const dataset = await organizeFiles(files, options);
      hooks.onDataLoaded?.({ labels: dataset.labels, counts: countLabels(dataset.labels, dataset.examples), skipped: [...dataset.skipped], ignored: dataset.ignored });
      if (dataset.labels.length < 2) throw errors.tooFewLabels(dataset.labels);

      let t = performance.now();
      report({ phase: 'loading-model', done: 0, total: 1 });
      const base = await this.loadBase(options, signal);
      const classifier = base.classifier;
      if (base.isNew) fresh = { classifier, loaded: base.loaded };
      report({ phase: 'loading-model', done: 1, total: 1 });
      phaseMs['loading-model'] = performance.now() - t;

      t = performance.now();
      const used: Example[] = [];
      const copies = options.augment ?? 0;
      const total = dataset.examples.length + copies * dataset.examples.filter((e) => e.split === 'train').length;
      report({ phase: 'reading', done: 0, total });
      const augment = copies > 0 ? { copies, random: seededRandom(options.seed ?? 1) } : undefined;
      let read = 0;
      let reportedAt = performance.now();
      const onRead = () => {
        read++;
        if (read < total && performance.now() - reportedAt < PROGRESS_INTERVAL_MS) return;
        reportedAt = performance.now();
        report({ phase: 'reading', done: read, total });
      };
      const activations = await classifier.activations(decodeAll(dataset, used, signal, classifier.extractor.inputSize, onRead, augment), { signal });
      phaseMs.reading = performance.now() - t;
      if (used.length === 0) throw errors.noImages();

      const labels = [...new Set(used.filter((e) => e.split === 'train').map((e) => e.label))].sort((a, b) => a.localeCompare(b));
      if (labels.length < 2) throw errors.tooFewLabels(labels);
      const index = new Map(labels.map((label, i) => [label, i]));
      // Augmented copies are the same Example object again: one entry per image for what is reported.
      const images = [...new Set(used)];
      for (const e of images) {
        if (!index.has(e.label)) dataset.skipped.push({ path: e.path, reason: `label "${e.label}" has no training images that could be read` });
      }
      const pick = (split: 'train' | 'validation') => {
        const rows = used.flatMap((e, i) => (e.split === split && index.has(e.label) ? [i] : []));
        return {
          rows,
          activations: { shape: activations.shape, rows: rows.map((i) => activations.rows[i]) },
          labelIndices: rows.map((i) => index.get(used[i].label)!),
        };
      };
      const train = pick('train');
      const validation = pick('validation');

      t = performance.now();
      const resolved = resolveTrainOptions(options, classifier.extractor.base.pooling !== 'none', train.labelIndices.length);
      const { epochs } = resolved;
      report({ phase: 'training', done: 0, total: epochs });
      const result = await classifier.train(labels, train, validation.labelIndices.length ? validation : null, resolved, {
        signal,
        onEpochEnd: ({ epoch, loss, accuracy, validationLoss, validationAccuracy }) => report({ phase: 'training', done: epoch, total: epochs, loss, accuracy, validationLoss, validationAccuracy }),
      });
      phaseMs.training = performance.now() - t;
      if (fresh) this.use(fresh.classifier, fresh.loaded, options);
      fresh = undefined;
      const predicted = result.validationPredictions ?? [];
      this.metadata = undefined;
      return {
        labels,
        accuracy: result.accuracy,
        validationAccuracy: result.validationAccuracy,
        confusionMatrix: confusionMatrix(labels.length, validation.labelIndices, predicted),
        validation: validation.rows.map((row, i) => ({ path: used[row].path, label: used[row].label, predicted: labels[predicted[i]] })),
        counts: countLabels(
          labels,
          images.filter((e) => index.has(e.label)),
        ),
        history: result.history,
        backend: this.loaded!.backend,
        baseModel: classifier.extractor.base,
        durationMs: performance.now() - started,
        phaseMs,
        skipped: dataset.skipped,
        ignored: dataset.ignored,
      };
    } catch (error) {
      fresh?.classifier.dispose();
      if (this.lost) throw errors.contextLost(await this.recover(options));
      throw error;
    }
  }

  /** See `Engine.predict`. */
  async predict(input: ImageBitmapSource | tf.Tensor3D, source = describeInput(input)): Promise<PredictedDetail> {
    // Held across the decode's await: a run that finishes meanwhile may replace and free it.
    if (this.lost) throw errors.contextLost(await this.recover(this.preference));
    const classifier = this.classifier;
    if (!classifier?.trained) throw errors.notTrained();
    let image: ImageData;
    try {
      image = await decodeImage(isTensor(input) ? await tensorPixels(input) : input, classifier.extractor.inputSize);
    } catch (cause) {
      throw errors.invalidImage(source, decodeFailureReason(cause));
    }
    const prediction = await classifier.predict(image);
    // A context lost meanwhile gave zeros, not a prediction.
    if (this.lost) throw errors.contextLost(await this.recover(this.preference));
    return { source, ...prediction };
  }

  /** See `Engine.save`. */
  async save(destination?: string): Promise<File[]> {
    const classifier = this.classifier;
    if (!classifier?.trained) throw errors.notTrained();
    const metadata = this.metadata ?? modelMetadata({ labels: classifier.labels, base: classifier.extractor.base });
    const model = classifier.toModel();
    const files = await modelFiles(model, metadata);
    if (destination) await model.save(destination);
    // tfjs resolves an indexeddb:// save on the write request's success, before its transaction
    // commits: a reload or an ended worker meanwhile loses it. A read opens a transaction that
    // IndexedDB starts only after the write's has committed.
    if (destination?.startsWith('indexeddb://')) await tf.io.getLoadHandlers(destination)[0]?.load?.();
    return files;
  }

  /** See `Engine.load`; the model replaces the current one once it has loaded, unless `signal` aborted meanwhile. */
  async load(source: string | readonly File[], options: LoadOptions, signal: AbortSignal): Promise<LoadedModel> {
    if (this.lost) await this.recover(options);
    const backend = await selectBackend(options.backend ?? 'auto', options.wasmPath);
    const { model, metadata, ignored } = await loadModelWithMetadata(source);
    const next = await classifierFor(model, metadata);
    if (signal.aborted) {
      next.dispose();
      throw errors.aborted();
    }
    this.use(next, { base: typeof source === 'string' ? source : 'files', backend, saved: true }, options);
    this.metadata = metadata;
    return { metadata, ignored };
  }

  /** Frees every tensor (base model and head); resolves with what is left in this thread. */
  async dispose(): Promise<MemoryInfo> {
    this.unwatch();
    this.classifier?.dispose();
    this.classifier = undefined;
    this.loaded = undefined;
    return this.memory();
  }

  /** TensorFlow.js memory in this thread (`tf.memory()`): in a page, shared with any other tfjs use there. */
  async memory(): Promise<MemoryInfo> {
    return threadMemory();
  }

  private get lost(): boolean {
    return this.contextLoss.signal.aborted;
  }

  /** Replaces the classifier (freeing the old one) and watches its WebGL context, if any. */
  private use(next: Classifier, loaded: NonNullable<Pipeline['loaded']>, preference: LoadOptions) {
    if (this.classifier !== next) this.classifier?.dispose();
    this.classifier = next;
    this.loaded = loaded;
    this.preference = { backend: preference.backend, wasmPath: preference.wasmPath };
    this.watch();
  }

  /** Watches the active backend's WebGL context: a loss aborts the run in progress and marks the model lost. */
  private watch() {
    this.unwatch();
    const contextLoss = this.contextLoss;
    this.unwatch = watchContextLoss(() => contextLoss.abort());
  }

  /** After a lost WebGL context: drops the model (its weights went with the context) and starts a fresh backend. */
  private async recover(preference: LoadOptions): Promise<string> {
    this.unwatch();
    this.classifier?.dispose();
    this.classifier = undefined;
    this.loaded = undefined;
    this.contextLoss = new AbortController();
    return recoverFromContextLoss(preference.backend ?? 'auto', preference.wasmPath);
  }

  /**
   * The classifier for these options: the current one when it has the same base model and
   * backend, else a new one (`isNew`), which the caller puts in use once it has trained.
   */
  private async loadBase(options: TrainerOptions, signal: AbortSignal): Promise<{ classifier: Classifier; isNew: boolean; loaded: NonNullable<Pipeline['loaded']> }> {
    const source = baseSource(options);
    const backend = await selectBackend(options.backend ?? 'auto', options.wasmPath);
    this.watch();
    const loaded = { base: JSON.stringify([source, options.pooling]), backend };
    const current = this.loaded;
    if (this.classifier && current && !current.saved && current.base === loaded.base && current.backend === backend) {
      return { classifier: this.classifier, isNew: false, loaded };
    }
    const next = new Classifier(await loadBaseModel(source, { pooling: options.pooling }));
    // Aborted or disposed (element removed) while loading: nobody will free it later.
    if (signal.aborted) {
      next.dispose();
      throw errors.aborted();
    }
    return { classifier: next, isNew: true, loaded };
  }
}

/** TensorFlow.js memory in this thread (`tf.memory()`), zeros before any backend has started. */
export async function threadMemory(): Promise<MemoryInfo> {
  // No backend yet means no tensors; asking tf.memory() would start one.
  if (!tf.getBackend()) return { numTensors: 0, numBytes: 0 };
  // A backend still initialising (a run selecting WASM) would make tf.memory() throw.
  await tf.ready();
  const { numTensors, numBytes } = tf.memory();
  return { numTensors, numBytes };
}

/**
 * Refuses settings that cannot train, before any work, naming the option and the value.
 * @throws ClassifierError `invalid-option`.
 */
function checkOptions(options: TrainerOptions): void {
  // null: what Lit's number converter makes of a removed attribute, which means unset.
  const unset = (v: number | undefined | null) => v === undefined || v === null;
  const integer = (v: number | undefined) => unset(v) || (Number.isInteger(v) && v! >= 1);
  const checks: [string, unknown, boolean, string][] = [
    ['epochs', options.epochs, integer(options.epochs), 'a whole number of at least 1'],
    ['batchSize', options.batchSize, integer(options.batchSize), 'a whole number of at least 1, or unset'],
    ['hiddenUnits', options.hiddenUnits, integer(options.hiddenUnits), 'a whole number of at least 1'],
    ['learningRate', options.learningRate, unset(options.learningRate) || (Number.isFinite(options.learningRate) && options.learningRate! > 0), 'a number above 0, or unset'],
    ['validationSplit', options.validationSplit, unset(options.validationSplit) || (options.validationSplit! >= 0 && options.validationSplit! < 1), 'a share from 0 up to (not including) 1'],
    ['seed', options.seed, unset(options.seed) || Number.isFinite(options.seed), 'a number'],
    ['baseModel', options.baseModel, !options.baseModel || isBaseModelId(options.baseModel), `one of ${Object.keys(BASE_MODELS).join(', ')}, or unset`],
    ['pooling', options.pooling, !options.pooling || POOLINGS.includes(options.pooling), `${POOLINGS.map((p) => `"${p}"`).join(', ')}, or unset`],
    [
      'augment',
      options.augment,
      unset(options.augment) || (Number.isInteger(options.augment) && options.augment! >= 0 && options.augment! <= MAX_AUGMENT),
      `a whole number from 0 (off) to ${MAX_AUGMENT}`,
    ],
    ['inputRange', options.inputRange, unset(options.inputRange as undefined) || validRange(options.inputRange), 'two numbers, min and max, such as "-1,1" or "0,1"'],
  ];
  for (const [name, value, ok, expected] of checks) if (!ok) throw errors.invalidOption(name, value, expected);
}

/** A `[min, max]` pair of finite numbers with min below max. */
function validRange(range: unknown): boolean {
  return Array.isArray(range) && range.length === 2 && range.every(Number.isFinite) && range[0] < range[1];
}

/** Which base `options` ask for (see `TrainerOptions.baseModel`). */
function baseSource(options: TrainerOptions): BaseModelSource {
  const { modelUrl, cutLayer, inputRange } = options;
  const id = options.baseModel || (modelUrl ? undefined : DEFAULT_BASE_MODEL);
  return {
    id,
    url: id ? baseModelUrl(BASE_MODELS[id], modelUrl, options.modelsPath) : modelUrl,
    cutLayer: cutLayer || undefined,
    inputRange: inputRange ? [inputRange[0], inputRange[1]] : undefined,
  };
}

/**
 * A classifier for a loaded saved model: one that holds its base, or a head alone (saved with a
 * graph base, see `Classifier.toModel`) whose base is loaded from the metadata's URL. The model's
 * weights are freed when that fails.
 * @throws ClassifierError `model-load-failed` when the model is neither, or the metadata names no base.
 */
async function classifierFor(model: tf.LayersModel, metadata: ModelMetadata): Promise<Classifier> {
  const preprocessing = metadataPreprocessing(metadata);
  if (model.layers[0] instanceof tf.LayersModel) return Classifier.fromModel(model, metadata.labels, preprocessing);
  const base = metadata.baseModel;
  try {
    if (!base?.url) {
      throw errors.headWithoutBase(model.name);
    }
    const extractor = await loadBaseModel(
      { id: isBaseModelId(base.id) ? base.id : undefined, url: base.url, cutLayer: base.cutLayer, inputRange: preprocessing.inputRange },
      { pooling: base.pooling },
    );
    return Classifier.fromHead(model, metadata.labels, extractor);
  } catch (error) {
    disposeLayersModel(model);
    throw error;
  }
}

/**
 * A `[h, w, 3]` or `[h, w, 4]` tensor of 0-255 values as opaque `ImageData` (alpha ignored), so it
 * is decoded like every other input and gives the same numbers as the image it came from.
 * @throws Error naming the shape, for any other.
 */
async function tensorPixels(input: tf.Tensor): Promise<ImageData> {
  const [height, width, channels] = input.shape;
  if (input.rank !== 3 || (channels !== 3 && channels !== 4)) {
    throw new Error(`expected a [height, width, 3] tensor of 0-255 values, got shape [${input.shape.join(', ')}]`);
  }
  const values = await input.data();
  const rgba = new Uint8ClampedArray(height * width * 4).fill(255);
  for (let p = 0, i = 0; p < rgba.length; p += 4, i += channels) {
    rgba[p] = values[i];
    rgba[p + 1] = values[i + 1];
    rgba[p + 2] = values[i + 2];
  }
  return new ImageData(rgba, width, height);
}

/**
 * Decodes the examples in order, a few ahead of the consumer, at `size` x `size`, and yields their
 * pixels, each training image followed by `augment.copies` augmented copies of it. Files that fail
 * to decode are added to `dataset.skipped`; the others to `used`, once per image yielded (an
 * augmented copy repeats its example), in yield order. `onRead` is called once per image yielded
 * or skipped (a skipped training image once for itself and once per copy it would have had).
 */
async function* decodeAll(dataset: Dataset, used: Example[], signal: AbortSignal, size: number, onRead: () => void, augment?: { copies: number; random: AugmentRandom }): AsyncGenerator<Pixels> {
  const pending: { example: Example; result: Promise<ImageData | { failure: unknown }> }[] = [];
  let next = 0;
  const startNext = () => {
    const example = dataset.examples[next++];
    pending.push({ example, result: decodeImage(example.file, size).catch((failure: unknown) => ({ failure })) });
  };
  while (pending.length < DECODE_AHEAD && next < dataset.examples.length) startNext();
  while (pending.length > 0) {
    signal.throwIfAborted();
    const { example, result } = pending.shift()!;
    const pixels = await result;
    if (next < dataset.examples.length) startNext();
    if ('failure' in pixels) {
      dataset.skipped.push({ path: example.path, reason: decodeFailureReason(pixels.failure) });
      // Its augmented copies will not be read either.
      for (let k = 0; k <= (augment && example.split === 'train' ? augment.copies : 0); k++) onRead();
      continue;
    }
    used.push(example);
    onRead();
    yield pixels;
    if (!augment || example.split !== 'train') continue;
    for (let k = 0; k < augment.copies; k++) {
      used.push(example);
      onRead();
      yield augmentImage(pixels, augment.random);
    }
  }
}
