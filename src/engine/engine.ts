// The one owner of a run: the only place that decides `busy` and holds a run's AbortController.
import type * as tf from '../core/tf.js';
import { errors } from '../core/errors.js';
import type { FileWithPath } from '../io/dataset.js';
import type { Activity, LoadedModel, LoadOptions, MemoryInfo, PredictedDetail, Thread, TrainedDetail, TrainerApi, TrainerOptions, TrainHooks } from '../types.js';
import type { PipelineApi } from './pipeline-api.js';

const NO_MEMORY: MemoryInfo = { numTensors: 0, numBytes: 0 };

/**
 * A model and the runs on it. The work is done by a pipeline that `make()` makes on first need
 * (a `train()` or `load()`): one in this thread, or one in a Web Worker that must start first.
 * `predict()` and `save()` before that answer `not-trained` without making one.
 *
 * One `train()` or `load()` runs at a time: from the call (including the wait for the pipeline)
 * until it settles, `busy` is true and a second one is refused with `busy`. Each run has its own
 * AbortController, combined with the caller's `signal`; `abort()` aborts it. `dispose()` aborts,
 * frees the model (ending a worker) and drops the pipeline: the next use makes a new one.
 */
export class Engine implements TrainerApi {
  private pipeline: PipelineApi | undefined;
  /** The pipeline being made (or made): `dispose()` replaces it, so a run waiting on an old one is aborted. */
  private making: Promise<PipelineApi> | undefined;
  private run: { activity: Activity; controller: AbortController } | undefined;
  /** The last `dispose()`: the memory left once it freed everything. The next pipeline is made after it. */
  private disposing: Promise<MemoryInfo> | undefined;
  private madeThread: Thread | undefined;

  /** @param make makes the pipeline; its errors reject the `train()` or `load()` that needed it. */
  constructor(private readonly make: () => Promise<PipelineApi>) {}

  /** Where the model runs: known once a pipeline has been made (kept after `dispose()`); undefined before. */
  get thread(): Thread | undefined {
    return this.madeThread;
  }

  /** Label names of the last trained or loaded model (empty before, and after `dispose()`). */
  get labels(): string[] {
    return this.pipeline?.labels ?? [];
  }

  /** True from the moment `train()` or `load()` is called until it settles. */
  get busy(): boolean {
    return this.run !== undefined;
  }

  /** What is in progress: `training`, `loading` (a saved model), or undefined. */
  get busyWith(): Activity | undefined {
    return this.run?.activity;
  }

  /**
   * Trains on a folder's files (see `organizeFiles` for the layouts understood) and keeps the
   * model for `predict()` and `save()`; a failed or aborted run keeps the previous model.
   *
   * @param files the files with their relative paths.
   * @param hooks `onDataLoaded` once the files are sorted into labels; `onProgress` during the
   *   run; `signal` aborts it.
   * @throws ClassifierError `busy`, `too-few-labels`, `no-images`, `no-label-file`,
   *   `model-load-failed`, `backend-unavailable`, `aborted`, `diverged`, `invalid-option` (a setting
   *   that cannot train, such as `epochs` 0 or not a number), `context-lost` (the WebGL context was
   *   lost; the model is dropped and a fresh backend selected, so training again works),
   *   `worker-unavailable` (a `RemoteTrainer` whose worker cannot start).
   */
  train(files: FileWithPath[], options: TrainerOptions = {}, hooks: TrainHooks = {}): Promise<TrainedDetail> {
    return this.exclusive('training', hooks.signal, async (signal) => (await this.ready(signal)).train(files, options, { ...hooks, signal }));
  }

  /**
   * Loads a saved model (ours or a Teachable Machine image model) for prediction, replacing the
   * current one once it has loaded. Training again later loads the base model afresh.
   *
   * @param source a `model.json` URL, an `indexeddb://name` URL, or the saved files.
   * @returns the model's metadata (labels in output order) and the names of files given that are
   *   not part of the model (`ignored`), to report.
   * @throws ClassifierError `busy`, `model-load-failed`, `backend-unavailable`, `aborted`, `worker-unavailable`.
   */
  load(source: string | readonly File[], options: LoadOptions = {}): Promise<LoadedModel> {
    return this.exclusive('loading', undefined, async (signal) => (await this.ready(signal)).load(source, options, signal));
  }

  /**
   * Classifies one image with the last trained or loaded model.
   *
   * @param input a `File`/`Blob`, any `ImageBitmapSource`, or a `[h, w, 3]` tensor with values
   *   0-255 (`[h, w, 4]` is taken without its alpha channel); all decoded like the training images
   *   (EXIF orientation, white background, center square drawn at the base's input size). A JPEG
   *   `File`/`Blob` is decoded at reduced size exactly as in training; the same photo as an `<img>`
   *   was decoded by the browser at full size, so its pixels, and its scores, can differ slightly.
   * @param source name reported in the detail; default: the file's path or name (`describeInput`).
   * @throws ClassifierError `not-trained`, or `invalid-image` when the input cannot be decoded.
   */
  async predict(input: ImageBitmapSource | tf.Tensor3D, source?: string): Promise<PredictedDetail> {
    return (await this.existing()).predict(input, source);
  }

