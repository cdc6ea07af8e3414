// The page side of the worker: a typed proxy of the `Pipeline` that `trainer.worker.ts` runs.
// No TensorFlow.js here: tensors are recognised by their shape.
import type * as tf from '../core/tf.js';
import { deserializeError, errors, messageOf, type SerializedError } from '../core/errors.js';
import { nextTask } from '../core/next-task.js';
import type { FileWithPath } from '../io/dataset.js';
import { describeInput, isTensor } from '../io/inputs.js';
import type { DataLoadedDetail, LoadedModel, LoadOptions, MemoryInfo, PredictedDetail, Progress, TrainedDetail, TrainerOptions } from '../types.js';
import type { PipelineApi, RunHooks } from './pipeline-api.js';
import type { PostedImage, PostedTrainOptions, Request, Requests, RequestType, WorkerMessage, WorkerRequest } from './protocol.js';

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
/** How long a worker may take to free everything on `dispose()` before it is ended anyway, in ms. */
const DISPOSE_TIMEOUT_MS = 10_000;

/** A request waiting for its answer. */
interface Call {
  resolve: (value: never) => void;
  reject: (error: unknown) => void;
  onDataLoaded?: (detail: DataLoadedDetail) => void;
  onProgress?: (progress: Progress) => void;
  /** Absolute URLs posted for the ones given, written back into error messages: `[absolute, given]`. */
  urls: [string, string][];
}

/**
 * The pipeline in a module worker of its own (`trainer.worker.js`): decoding, activations,
 * training and prediction run off the page's main thread. Each method posts one typed request
 * (`Requests`) and resolves with its typed result; errors come back with their code, message,
 * detail and cause. Made by `WorkerPipeline.start()`, which resolves once the worker is ready.
 *
 * What crosses to the worker: files and `ImageBitmap`/`ImageData` given are copied (structured
 * clone; nothing given is transferred or detached); `<img>`, `<canvas>`, `<video>` become an
 * `ImageBitmap` in the page, which is transferred; a tensor is sent as its values, shape and dtype.
 * Relative URLs (`modelUrl`, `modelsPath`, `wasmPath`, a `load()` URL) are resolved against the page first.
 */
