// What `<ml-classifier>` knows about its model and runs, as a Lit reactive controller: the engine,
// the state of a run and what it shows, abort, the restore-after-failure rule, `src` loading and
// `status`. The element renders this state and forwards its methods here.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type * as tf from '../core/tf.js';
import { codeOf, errors, inAttributeWords, messageOf, type ClassifierErrorCode } from '../core/errors.js';
import type { TrainingHistory } from '../core/classifier.js';
import type { ModelMetadata } from '../core/model-io.js';
import { createEngine, intendedThread } from '../engine/default-engine.js';
import { withPath, type FileWithPath } from '../io/dataset.js';
import { describeInput } from '../io/inputs.js';
import { DataLoadedEvent, FailedEvent, ModelLoadedEvent, PredictedEvent, ProgressChangedEvent, TrainedEvent, type FailedDetail } from '../events.js';
import type { DataLoadedDetail, LoadedModel, MemoryInfo, Phase, PredictedDetail, Progress, Thread, TrainedDetail, TrainerApi, TrainerOptions } from '../types.js';
import type { Cell } from './confusion-matrix.js';

/**
 * What the element is doing; reflected to the `status` attribute for styling. `loaded`: a saved
 * model was loaded (from `src` or `load()`) and classifies images; `loading-saved-model` while it loads.
 */
export type Status = 'idle' | Phase | 'trained' | 'loading-saved-model' | 'loaded' | 'error';

/** Makes the engine a `TrainingController` runs on: the default runs it in a worker where it can. */
export type EngineFactory = (options: { mainThread: boolean }) => TrainerApi;

/** An error as the element shows it: its code and its message (in the element's words). */
export interface ShownError {
  code: ClassifierErrorCode | 'unknown';
  message: string;
}

/** One classified image shown in the predictions list. */
export interface ShownPrediction {
  source: string;
  /** Object URL of the image, revoked when the list is cleared. */
  thumbnail?: string;
  prediction?: PredictedDetail;
  error?: ShownError;
}

/** What the polite live region should say: a phase that started, a finished run, a loaded model. */
export type Announcement = { phase: Phase } | { trained: TrainedDetail } | { loaded: { source: string; metadata: ModelMetadata } };

/** The element as its controller sees it. */
export interface TrainingHost extends ReactiveControllerHost, HTMLElement {
  /** Whether it has rendered once (put back after a removal, not new). */
  readonly hasUpdated: boolean;
  status: Status;
  src?: string;
  mainThread: boolean;
}

/**
 * The element's model and runs. Exactly one engine (made on first need by
 * `TrainingController.engineFactory`) decides what is busy and owns each run's abort; this
 * controller asks it. Each method reports a failure as a `failed` event (and the shown error)
 * before it rejects.
 */
export class TrainingController implements ReactiveController {
  /**
   * How every `<ml-classifier>` made from now on makes its engine. Tests put a stub engine here
   * (restore it afterwards); the default is `createEngine`.
   */
  static engineFactory: EngineFactory = createEngine;

  progress?: Progress;
  data?: DataLoadedDetail;
  result?: TrainedDetail;
  history?: TrainingHistory;
  loadedModel?: { source: string } & LoadedModel;
  predictions: ShownPrediction[] = [];
  error?: ShownError;
  announcement?: Announcement;
  selectedCell?: Cell;
  /** Thumbnails of the validation images counted in the selected confusion-matrix cell. */
  cellImages: { path: string; url: string }[] = [];

  private engine?: TrainerApi;
  /** The engine a removal disposed, asked for `memory()` and `thread` until a new one is made. */
  private retired?: TrainerApi;
  /** The training files by path, to show the validation images counted in a confusion-matrix cell. */
  private filesByPath = new Map<string, File>();
  /** The saved model being loaded, if any: a newer `src` aborts it and waits for it to end. */
  private loading?: Promise<ModelMetadata>;

  /** @param settings the run's options, read at each `train()`. */
  constructor(
    private readonly host: TrainingHost,
    private readonly settings: () => TrainerOptions,
  ) {
    host.addController(this);
  }