  /**
   * Saves the last trained (or loaded) model as one tfjs layers model, base and head joined (a
   * graph base: the head alone, see `Classifier.toModel`), with its `metadata.json`.
   *
   * @param destination a TensorFlow.js save URL such as `indexeddb://name` (the metadata travels
   *   inside `model.json`; resolves once the write has committed), or undefined to only build the files.
   * @returns `model.json`, `weights.bin` and `metadata.json` (see `modelFiles`).
   * @throws ClassifierError `not-trained`; the storage's own error when it refuses (quota).
   */
  async save(destination?: string): Promise<File[]> {
    return (await this.existing()).save(destination);
  }

  /** Aborts the run in progress, if any (also one still waiting for its pipeline); it rejects with `aborted`. */
  abort(): void {
    this.run?.controller.abort();
  }

  /**
   * Aborts any run, frees every tensor (ending a worker once the requests in flight there have
   * settled) and drops the pipeline; the next `train()` or `load()` makes a new one.
   */
  dispose(): void {
    this.abort();
    const { making, pipeline } = this;
    this.making = undefined;
    this.pipeline = undefined;
    if (!making) return;
    const previous = this.disposing ?? Promise.resolve(NO_MEMORY);
    const keepPrevious = () => previous;
    // A made pipeline frees its model at once (in this thread: before dispose() returns); one
    // still being made is freed once it is (never made: nothing to free).
    this.disposing = pipeline ? pipeline.dispose().catch(keepPrevious) : making.then((made) => made.dispose().catch(keepPrevious), keepPrevious);
  }

  /**
   * TensorFlow.js memory where the model runs (`tf.memory()` there). After `dispose()`: what was
   * left once it had freed everything; zeros before any pipeline. It does not make one.
   */
  async memory(): Promise<MemoryInfo> {
    const making = this.making;
    if (making) {
      const pipeline = await making;
      // Disposed meanwhile: what is left after that, not what the pipeline held before.
      if (this.making === making) return pipeline.memory();
    }
    return this.disposing ?? NO_MEMORY;
  }

  /**
   * Runs `work` as the one run in progress, with a signal that aborts on `abort()`, `dispose()`
   * or the caller's `signal`.
   */
  private async exclusive<T>(activity: Activity, callerSignal: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.run) throw errors.busy(this.run.activity);
    if (callerSignal?.aborted) throw errors.aborted();
    const run = (this.run = { activity, controller: new AbortController() });
    const signal = callerSignal ? AbortSignal.any([run.controller.signal, callerSignal]) : run.controller.signal;
    try {
      return await work(signal);
    } finally {
      if (this.run === run) this.run = undefined;
    }
  }

  /**
   * Makes the pipeline now (once; `train()` and `load()` make it themselves): a worker starts, or
   * the in-page pipeline loads. Afterwards `thread` says where the model runs.
   * @throws whatever making it throws (`RemoteTrainer`: `worker-unavailable`).
   */
  async start(): Promise<void> {
    await this.ready();
  }

  /**
   * The pipeline, made (once) if needed after any `dispose()` in progress has finished.
   * @throws ClassifierError `aborted` when `signal` aborted (or `dispose()` ran) meanwhile; whatever `make()` throws.
   */
  private async ready(signal?: AbortSignal): Promise<PipelineApi> {
    if (!this.making) {
      const making = (async () => {
        await this.disposing;
        return this.make();
      })();
      this.making = making;
      making.then(
        (pipeline) => {
          if (this.making !== making) return;
          this.pipeline = pipeline;
          this.madeThread = pipeline.thread;
        },
        () => this.making === making && (this.making = undefined),
      );
    }
    const making = this.making;
    // An abort (or dispose()) ends the wait at once; the pipeline, once made, stays for the next run.
    const pipeline = await (signal ? Promise.race([making, rejectOnAbort(signal)]) : making);
    if (signal?.aborted || this.making !== making) throw errors.aborted();
    return pipeline;
  }

  /** The pipeline, or one being made; with neither there is no model: `not-trained`. */
  private async existing(): Promise<PipelineApi> {
    if (!this.making) throw errors.notTrained();
    return this.making;
  }
}

/** Rejects with `aborted` when `signal` aborts (never settles otherwise). */
function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(errors.aborted());
    else signal.addEventListener('abort', () => reject(errors.aborted()), { once: true });
  });
}