export class WorkerPipeline implements PipelineApi {
  readonly thread = 'worker';
  private nextId = 1;
  private readonly calls = new Map<number, Call>();
  private currentLabels: string[] = [];
  /** Why the worker cannot answer any more (`dispose()` ended it): every call since rejects with it. */
  private ended: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.addEventListener('message', (event: MessageEvent<WorkerMessage>) => this.receive(event.data));
  }

  /**
   * Starts a worker and waits until it has loaded TensorFlow.js.
   *
   * @param workerUrl the worker module; default `trainer.worker.js` next to this module (where
   *   the build puts it; bundlers that follow `new Worker(new URL(..., import.meta.url))` find it).
   * @param startTimeoutMs how long the worker may take to say `ready`, in ms.
   * A worker URL of another origin than the page's (a bundle on a CDN) is started through a
   * `blob:` module worker that imports it; that needs the script served with CORS
   * (`Access-Control-Allow-Origin`) and, under a Content-Security-Policy, `worker-src blob:` with
   * the script's origin in `script-src`.
   *
   * @throws ClassifierError `worker-unavailable`: `Worker` missing or refused (a
   *   Content-Security-Policy without `worker-src`/`script-src 'self'`), the module failing to
   *   load, or no `ready` within the timeout.
   */
  static async start(workerUrl?: string | URL, startTimeoutMs = WORKER_START_TIMEOUT_MS): Promise<WorkerPipeline> {
    let worker: Worker;
    let trampoline: string | undefined;
    try {
      const url = new URL(workerUrl ?? new URL('./trainer.worker.js', import.meta.url), pageUrl());
      // The page's own origin, not its <base>'s: that is what the browser checks a worker script against.
      if (url.origin === globalThis.origin) {
        // Written out literally for bundlers, which recognise this form and emit the worker.
        worker = workerUrl ? new Worker(workerUrl, { type: 'module' }) : new Worker(new URL('./trainer.worker.js', import.meta.url), { type: 'module' });
      } else {
        // A worker's script must be same-origin with the page (a bundle on a CDN is not). A module
        // worker of the page's own (a blob: URL) may import one from anywhere that serves it with
        // CORS, and what that imports resolves against its own URL: the chunks come from the CDN,
        // the same URLs the page loaded, so nothing is downloaded twice.
        trampoline = URL.createObjectURL(new Blob([`import ${JSON.stringify(url.href)};`], { type: 'text/javascript' }));
        worker = new Worker(trampoline, { type: 'module' });
      }
    } catch (error) {
      // Refused at once: no Worker here, or a Content-Security-Policy that forbids it.
      if (trampoline) URL.revokeObjectURL(trampoline);
      throw errors.workerUnavailable(messageOf(error));
    }
    await new Promise<void>((resolve, reject) => {
      const cleanup = () => {
        if (trampoline) URL.revokeObjectURL(trampoline);
        clearTimeout(timer);
        worker.removeEventListener('message', onMessage);
        worker.removeEventListener('error', onError);
      };
      const fail = (reason: string) => {
        cleanup();
        worker.terminate();
        reject(errors.workerUnavailable(reason));
      };
      const onMessage = (event: MessageEvent<WorkerMessage>) => {
        if (event.data?.type !== 'ready') return;
        cleanup();
        resolve();
      };
      // A refusal by the page's Content-Security-Policy looks the same as a failed load here.
      const onError = (event: Event) => fail((event as ErrorEvent).message || "its script failed to load or run, or the page's Content-Security-Policy (worker-src) refused it");
      const timer = setTimeout(() => fail(`no answer within ${startTimeoutMs / 1000} s`), startTimeoutMs);
      worker.addEventListener('message', onMessage);
      worker.addEventListener('error', onError);
    });
    return new WorkerPipeline(worker);
  }

  /** Label names of the last trained or loaded model, as the worker last reported them (empty before). */
  get labels(): string[] {
    return this.currentLabels;
  }

  /** Trains in the worker; `onDataLoaded` and `onProgress` are called in the page as the worker reports. */
  async train(files: FileWithPath[], options: TrainerOptions, hooks: RunHooks): Promise<TrainedDetail> {
    const { labelFromFileName, ...rest } = options;
    const urls: [string, string][] = [];
    const posted: PostedTrainOptions = { ...rest, modelUrl: absolute(rest.modelUrl, urls), modelsPath: absolute(rest.modelsPath, urls), wasmPath: absolute(rest.wasmPath, urls) };
    if (labelFromFileName) posted.fileLabels = ruleAnswers(files, labelFromFileName);
    const id = this.nextId++;
    const last = await this.postFilesAhead(
      id,
      files.map(({ file, path }) => ({ file, path })),
      hooks.signal,
    );
    return this.call('train', { files: last, options: posted }, { urls, onDataLoaded: hooks.onDataLoaded, onProgress: hooks.onProgress }, hooks.signal, [], id);
  }

  async predict(input: ImageBitmapSource | tf.Tensor3D, source = describeInput(input)): Promise<PredictedDetail> {
    const { image, transfer } = await postable(input);
    return this.call('predict', { input: image, source }, { urls: [] }, undefined, transfer);
  }

  /** Saves in the worker: `indexeddb://` and other tfjs URLs are written from there (IndexedDB is per origin, shared with the page). */
  async save(destination?: string): Promise<File[]> {
    return this.call('save', { destination }, { urls: [] });
  }

  async load(source: string | readonly File[], options: LoadOptions, signal: AbortSignal): Promise<LoadedModel> {
    const urls: [string, string][] = [];
    const given = typeof source === 'string' ? absolute(source, urls)! : [...source];
    return this.call('load', { source: given, options: { backend: options.backend, wasmPath: absolute(options.wasmPath, urls) } }, { urls }, signal);
  }

  async memory(): Promise<MemoryInfo> {
    return this.call('memory', {}, { urls: [] });
  }

  /**
   * Frees every tensor in the worker once its requests in flight have settled, then ends it;
   * a worker that has not answered within {@link DISPOSE_TIMEOUT_MS} is ended all the same.
   */
  async dispose(): Promise<MemoryInfo> {
    this.currentLabels = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(errors.workerUnavailable('it did not answer dispose')), DISPOSE_TIMEOUT_MS)));
    try {
      return await Promise.race([this.call('dispose', {}, { urls: [] }), timeout]);
    } finally {
      clearTimeout(timer);
      this.end(errors.aborted());
    }
  }

  /** Ends the worker: calls still waiting reject with `reason`, and so does every later one. */
  private end(reason: Error): void {
    if (this.ended) return;
    this.ended = reason;
    this.worker.terminate();
    for (const call of this.calls.values()) call.reject(reason);
    this.calls.clear();
  }

  /**
   * Posts all but the last {@link FILES_PER_MESSAGE} of a `train` request's files ahead as `files`
   * messages, yielding every {@link POSTING_SLICE_MS}, so no task of the page's is long however
   * slow the clones get.
   * @returns the files left for the `train` message itself.
   * @throws ClassifierError `aborted` (the worker drops what it got).
   */
  private async postFilesAhead(id: number, files: FileWithPath[], signal: AbortSignal): Promise<FileWithPath[]> {
    if (signal.aborted) throw errors.aborted();
    let start = 0;
    let sliceStart = performance.now();
    for (; files.length - start > FILES_PER_MESSAGE; start += FILES_PER_MESSAGE) {
      this.post({ type: 'files', id, files: files.slice(start, start + FILES_PER_MESSAGE) });
      if (performance.now() - sliceStart < POSTING_SLICE_MS) continue;
      await nextTask();
      sliceStart = performance.now();
      if (signal.aborted) {
        this.post({ type: 'abort', target: id });
        throw errors.aborted();
      }
    }
    return files.slice(start);
  }

  /** Posts request `type` and resolves with its result; `signal` aborts it in the worker. */
  private call<K extends RequestType>(
    type: K,
    args: Requests[K]['args'],
    call: Omit<Call, 'resolve' | 'reject'>,
    signal?: AbortSignal,
    transfer: Transferable[] = [],
    id = this.nextId++,
  ): Promise<Requests[K]['result']> {
    if (signal?.aborted || this.ended) {
      transfer.forEach((t) => (t as ImageBitmap).close?.());
      // Files may have been posted ahead for this id: the worker drops them.
      if (!this.ended) this.post({ type: 'abort', target: id });
      return Promise.reject(this.ended ?? errors.aborted());
    }
    return new Promise((resolve, reject) => {
      const abort = () => this.post({ type: 'abort', target: id });
      signal?.addEventListener('abort', abort);
      const settle = () => signal?.removeEventListener('abort', abort);
      this.calls.set(id, {
        ...call,
        resolve: (value) => {
          settle();
          resolve(value);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
      try {
        this.post({ type, id, ...args } as Request<K> as WorkerRequest, transfer);
      } catch (error) {
        // Not cloneable (DataCloneError): never reaches the worker, so nothing will answer it.
        this.calls.get(id)?.reject(error);
        this.calls.delete(id);
      }
    });
  }

  private post(request: WorkerRequest, transfer: Transferable[] = []): void {
    this.worker.postMessage(request, transfer);
  }

  private receive(message: WorkerMessage): void {
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
        this.currentLabels = message.labels;
        call.resolve(message.value as never);
        return;
      case 'error': {
        this.calls.delete(message.id);
        this.currentLabels = message.labels;
        // The worker saw absolute URLs; the messages name them as they were given.
        const asGiven = (text: string) => call.urls.reduce((m, [absoluteUrl, given]) => (absoluteUrl === given ? m : m.replaceAll(absoluteUrl, given)), text);
        call.reject(deserializeError(rewriteTexts(message.error, asGiven)));
        return;
      }
    }
  }
}

/** A posted error with `rewrite` applied to its message, detail texts and causes. */
function rewriteTexts(error: SerializedError, rewrite: (text: string) => string): SerializedError {
  const rewritten: SerializedError = { ...error, message: rewrite(error.message) };
  if (error.detail) {
    rewritten.detail = { ...error.detail };
    if (error.detail.url !== undefined) rewritten.detail.url = rewrite(error.detail.url);
    if (error.detail.reason !== undefined) rewritten.detail.reason = rewrite(error.detail.reason);
  }
  if (error.cause) rewritten.cause = rewriteTexts(error.cause, rewrite);
  return rewritten;
}

/** The URL relative URLs are resolved against: the page's base URL (or, in a worker, its own). */
function pageUrl(): string {
  return typeof document !== 'undefined' ? document.baseURI : globalThis.location.href;
}

/** `url` resolved against the page (as the page's own `fetch` would), remembering the pair; undefined stays. */
function absolute(url: string | undefined, urls: [string, string][]): string | undefined {
  if (!url) return url;
  let resolved: string;
  try {
    resolved = new URL(url, pageUrl()).href;
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
    // As organizeFiles asks the rule: the name in NFC.
    const name = (path.split('/').filter(Boolean).at(-1) ?? '').normalize('NFC');
    if (name in answers) continue;
    try {
      answers[name] = { label: rule(name) };
    } catch (error) {
      answers[name] = { error: messageOf(error) };
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
      // A disposed tensor throws here: reported as invalid-image, as the in-page pipeline does.
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