  /** Label names of the model in use (empty before one is trained or loaded). */
  get labels(): string[] {
    return this.engine?.labels ?? [];
  }

  /** True while a run or a load is in progress (the engine's answer). */
  get busy(): boolean {
    return this.engine?.busy ?? false;
  }

  /** Where the model runs, or is meant to before the engine has started one. */
  get thread(): Thread {
    return (this.engine ?? this.retired)?.thread ?? intendedThread(this.host.mainThread);
  }

  /** TensorFlow.js memory where the model runs (see `MlClassifier.memory`). */
  async memory(): Promise<MemoryInfo> {
    return (this.engine ?? this.retired)?.memory() ?? { numTensors: 0, numBytes: 0 };
  }

  /** Makes the engine and starts its pipeline (the worker, or the page's fallback); see `MlClassifier.start`. */
  async start(): Promise<Thread> {
    await this.ensureEngine().start();
    return this.thread;
  }

  /** See `MlClassifier.train`. */
  async train(files: Array<File | FileWithPath>, options: { signal?: AbortSignal } = {}): Promise<TrainedDetail> {
    const engine = this.ensureEngine();
    // Refused here, before the running run's display is cleared below.
    if (engine.busy) {
      const error = errors.busy(engine.busyWith);
      this.fail(error, this.progress?.phase ?? 'reading');
      throw error;
    }
    const entries = files.map((f) => (f instanceof File ? withPath(f) : f));
    let phase: Phase = 'reading';
    const previous = { result: this.result, history: this.history, files: this.filesByPath, predictions: this.predictions };
    this.error = undefined;
    this.progress = undefined;
    this.result = undefined;
    this.data = undefined;
    this.history = undefined;
    this.selectCell(undefined);
    // Kept (not revoked) until the run succeeds: a failed run shows them again.
    this.predictions = [];
    this.filesByPath = new Map(entries.map((e) => [e.path, e.file]));
    this.host.requestUpdate();
    // Reports that arrive after a removal retired this engine are about a run nobody shows.
    const current = () => this.engine === engine;
    try {
      const detail = await engine.train(entries, this.settings(), {
        signal: options.signal,
        onDataLoaded: (data) => {
          if (!current()) return;
          this.data = data;
          this.host.requestUpdate();
          this.host.dispatchEvent(new DataLoadedEvent(data));
        },
        onProgress: (progress) => {
          if (!current()) return;
          if (progress.phase !== this.progress?.phase) this.announcement = { phase: progress.phase };
          phase = progress.phase;
          this.progress = progress;
          this.host.status = progress.phase;
          if (progress.phase === 'training' && progress.loss !== undefined) this.history = appendEpoch(this.history, progress);
          this.host.requestUpdate();
          this.host.dispatchEvent(new ProgressChangedEvent(progress));
        },
      });
      if (!current()) throw errors.aborted();
      revokeThumbnails(previous.predictions);
      // A drop refused meanwhile said so; the run it waited for has ended.
      this.error = undefined;
      this.result = detail;
      this.history = detail.history;
      this.loadedModel = undefined;
      this.host.status = 'trained';
      this.announcement = { trained: detail };
      this.host.requestUpdate();
      this.host.dispatchEvent(new TrainedEvent(detail));
      return detail;
    } catch (thrown) {
      // A failed or aborted retrain keeps the previous model: show its results and predictions
      // again (images classified during the run are gone with it).
      if (this.labels.length > 0 && current()) {
        revokeThumbnails(this.predictions.filter((p) => !previous.predictions.includes(p)));
        ({ result: this.result, history: this.history, files: this.filesByPath, predictions: this.predictions } = previous);
      } else {
        revokeThumbnails(previous.predictions);
        revokeThumbnails(this.predictions);
        this.predictions = [];
      }
      this.progress = undefined;
      const error = inAttributeWords(thrown);
      this.fail(error, phase);
      throw error;
    }
  }

