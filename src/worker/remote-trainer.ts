// The page side of the worker: the `Trainer` API, with the model in a module worker
// (trainer.worker.ts). No TensorFlow.js here: tensors are recognised by their shape.
import type * as tf from '../core/tf.js';
import { ClassifierError, errors } from '../core/errors.js';
import { nextTask } from '../core/next-task.js';
import type { ModelMetadata } from '../core/model-io.js';
import type { FileWithPath } from '../io/dataset.js';
import { describeInput, isTensor, type MemoryInfo, type TrainerApi, type TrainHooks } from '../trainer-api.js';
import type { DataLoadedDetail, PredictedDetail, Progress, TrainedDetail, TrainerOptions } from '../trainer.js';
import type { PostedImage, PostedTrainOptions, WorkerMessage, WorkerRequest, WorkerResults } from './protocol.js';

/** How long a worker may take to load TensorFlow.js and say `ready` before it counts as failed, in ms. */
export const WORKER_START_TIMEOUT_MS = 30_000;

/**
 * Files per message when a run's files are posted to the worker. Cloning a File waits on a
 * synchronous round trip to the browser process: ~0.15 ms each on a quiet machine, but up to
 * ~2 ms while the worker keeps both cores busy (traced here: 32 Files in one message took 56 ms).
 */
const FILES_PER_MESSAGE = 4;
/** Posting yields to the page once it has taken this long in one task, in ms. */
const POSTING_SLICE_MS = 10;

/** A request waiting for its answer. */
interface Call {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  onDataLoaded?: (detail: DataLoadedDetail) => void;
  onProgress?: (progress: Progress) => void;
  /** Absolute URLs posted for the ones given, written back into error messages: `[absolute, given]`. */
  urls: [string, string][];
}

/** A distributive `Omit` over the request union, for requests before their `id` is set. */
type Unnumbered<T> = T extends unknown ? Omit<T, 'id'> : never;

/**
 * `Trainer`'s API with the model in a Web Worker: decoding, activations, training and prediction
 * run off the page's main thread, so the page keeps responding during a run. One worker (and one
 * model) per instance, started on first use; `dispose()` frees the model and ends the worker, and
 * a later call starts a fresh one. Errors are `ClassifierError`s with the same codes and messages
 * as `Trainer`'s; other errors keep their message.
 *
 * What crosses to the worker: files and `ImageBitmap`/`ImageData` given are copied (structured
 * clone; nothing given is transferred or detached); `<img>`, `<canvas>`, `<video>` become an
 * `ImageBitmap` in the page, which is transferred; a tensor is sent as its values, shape and dtype.
 * Relative URLs (`modelUrl`, `wasmPath`, a `load()` URL) are resolved against the page first.
 */
export class RemoteTrainer implements TrainerApi {
  private worker: Worker | undefined;
  private starting: Promise<Worker> | undefined;
  /** A worker being freed and ended by `dispose()`: the next start waits for it. */
  private disposing: Promise<void> | undefined;
  private nextId = 1;
  private readonly calls = new Map<number, Call>();
  /** The run in progress, set at once by `train()`/`load()`, before the worker has it. */
  private running: { activity: 'training' | 'loading'; controller: AbortController } | undefined;
  private currentLabels: string[] = [];
  /** `tf.memory()` in the worker as its last answer to `dispose()` gave it; zeros before any. */
  private lastMemory: MemoryInfo = { numTensors: 0, numBytes: 0 };

  /**
   * @param workerUrl the worker module; default `trainer.worker.js` next to this module (where
   *   the build puts it; bundlers that follow `new Worker(new URL(..., import.meta.url))` find it).
   * @param startTimeoutMs how long the worker may take to start before `start()` rejects, in ms.
   */
  constructor(
    private readonly workerUrl?: string | URL,
    private readonly startTimeoutMs = WORKER_START_TIMEOUT_MS,
  ) {}

  /** Label names of the last trained or loaded model, as the worker last reported them (empty before). */
  get labels(): string[] {
    return this.currentLabels;
  }

  /** True from the moment `train()` or `load()` is called until it settles. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /** What is in progress: `training`, `loading` (a saved model), or undefined. */
  get busyWith(): 'training' | 'loading' | undefined {
    return this.running?.activity;
  }