  /**
   * Refuses files dropped while a run or a load is in progress: `failed` with `busy` (nothing is
   * queued: the files were dropped on a run that has its own), and the message shown until the
   * run ends.
   */
  refuseWhileBusy(): void {
    const { message } = errors.busy(this.engine?.busyWith);
    this.error = { code: 'busy', message };
    this.host.requestUpdate();
    this.host.dispatchEvent(new FailedEvent({ code: 'busy', message, during: this.progress?.phase ?? 'reading' }));
  }

  /** See `MlClassifier.predict`. */
  async predict(input: ImageBitmapSource | tf.Tensor3D, source?: string): Promise<PredictedDetail> {
    try {
      const detail = await this.ensureEngine().predict(input, source);
      this.host.dispatchEvent(new PredictedEvent(detail));
      return detail;
    } catch (error) {
      this.fail(error, 'predict', source ?? describeInput(input));
      throw error;
    }
  }

  /** See `MlClassifier.save`; `destination` undefined only builds the files. */
  async save(destination?: string): Promise<File[]> {
    try {
      return await this.ensureEngine().save(destination);
    } catch (error) {
      this.fail(error, 'save', destination ?? 'downloads');
      throw error;
    }
  }

  /** See `MlClassifier.load`. */
  async load(source: string | File[] | FileList): Promise<ModelMetadata> {
    const loading = this.loadModel(source);
    this.loading = loading;
    try {
      return await loading;
    } finally {
      if (this.loading === loading) this.loading = undefined;
    }
  }

  /** Stops the run in progress at the next batch (or a load); it rejects with `aborted`. */
  abort(): void {
    this.engine?.abort();
  }

  /** Classifies files one after another into the predictions list (errors shown beside each image). */
  async classifyFiles(files: File[]): Promise<void> {
    const shown: ShownPrediction[] = files.map((file) => ({ source: file.name, thumbnail: URL.createObjectURL(file) }));
    this.predictions = [...this.predictions, ...shown];
    this.host.requestUpdate();
    for (const [i, file] of files.entries()) {
      try {
        shown[i].prediction = await this.predict(file, file.name);
      } catch (error) {
        // Reported through `failed` by predict(); shown beside its image here.
        shown[i].error = { code: codeOf(error), message: messageOf(error) };
      }
      this.predictions = [...this.predictions];
      this.host.requestUpdate();
    }
  }

  /** Shows the validation images of a confusion-matrix cell; the selected cell again (or undefined) closes it. */
  selectCell(cell: Cell | undefined): void {
    this.cellImages.forEach((t) => URL.revokeObjectURL(t.url));
    this.cellImages = [];
    const r = this.result;
    if (cell && r && !(cell.actual === this.selectedCell?.actual && cell.predicted === this.selectedCell.predicted)) {
      const [actual, predicted] = [r.labels[cell.actual], r.labels[cell.predicted]];
      this.cellImages = r.validation
        .filter((v) => v.label === actual && v.predicted === predicted && this.filesByPath.has(v.path))
        .map((v) => ({ path: v.path, url: URL.createObjectURL(this.filesByPath.get(v.path)!) }));
      this.selectedCell = cell;
    } else {
      this.selectedCell = undefined;
    }
    this.host.requestUpdate();
  }

  /**
   * Reports a failure: the `failed` event, and (except for a prediction, a refused second run, or
   * an element no longer in the page) the shown error and the status it leaves.
   */
  fail(error: unknown, during: FailedDetail['during'], source?: string): void {
    const code = codeOf(error);
    const message = messageOf(error);
    // A run ended by removing the element leaves it idle, ready to be put back; a refused
    // second run leaves the running one's display alone; a failed prediction is shown beside
    // its image.
    if (during !== 'predict' && this.host.isConnected && code !== 'busy') {
      this.error = { code, message };
      // A failed run or load leaves whatever model is still usable; a failed save or camera changes nothing else.
      if (during !== 'save' && during !== 'webcam') {
        if (this.labels.length === 0) this.loadedModel = undefined;
        this.host.status = this.labels.length === 0 ? 'error' : this.loadedModel ? 'loaded' : this.result ? 'trained' : 'error';
      }
      this.host.requestUpdate();
    }
    this.host.dispatchEvent(new FailedEvent({ code, message, during, source }));
  }