  /**
   * Starts the worker (if not started yet) and waits until it has loaded TensorFlow.js. Other
   * methods start it themselves; call this to start early or to learn whether workers work here.
   *
   * @throws Error when the worker cannot start: `Worker` missing or refused (a Content-Security-Policy
   *   without `worker-src`/`script-src 'self'`), the module failing to load, or no `ready` within
   *   the start timeout.
   */
  async start(): Promise<void> {
    await this.ensureWorker();
  }

  /**
   * Trains in the worker; see `Trainer.train`. `onDataLoaded` and `onProgress` are called in the
   * page as the worker reports; aborting `signal` aborts the run there.
   */
  async train(files: FileWithPath[], options: TrainerOptions = {}, hooks: TrainHooks = {}): Promise<TrainedDetail> {
    if (this.running) throw errors.busy(this.running.activity);
    if (hooks.signal?.aborted) throw errors.aborted();
    const run = (this.running = { activity: 'training', controller: new AbortController() });
    const abort = () => run.controller.abort();
    hooks.signal?.addEventListener('abort', abort);
    try {
      const { labelFromFileName, ...rest } = options;
      const urls: [string, string][] = [];
      const posted: PostedTrainOptions = { ...rest, modelUrl: absolute(rest.modelUrl, urls), modelsPath: absolute(rest.modelsPath, urls), wasmPath: absolute(rest.wasmPath, urls) };
      if (labelFromFileName) posted.fileLabels = ruleAnswers(files, labelFromFileName);
      const id = this.nextId++;
      const last = await this.postFilesAhead(id, files.map(({ file, path }) => ({ file, path })), run.controller.signal);
      return await this.call(
        { type: 'train', files: last, options: posted },
        { urls, onDataLoaded: hooks.onDataLoaded, onProgress: hooks.onProgress },
        run.controller.signal,
        [],
        id,
      );
    } finally {
      hooks.signal?.removeEventListener('abort', abort);
      if (this.running === run) this.running = undefined;
    }
  }

  /**
   * Classifies one image in the worker; see `Trainer.predict`. Before any worker has started
   * there is no model: `not-trained` at once.
   */
  async predict(input: ImageBitmapSource | tf.Tensor3D, source = describeInput(input)): Promise<PredictedDetail> {
    if (!this.starting) throw errors.notTrained();
    const { image, transfer } = await postable(input);
    return this.call({ type: 'predict', input: image, source }, { urls: [] }, undefined, transfer);
  }

  /**
   * Saves in the worker; see `Trainer.save`. `indexeddb://` and other tfjs URLs are written from
   * the worker (IndexedDB is per origin, shared with the page); the files come back either way.
   */
  async save(destination?: string): Promise<File[]> {
    if (!this.starting) throw errors.notTrained();
    return this.call({ type: 'save', destination }, { urls: [] });
  }

  /** Loads a saved model in the worker; see `Trainer.load`. A relative URL is resolved against the page. */
  async load(
    source: string | readonly File[],
    options: Pick<TrainerOptions, 'backend' | 'wasmPath'> = {},
  ): Promise<{ metadata: ModelMetadata; ignored: string[] }> {
    if (this.running) throw errors.busy(this.running.activity);
    const run = (this.running = { activity: 'loading', controller: new AbortController() });
    try {
      const urls: [string, string][] = [];
      const given = typeof source === 'string' ? absolute(source, urls)! : [...source];
      return await this.call(
        { type: 'load', source: given, options: { backend: options.backend, wasmPath: absolute(options.wasmPath, urls) } },
        { urls },
        run.controller.signal,
      );
    } finally {
      if (this.running === run) this.running = undefined;
    }
  }

  /** Aborts the run in progress, if any (also one still waiting for the worker to start). */
  abort(): void {
    this.running?.controller.abort();
  }

  /**
   * Aborts any run, frees every tensor in the worker, then ends the worker once the requests in
   * flight there have settled (a run rejects with `aborted`). The next call starts a new worker.
   */
  dispose(): void {
    this.abort();
    const starting = this.starting;
    this.starting = undefined;
    this.worker = undefined;
    this.currentLabels = [];
    if (!starting) return;
    const previous = this.disposing;
    const done: Promise<void> = (async () => {
      await previous;
      let worker: Worker;
      try {
        worker = await starting;
      } catch {
        return; // never started: nothing to free
      }
      try {
        this.lastMemory = await this.post<WorkerResults['dispose']>(worker, { type: 'dispose' }, { urls: [] });
      } catch {
        // Freed or not, the worker ends here.
      }
      worker.terminate();
    })();
    this.disposing = done;
    done.finally(() => this.disposing === done && (this.disposing = undefined));
  }