  /** Loads `src`; a newer `src` aborts a load still running, so the last one set wins. */
  async loadSrc(src: string): Promise<void> {
    if (this.loading) {
      this.engine?.abort();
      await this.loading.catch(alreadyReported);
    }
    if (src === this.host.src) await this.load(src).catch(alreadyReported);
  }

  hostConnected(): void {
    // Put back after a removal freed its model: load `src` again.
    if (this.host.hasUpdated && this.host.src && this.labels.length === 0 && !this.busy) void this.loadSrc(this.host.src);
  }

  hostDisconnected(): void {
    // A move within the page reconnects in the same task; only a real removal frees the model.
    queueMicrotask(() => {
      if (this.host.isConnected) return;
      if (this.engine) {
        this.engine.dispose();
        this.retired = this.engine;
        this.engine = undefined;
      }
      this.clearPredictions();
      this.selectCell(undefined);
      this.result = undefined;
      this.data = undefined;
      this.history = undefined;
      this.loadedModel = undefined;
      this.host.status = 'idle';
    });
  }

  private clearPredictions() {
    revokeThumbnails(this.predictions);
    this.predictions = [];
  }

  /** The engine, made on first need: `mainThread` is read then. */
  private ensureEngine(): TrainerApi {
    if (!this.engine) {
      this.engine = TrainingController.engineFactory({ mainThread: this.host.mainThread });
      this.retired = undefined;
    }
    return this.engine;
  }

  private async loadModel(source: string | File[] | FileList): Promise<ModelMetadata> {
    const given = typeof source === 'string' ? source : [...source];
    const name = typeof given === 'string' ? given : given.map((f) => f.name).join(', ');
    const previous = this.host.status;
    this.error = undefined;
    this.progress = undefined;
    this.host.status = 'loading-saved-model';
    try {
      const { backend, wasmPath } = this.settings();
      const { metadata, ignored } = await this.ensureEngine().load(given, { backend, wasmPath });
      this.result = undefined;
      this.data = undefined;
      this.history = undefined;
      this.selectCell(undefined);
      this.clearPredictions();
      this.loadedModel = { source: name, metadata, ignored };
      this.error = undefined;
      this.host.status = 'loaded';
      this.announcement = { loaded: { source: name, metadata } };
      this.host.requestUpdate();
      this.host.dispatchEvent(new ModelLoadedEvent({ source: name, labels: [...metadata.labels], metadata, ignored }));
      return metadata;
    } catch (error) {
      if (codeOf(error) === 'busy') this.host.status = previous;
      // A load replaced by a newer `src` is not a failure: the status is what the model in use says.
      if (codeOf(error) === 'aborted' && typeof given === 'string' && given !== this.host.src) {
        this.host.status = this.labels.length === 0 ? 'idle' : this.loadedModel ? 'loaded' : this.result ? 'trained' : 'idle';
      } else {
        this.fail(error, 'load', name);
      }
      throw error;
    }
  }
}

/**
 * For `.catch()` where a failure needs no more handling: every method of the controller has
 * already reported it (the `failed` event and the shown error) before rejecting.
 */
export function alreadyReported(): void {}

function revokeThumbnails(predictions: ShownPrediction[]) {
  predictions.forEach((p) => p.thumbnail && URL.revokeObjectURL(p.thumbnail));
}

/** The history so far with one more epoch's figures (a new object, so Lit redraws). */
function appendEpoch(history: TrainingHistory | undefined, p: Progress): TrainingHistory {
  const next: TrainingHistory = { loss: [...(history?.loss ?? []), p.loss!], accuracy: [...(history?.accuracy ?? []), p.accuracy!] };
  if (p.validationLoss !== undefined) {
    next.validationLoss = [...(history?.validationLoss ?? []), p.validationLoss];
    next.validationAccuracy = [...(history?.validationAccuracy ?? []), p.validationAccuracy!];
  }
  return next;
}