  /**
   * TensorFlow.js memory in the worker (`tf.memory()` there). Without a worker: what the last one
   * reported after `dispose()` freed it (zeros before any worker has run); it does not start one.
   */
  async memory(): Promise<MemoryInfo> {
    await this.disposing;
    if (!this.starting) return { ...this.lastMemory };
    return this.call({ type: 'memory' }, { urls: [] });
  }

  /**
   * Posts all but the last {@link FILES_PER_MESSAGE} of a `train` request's files ahead as `files`
   * messages, yielding every {@link POSTING_SLICE_MS}, so no task of the page's is long however
   * slow the clones get.
   * @returns the files left for the `train` message itself.
   * @throws ClassifierError `aborted` (the worker drops what it got), or the worker's start failure.
   */
  private async postFilesAhead(id: number, files: FileWithPath[], signal: AbortSignal): Promise<FileWithPath[]> {
    const worker = await this.ensureWorker();
    // Aborted while the worker started: the loop below checks only after it yields, and fewer
    // files than one slice's worth would go out with no abort after them, kept by the worker.
    if (signal.aborted) throw errors.aborted();
    let start = 0;
    let sliceStart = performance.now();
    for (; files.length - start > FILES_PER_MESSAGE; start += FILES_PER_MESSAGE) {
      worker.postMessage({ type: 'files', id, files: files.slice(start, start + FILES_PER_MESSAGE) } satisfies WorkerRequest);
      if (performance.now() - sliceStart < POSTING_SLICE_MS) continue;
      await nextTask();
      sliceStart = performance.now();
      if (signal.aborted) {
        worker.postMessage({ type: 'abort', target: id } satisfies WorkerRequest);
        throw errors.aborted();
      }
    }
    return files.slice(start);
  }

  /** Posts a request once the worker is ready and waits for its answer; `signal` aborts it (in the worker once posted). */
  private async call<T>(request: Unnumbered<WorkerRequest>, call: Omit<Call, 'resolve' | 'reject'>, signal?: AbortSignal, transfer: Transferable[] = [], id = this.nextId++): Promise<T> {
    let worker: Worker;
    try {
      worker = await this.ensureWorker();
    } catch (error) {
      transfer.forEach((t) => (t as ImageBitmap).close?.());
      throw error;
    }
    if (signal?.aborted) {
      transfer.forEach((t) => (t as ImageBitmap).close?.());
      throw errors.aborted();
    }
    return this.post<T>(worker, request, call, signal, transfer, id);
  }

  private post<T>(worker: Worker, request: Unnumbered<WorkerRequest>, call: Omit<Call, 'resolve' | 'reject'>, signal?: AbortSignal, transfer: Transferable[] = [], id = this.nextId++): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const abort = () => worker.postMessage({ type: 'abort', target: id } satisfies WorkerRequest);
      signal?.addEventListener('abort', abort);
      this.calls.set(id, {
        ...call,
        resolve: (value) => {
          signal?.removeEventListener('abort', abort);
          resolve(value as T);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', abort);
          reject(error);
        },
      });
      try {
        worker.postMessage({ ...request, id } as WorkerRequest, transfer);
      } catch (error) {
        // Not cloneable (DataCloneError): never reaches the worker, so nothing will answer it.
        this.calls.get(id)?.reject(error);
        this.calls.delete(id);
      }
    });
  }

  /** The started worker, starting it (once) if needed. */
  private ensureWorker(): Promise<Worker> {
    if (!this.starting) {
      const starting = this.spawn();
      this.starting = starting;
      starting.catch(() => this.starting === starting && (this.starting = undefined));
    }
    return this.starting;
  }

  private async spawn(): Promise<Worker> {
    await this.disposing;
    let worker: Worker;
    try {
      // Written out literally for bundlers, which recognise this form and emit the worker.
      worker = this.workerUrl
        ? new Worker(this.workerUrl, { type: 'module' })
        : new Worker(new URL('./trainer.worker.js', import.meta.url), { type: 'module' });
    } catch (error) {
      // Refused at once: no Worker here, or a Content-Security-Policy that forbids it.
      throw new Error(`The training worker could not start: ${(error instanceof Error ? error.message : String(error)).replace(/\.$/, '')}.`);
    }
    await new Promise<void>((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        worker.removeEventListener('message', onMessage);
        worker.removeEventListener('error', onError);
      };
      const fail = (reason: string) => {
        cleanup();
        worker.terminate();
        reject(new Error(`The training worker could not start: ${reason}.`));
      };
      const onMessage = (event: MessageEvent<WorkerMessage>) => {
        if (event.data?.type !== 'ready') return;
        cleanup();
        resolve();
      };
      // A refusal by the page's Content-Security-Policy looks the same as a failed load here.
      const onError = (event: Event) => fail((event as ErrorEvent).message || "its script failed to load or run, or the page's Content-Security-Policy (worker-src) refused it");
      const timer = setTimeout(() => fail(`no answer within ${this.startTimeoutMs / 1000} s`), this.startTimeoutMs);
      worker.addEventListener('message', onMessage);
      worker.addEventListener('error', onError);
    });
    worker.addEventListener('message', (event: MessageEvent<WorkerMessage>) => this.receive(worker, event.data));
    this.worker = worker;
    return worker;
  }

  private receive(worker: Worker, message: WorkerMessage): void {
    if (message.type === 'ready') return;
    const call = this.calls.get(message.id);
    if (!call) return;
    switch (message.type) {
      case 'data-loaded':
        call.onDataLoaded?.(message.detail);
        return;
      case 'progress':
        call.onProgress?.(message.progress);
        return;
      case 'result':
        this.calls.delete(message.id);
        if (worker === this.worker) this.currentLabels = message.labels;
        call.resolve(message.value);
        return;
      case 'error': {
        this.calls.delete(message.id);
        if (worker === this.worker) this.currentLabels = message.labels;
        const { code, name, message: text } = message.error;
        // The worker saw absolute URLs; the messages name them as they were given.
        const said = call.urls.reduce((m, [absoluteUrl, given]) => (absoluteUrl === given ? m : m.replaceAll(absoluteUrl, given)), text);
        const error = code ? new ClassifierError(code, said) : Object.assign(new Error(said), { name });
        call.reject(error);
        return;
      }
    }
  }
}

/** `url` resolved against the page (as the page's own `fetch` would), remembering the pair; undefined stays. */
function absolute(url: string | undefined, urls: [string, string][]): string | undefined {
  if (!url) return url;
  const base = typeof document !== 'undefined' ? document.baseURI : globalThis.location?.href;
  let resolved: string;
  try {
    resolved = new URL(url, base).href;
  } catch {
    return url; // not a URL at all: the worker reports it as the page would
  }
  urls.push([resolved, url]);
  return resolved;
}

/** The page's `labelFromFileName` asked about each file name (the last path part), answers or errors. */
function ruleAnswers(files: FileWithPath[], rule: (fileName: string) => string): NonNullable<PostedTrainOptions['fileLabels']> {
  const answers: NonNullable<PostedTrainOptions['fileLabels']> = {};
  for (const { path } of files) {
    const name = path.split('/').filter(Boolean).at(-1) ?? '';
    if (name in answers) continue;
    try {
      answers[name] = { label: rule(name) };
    } catch (error) {
      answers[name] = { error: error instanceof Error ? error.message : String(error) };
    }
  }
  return answers;
}

/**
 * `input` as it can be posted: files, blobs, bitmaps and pixels are copied by the post; a tensor
 * becomes its values; an element (`<img>`, `<canvas>`, `<video>`, ...) becomes an `ImageBitmap`
 * made here and transferred, or the reason it could not be read.
 */
async function postable(input: ImageBitmapSource | tf.Tensor3D): Promise<{ image: PostedImage; transfer: Transferable[] }> {
  try {
    if (isTensor(input)) {
      // A disposed tensor throws here: reported as invalid-image, as the in-page Trainer does.
      const data = (await input.data()) as Float32Array | Int32Array | Uint8Array;
      return { image: { tensor: { shape: [...input.shape], dtype: input.dtype, data } }, transfer: [] };
    }
    // A closed ImageBitmap (0x0, which no open one is) cannot be posted: createImageBitmap below
    // gives the browser's reason, as decoding it in the page would.
    const closed = input instanceof ImageBitmap && input.width === 0 && input.height === 0;
    if (input instanceof Blob || input instanceof ImageData || (input instanceof ImageBitmap && !closed)) return { image: input, transfer: [] };
    const bitmap = await createImageBitmap(input, { imageOrientation: 'from-image' });
    return { image: bitmap, transfer: [bitmap] };
  } catch (error) {
    const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
    return { image: { unreadable: { name, message } }, transfer: [] };
  }
}
