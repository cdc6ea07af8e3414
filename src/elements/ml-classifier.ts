import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import type * as tf from '../core/tf.js';
import type { BackendPreference } from '../core/backend.js';
import { ClassifierError, errors } from '../core/errors.js';
import { BASE_MODELS, DEFAULT_BASE_MODEL, isBaseModelId, type BaseModelId, type BaseModelSpec, type InputRange, type Pooling } from '../core/base-models.js';
import { DEFAULT_TRAIN_OPTIONS, POOLED_TRAIN_DEFAULTS } from '../core/classifier.js';
import { DEFAULT_ORGANIZE_OPTIONS, withPath, type FileWithPath, type Layout } from '../io/dataset.js';
import type { TrainingHistory } from '../core/classifier.js';
import type { ModelMetadata } from '../core/model-io.js';
import { readDrop } from '../io/drop.js';
import { DataLoadedEvent, FailedEvent, ModelLoadedEvent, PredictedEvent, ProgressChangedEvent, TrainedEvent, type FailedDetail } from '../events.js';
import { describeInput, type MemoryInfo, type Thread, type TrainerApi } from '../trainer-api.js';
import type { DataLoadedDetail, Phase, PredictedDetail, Progress, TrainedDetail } from '../trainer.js';
import { DeferredTrainer } from '../worker/deferred-trainer.js';
import { RemoteTrainer } from '../worker/remote-trainer.js';
import { renderConfusionMatrix, type Cell } from './confusion-matrix.js';
import { styles } from './ml-classifier.styles.js';
import { DEFAULT_STRINGS, formats, type Formats, type Strings } from './strings.js';
import { renderTrainingChart } from './training-chart.js';

/**
 * What the element is doing; reflected to the `status` attribute for styling. `loaded`: a saved
 * model was loaded (from `src` or `load()`) and classifies images; `loading-saved-model` while it loads.
 */
export type Status = 'idle' | Phase | 'trained' | 'loading-saved-model' | 'loaded' | 'error';

/** Webcam frames classified per second at most: live enough to follow, light enough to keep the page responsive. */
const WEBCAM_FPS = 4;
/** Labels shown with probability bars under each classified image. */
const TOP_LABELS = 3;

/** One classified image shown in the predictions list. */
interface ShownPrediction {
  source: string;
  thumbnail?: string;
  prediction?: PredictedDetail;
  error?: string;
}

/** The choices of the Advanced panel's augmentation list: 0 (off) to 4 extra copies per image. */
const AUGMENT_CHOICES = [0, 1, 2, 3, 4];

/**
 * The `input-range` attribute's converter: `"-1,1"` or `"0,1"` (spaces allowed) to a `[min, max]`
 * pair. Text that is not two numbers is kept as it is, so the engine's `invalid-option` quotes it.
 */
const inputRangeConverter = {
  fromAttribute(value: string | null): InputRange | undefined {
    if (value === null) return undefined;
    const parts = value.split(',').map((p) => p.trim());
    const numbers = parts.map(Number);
    return parts.length === 2 && parts.every((p) => p !== '') && numbers.every(Number.isFinite)
      ? [numbers[0], numbers[1]]
      : (value as unknown as InputRange);
  },
  toAttribute(value: InputRange | undefined): string | undefined {
    return Array.isArray(value) ? value.join(',') : (value as string | undefined);
  },
};

/** The {@link Strings} key naming each phase. */
const PHASE_TEXT = { 'loading-model': 'loadingModel', reading: 'reading', training: 'training' } as const satisfies Record<Phase, keyof Strings>;

/**
 * `<ml-classifier>`: drop a folder of labelled images on it, and it trains an image classifier in
 * the browser (a small dense head on the activations of a pretrained base network), shows training
 * and validation accuracy, then classifies the images dropped on it. Nothing leaves the page.
 *
 * The base is one of `BASE_MODELS` (`base-model`; default `DEFAULT_BASE_MODEL`, MobileNet v2 0.35
 * 224, Teachable Machine's base; `mobilenet-v1-0.25` with `pooling="none"` is the original recipe),
 * downloaded from its public URL, from `models-path` (or the page-wide `MlClassifier.modelsPath`),
 * or any tfjs model at `model-url` (with `cut-layer` and `input-range` for one that is not listed).
 * The training drop zone's Advanced disclosure offers the base, the epochs and the augmentation.
 *
 * @summary Train and use an image classifier from a folder of photos.
 *
 * @fires {DataLoadedEvent} data-loaded - Once the files are sorted into labels: `{ labels, counts, skipped }`.
 * @fires {ProgressChangedEvent} progress-changed - As each phase advances: `{ phase, done, total, loss?, accuracy? }`.
 * @fires {TrainedEvent} trained - When training finishes: `{ labels, accuracy, validationAccuracy, counts, history, backend, durationMs, phaseMs, skipped }`.
 * @fires {PredictedEvent} predicted - For each classified image: `{ source, label, confidence, scores }`.
 * @fires {ModelLoadedEvent} model-loaded - When a saved model has loaded (from `src` or `load()`): `{ source, labels, metadata }`.
 * @fires {FailedEvent} failed - When training, a prediction, saving, loading or the webcam fails: `{ code, message, during, source? }`.
 *
 * @csspart dropzone - The training and the classify drop zones.
 * @csspart button - The folder and image buttons.
 * @csspart progress - The progress display.
 * @csspart results - The results panel.
 * @csspart chart - The loss and accuracy plots (with their table).
 * @csspart matrix - The confusion matrix table.
 * @csspart predictions - The list of classified images.
 * @csspart webcam - The live camera view.
 * @csspart error - The error message.
 * @csspart advanced - The Advanced disclosure (`<details>`) in the training drop zone: base model, epochs, augmentation.
 *
 * @slot empty-state - Replaces the training drop zone's instructions.
 * @slot actions - Replaces the training buttons (folder, files, saved model); call `train()`/`load()` from your own.
 *
 * @cssprop [--ml-classifier-accent=#2563eb] - Buttons, focus ring, drop highlight and training lines (dark scheme default #60a5fa).
 * @cssprop [--ml-classifier-surface=#ffffff] - Background (dark: #111827).
 * @cssprop [--ml-classifier-text=#1f2937] - Text colour (dark: #f3f4f6).
 * @cssprop [--ml-classifier-muted=#4b5563] - Secondary text and chart axes (dark: #cbd5e1).
 * @cssprop [--ml-classifier-radius=8px] - Corner radius.
 * @cssprop [--ml-classifier-font=system-ui, sans-serif] - Font family.
 */
@customElement('ml-classifier')
export class MlClassifier extends LitElement {
  static override styles = styles;

  /**
   * Page-wide default of `models-path`, for every `<ml-classifier>` whose own `models-path` is
   * unset (like model-viewer's static `dracoDecoderLocation`): a folder URL, trailing slash, holding
   * each base's folder (`BASE_MODELS[id].folder`, e.g. `mobilenet_v2_0.35_224_no_top/model.json`).
   * Read at each `train()`. Default undefined: each base's public URL.
   */
  static modelsPath: string | undefined = undefined;

  /**
   * The base network the head trains on: an id of `BASE_MODELS` (`mobilenet-v1-0.25`,
   * `mobilenet-v1-0.75`, `mobilenet-v2-0.35`, `mobilenet-v2-0.50`, `mobilenet-v2-0.75`,
   * `mobilenet-v2-1.00`, `mobilenet-v2-0.50-96`). Unset (default): `DEFAULT_BASE_MODEL`
   * (`mobilenet-v2-0.35`), or the base recognised from `model-url` when only that is set. Each base's
   * download size and relative speed (`downloadBytes`, `relativeCost`, measured by `npm run bench`)
   * are in `BASE_MODELS` and in the Advanced list. Reflected. A name that is not listed fails
   * `train()` with `invalid-option`.
   */
  @property({ attribute: 'base-model', reflect: true }) baseModel?: BaseModelId;
  /**
   * Folder URL (trailing slash) of your copies of the bases: each loads from
   * `<models-path><folder>/model.json` (`BASE_MODELS[id].folder`), so every base works without the
   * public servers. Unset: the page-wide `MlClassifier.modelsPath`, else each base's public URL;
   * `""` ignores the page-wide one. `model-url` wins over both.
   */
  @property({ attribute: 'models-path' }) modelsPath?: string;
  /**
   * URL of the base's tfjs `model.json` (layers or graph model, weights next to it). Unset or `""`
   * (default): the base's own file, under `models-path` or at its public URL. With `base-model` unset
   * the base is recognised from this URL; one that is none of `BASE_MODELS` is a custom base, cut at
   * `cut-layer` and fed pixels in `input-range`. A file that cannot be loaded fails `train()` with
   * `model-load-failed`.
   */
  @property({ attribute: 'model-url' }) modelUrl?: string;
  /**
   * Custom base (a `model-url` that is none of `BASE_MODELS`): the layer (layers model) or graph
   * node (graph model) to cut at; the head trains on its output. Unset: the listed base's own cut
   * when the model is recognised as one, else the engine's default. A name the model lacks fails `train()`.
   */
  @property({ attribute: 'cut-layer' }) cutLayer?: string;
  /**
   * Custom base: the range it expects pixel values in, `[min, max]`: `[-1, 1]` (Keras MobileNets)
   * or `[0, 1]` (TF-Hub modules); the attribute is the two numbers, `input-range="0,1"`. Unset: the
   * listed base's own (`BASE_MODELS[id].inputRange`), else chosen by the model's format. Any other value, or text that is not two numbers
   * (kept as given), fails `train()` with `invalid-option` naming `input-range`.
   */
  @property({ attribute: 'input-range', converter: inputRangeConverter }) inputRange?: InputRange;
  /**
   * URL of a saved model's `model.json` (ours or a Teachable Machine image model, `metadata.json`
   * beside it) or `indexeddb://name`. Setting it loads that model for prediction (see `load()`).
   */
  @property() src?: string;
  /** Training epochs (integer >= 1); unset = 20 for the flatten head (`pooling="none"`), 50 for a pooled head. */
  @property({ type: Number }) epochs?: number;
  /** Examples per gradient step; unset = 40% of the training images (the original engine's rule), or 32 with `pooling="average"`. */
  @property({ type: Number, attribute: 'batch-size' }) batchSize?: number;
  /** Adam learning rate (> 0); unset = 0.0001, or 0.001 with `pooling="average"`. */
  @property({ type: Number, attribute: 'learning-rate' }) learningRate?: number;
  /** Units in the head's hidden dense layer (integer >= 1). */
  @property({ type: Number, attribute: 'hidden-units' }) hiddenUnits: number = DEFAULT_TRAIN_OPTIONS.hiddenUnits;
  /**
   * What the head trains on: `none`, the base's activations at the cut as they are (`[7, 7, 256]`
   * for MobileNet v1 0.25); `grid`, their averages over a 3x3 grid of overlapping windows
   * (`[3, 3, 1280]` for MobileNet v2: keeps where things are, 98.2% on the sign-language photos
   * with `mobilenet-v2-0.35` against 96.3-96.8% pooled, at 2.3 times the time); or `average`,
   * their global average over the positions (`[256]`; `[1280]` for MobileNet v2): 49 times less
   * memory per image and a head 49 times smaller. Unset
   * (default): the base's own (`BASE_MODELS[id].pooling`: `none` for MobileNet v1 0.25, `average`
   * for the others). With MobileNet v1 0.25 on the 2,062 sign-language photos, `average` reached
   * 97.1% validation accuracy (vs 95.8%) with head training 3.2 s instead of 27 s. Another value
   * fails `train()` with `invalid-option`.
   */
  @property() pooling?: Pooling;
  /**
   * Extra augmented (randomly altered, see `AUGMENTATION`) copies of each training image, whose
   * activations train the head along with the original's; validation images are never augmented.
   * A whole number 0-16; unset or 0 (default) = off; the Advanced list offers 0-4. Each copy is one more
   * pass of the base per training image. Reflected. Any other value fails `train()` with
   * `invalid-option`.
   */
  @property({ type: Number, reflect: true }) augment?: number;
  /** `auto` (WebGL on a real GPU, else WASM, else CPU), or force `webgl`, `wasm` or `cpu`. */
  @property() backend: BackendPreference = 'auto';
  /**
   * Folder URL (trailing slash) of `tfjs-backend-wasm*.wasm`. Default: the folder this module was
   * loaded from, where the build puts them next to `ml-classifier.js`.
   */
  @property({ attribute: 'wasm-path' }) wasmPath: string = new URL('./', import.meta.url).href;
  /** Share (0-1) of each label held out for validation when the folder has no validation folder. */
  @property({ type: Number, attribute: 'validation-split' }) validationSplit: number = DEFAULT_ORGANIZE_OPTIONS.validationSplit;
  /** Seed of that held-out draw: the same seed and files give the same split. */
  @property({ type: Number }) seed: number = DEFAULT_ORGANIZE_OPTIONS.seed;
  /** Where labels come from: `auto`, `folders`, `flat` (from file names) or `csv` (see the README). */
  @property() layout: Layout = DEFAULT_ORGANIZE_OPTIONS.layout;
  /** The `flat` layout's rule, file name → label; default strips the extension and a trailing number (`drum-1.jpg` → `drum`). */
  @property({ attribute: false }) labelFromFileName?: (fileName: string) => string;
  /**
   * Offer live classification from a camera once a model is ready: Start and Stop buttons, at most
   * 4 `predicted` events per second (source `webcam`). The camera is released on Stop, when the
   * attribute is removed, and when the element is removed.
   */
  @property({ type: Boolean }) webcam = false;
  /**
   * Replacement texts, any subset of {@link Strings} (English defaults in `DEFAULT_STRINGS`); for
   * example `{ chooseFolder: 'Dossier d’entraînement', epochsDone: (d, n) => \`époque ${d} sur ${n}\` }`.
   * Numbers come formatted with `Intl` in the page's language.
   */
  @property({ attribute: false }) strings: Partial<Strings> = {};
  /**
   * Run the model in the page (the main thread) instead of a Web Worker. By default decoding,
   * activations, training and prediction run in a worker of this element's own, so the page keeps
   * responding; the element falls back to the page by itself where workers are missing or cannot
   * start. Read when the element first needs a model (first `train()`, `load()` or `src`); a change
   * later applies once the element has been removed from the page and put back.
   */
  @property({ type: Boolean, attribute: 'main-thread' }) mainThread = false;
  /** What the element is doing (read-only; reflected for `:host([status=...])` styles). */
  @property({ reflect: true }) status: Status = 'idle';

  @state() private progress?: Progress;
  @state() private data?: DataLoadedDetail;
  @state() private result?: TrainedDetail;
  @state() private history?: TrainingHistory;
  @state() private selectedCell?: Cell;
  @state() private loadedModel?: { source: string; metadata: ModelMetadata; ignored: string[] };
  @state() private predictions: ShownPrediction[] = [];
  @state() private live?: PredictedDetail;
  @state() private camera?: MediaStream;
  /** The saved model being loaded, if any: a newer `src` aborts it and waits for it to end. */
  private loading?: Promise<ModelMetadata>;
  /** The camera request waiting for permission, if any, and its token (bumped by stopWebcam). */
  private cameraRequest?: Promise<void>;
  private cameraToken = 0;
  @state() private errorMessage = '';
  /** What the one polite live region says: phase changes and results, not every image or epoch. */
  @state() private announcement = '';
  @state() private dragging?: 'training' | 'classify';
  @query('input[name="training-data"]') private folderInput!: HTMLInputElement;
  @query('input[name="training-files"]') private filesInput!: HTMLInputElement;
  @query('input[name="classify"]') private imageInput!: HTMLInputElement;
  @query('input[name="model-files"]') private modelInput!: HTMLInputElement;
  @query('video') private video?: HTMLVideoElement;

  private readonly trainer = new DeferredTrainer(() => this.makeEngine());
  /** Where the engine made last runs the model; undefined before one is made. */
  private engineThread?: Thread;
  /** The training files by path, to show the validation images counted in a confusion-matrix cell. */
  private filesByPath = new Map<string, File>();
  /** Object URLs of the selected cell's thumbnails, revoked when the selection changes. */
  private cellThumbnails: { path: string; url: string }[] = [];

  /**
   * Where the model runs (read-only): `worker` (a Web Worker of this element's own) or `main` (the
   * page: `main-thread` set, no `Worker`/`OffscreenCanvas`, or the worker could not start). Before
   * the first `train()`/`load()` it says where the model is meant to run.
   */
  get thread(): Thread {
    return this.engineThread ?? (this.mainThread || !workersAvailable() ? 'main' : 'worker');
  }

  /**
   * TensorFlow.js memory where the model runs: `tf.memory()` in the element's worker, or the
   * page's (shared with any other TensorFlow.js use on the page) with `thread` `main`. After the
   * element's removal ended its worker, the figures the worker reported once it had freed
   * everything; zeros before any model work.
   * @returns `{ numTensors, numBytes }`: tensors alive and the bytes their data holds.
   */
  async memory(): Promise<MemoryInfo> {
    return this.trainer.memory();
  }

  /** The last `trained` detail, or undefined before training. */
  get trainedDetail(): TrainedDetail | undefined {
    return this.result;
  }

  /**
   * Trains on files, as if they had been dropped: `File`s from a folder input keep their
   * `webkitRelativePath`; for other files pass `{ file, path }` with a `/`-separated path such as
   * `train/cat/1.jpg`.
   *
   * Fires `data-loaded`, `progress-changed`, then `trained`, or `failed`.
   * @returns the `trained` detail.
   * @throws ClassifierError (also fired as `failed`): `busy`, `invalid-option`, `too-few-labels`,
   *   `no-images`, `model-load-failed`, `backend-unavailable`, `aborted`, `diverged`, `context-lost`.
   */
  async train(files: Array<File | FileWithPath>, options: { signal?: AbortSignal } = {}): Promise<TrainedDetail> {
    // Refused here, before the running run's display is cleared below.
    if (this.trainer.busy) {
      const error = errors.busy(this.trainer.busyWith);
      this.fail(error, this.progress?.phase ?? 'reading');
      throw error;
    }
    const entries = files.map((f) => (f instanceof File ? withPath(f) : f));
    let phase: Phase = 'reading';
    const previous = { result: this.result, data: this.data, history: this.history, files: this.filesByPath, predictions: this.predictions };
    this.errorMessage = '';
    this.progress = undefined;
    this.result = undefined;
    this.data = undefined;
    this.history = undefined;
    this.selectCell(undefined);
    // Kept (not revoked) until the run succeeds: a failed run shows them again.
    this.predictions = [];
    this.filesByPath = new Map(entries.map((e) => [e.path, e.file]));
    try {
      const detail = await this.trainer.train(
        entries,
        {
          baseModel: this.baseModel,
          modelsPath: this.modelsPath ?? MlClassifier.modelsPath,
          modelUrl: this.modelUrl,
          cutLayer: this.cutLayer,
          inputRange: this.inputRange,
          pooling: this.pooling,
          augment: this.augment,
          backend: this.backend,
          wasmPath: this.wasmPath,
          epochs: this.epochs,
          batchSize: this.batchSize,
          learningRate: this.learningRate,
          hiddenUnits: this.hiddenUnits,
          validationSplit: this.validationSplit,
          seed: this.seed,
          layout: this.layout,
          labelFromFileName: this.labelFromFileName,
        },
        {
          signal: options.signal,
          onDataLoaded: (data) => {
            this.data = data;
            this.dispatchEvent(new DataLoadedEvent(data));
          },
          onProgress: (progress) => {
            if (progress.phase !== this.progress?.phase) this.announcement = this.t[PHASE_TEXT[progress.phase]];
            phase = progress.phase;
            this.progress = progress;
            this.status = progress.phase;
            if (progress.phase === 'training' && progress.loss !== undefined) this.history = appendEpoch(this.history, progress);
            this.dispatchEvent(new ProgressChangedEvent(progress));
          },
        },
      );
      previous.predictions.forEach((p) => p.thumbnail && URL.revokeObjectURL(p.thumbnail));
      this.result = detail;
      this.history = detail.history;
      this.loadedModel = undefined;
      this.status = 'trained';
      const f = this.f;
      this.announcement = this.t.trainedAnnouncement(f.percent(detail.accuracy), detail.validationAccuracy === null ? null : f.percent(detail.validationAccuracy));
      this.dispatchEvent(new TrainedEvent(detail));
      return detail;
    } catch (error) {
      // A failed or aborted retrain keeps the previous model: show its results and predictions again.
      if (this.trainer.labels.length > 0) {
        ({ result: this.result, history: this.history, files: this.filesByPath, predictions: this.predictions } = previous);
      } else {
        previous.predictions.forEach((p) => p.thumbnail && URL.revokeObjectURL(p.thumbnail));
      }
      this.fail(error, phase);
      throw error;
    }
  }

  /**
   * Classifies one image with the last trained or loaded model and fires `predicted`.
   *
   * @param input a `File`/`Blob`, `<img>`, `<canvas>`, `<video>`, `ImageBitmap`, `ImageData`, or a
   *   `[h, w, 3]` tensor (0-255), all preprocessed like the training images.
   * @param source name reported in the detail; default: the file's path or name.
   * @throws ClassifierError (also fired as `failed`): `not-trained`, `invalid-image`.
   */
  async predict(input: ImageBitmapSource | tf.Tensor3D, source?: string): Promise<PredictedDetail> {
    try {
      const detail = await this.trainer.predict(input, source);
      this.dispatchEvent(new PredictedEvent(detail));
      return detail;
    } catch (error) {
      this.fail(error, 'predict', source ?? describeInput(input));
      throw error;
    }
  }

  /**
   * Saves the last trained (or loaded) model: ONE tfjs layers model (the MobileNet cut and the
   * head joined) as `model.json` + `weights.bin`, plus a Teachable-Machine-compatible
   * `metadata.json` (labels in output order, preprocessing, base model and layer, tfjs version,
   * date). Load it back with `src`/`load()`, or in any tfjs program with `tf.loadLayersModel`.
   *
   * @param destination `downloads` (default: the browser downloads the three files), or a
   *   TensorFlow.js URL such as `indexeddb://my-model` (the metadata is stored inside `model.json`).
   * @returns the three files.
   * @throws ClassifierError (also fired as `failed`): `not-trained`; the storage's error (quota).
   */
  async save(destination = 'downloads'): Promise<File[]> {
    try {
      const files = await this.trainer.save(destination === 'downloads' ? undefined : destination);
      if (destination === 'downloads') for (const file of files) download(file);
      return files;
    } catch (error) {
      this.fail(error, 'save', destination);
      throw error;
    }
  }

  /**
   * Loads a saved model for prediction only, with its saved labels: one written by `save()` or a
   * Teachable Machine image-model export. Training again later replaces it.
   *
   * @param source a `model.json` URL (`metadata.json` read from beside it), `indexeddb://name`,
   *   or the files `model.json`, `*.bin` and `metadata.json`.
   * @returns the model's metadata; fires `model-loaded`.
   * @throws ClassifierError (also fired as `failed`): `busy`, `model-load-failed`, `backend-unavailable`.
   */
  async load(source: string | File[] | FileList): Promise<ModelMetadata> {
    const loading = this.loadModel(source);
    this.loading = loading;
    try {
      return await loading;
    } finally {
      if (this.loading === loading) this.loading = undefined;
    }
  }

  private async loadModel(source: string | File[] | FileList): Promise<ModelMetadata> {
    const given = typeof source === 'string' ? source : [...source];
    const name = typeof given === 'string' ? given : given.map((f) => f.name).join(', ');
    const previous = this.status;
    this.errorMessage = '';
    this.status = 'loading-saved-model';
    try {
      const { metadata, ignored } = await this.trainer.load(given, { backend: this.backend, wasmPath: this.wasmPath });
      this.result = undefined;
      this.data = undefined;
      this.history = undefined;
      this.selectCell(undefined);
      this.clearPredictions();
      this.loadedModel = { source: name, metadata, ignored };
      this.status = 'loaded';
      this.announcement = this.t.loadedModel(metadata.modelName, name, metadata.labels);
      this.dispatchEvent(new ModelLoadedEvent({ source: name, labels: [...metadata.labels], metadata, ignored }));
      return metadata;
    } catch (error) {
      if (error instanceof ClassifierError && error.code === 'busy') this.status = previous;
      // A load replaced by a newer `src` is not a failure.
      if (!(error instanceof ClassifierError && error.code === 'aborted' && typeof given === 'string' && given !== this.src)) {
        this.fail(error, 'load', name);
      }
      throw error;
    }
  }

  /** Stops training at the next batch; `train()` rejects with `aborted` and no `trained` fires. */
  abort(): void {
    this.trainer.abort();
  }

  /**
   * Starts live classification from the camera (`getUserMedia`, preferring a rear camera).
   * A second call while the first waits for permission returns the same promise.
   * @throws ClassifierError (also fired as `failed`): `camera-unavailable` (not allowed, no camera,
   *   in use; the browser's error is its `cause`), or `not-trained` when no model is ready.
   */
  async startWebcam(): Promise<void> {
    if (this.camera || this.cameraRequest) return this.cameraRequest;
    // Stop or removal while the browser asks for permission cancels this request (a new token).
    const token = ++this.cameraToken;
    this.cameraRequest = this.openCamera(token).finally(() => {
      if (this.cameraToken === token) this.cameraRequest = undefined;
    });
    return this.cameraRequest;
  }

  /** Stops live classification and releases the camera (also one still being asked for). */
  stopWebcam(): void {
    this.cameraToken++;
    this.cameraRequest = undefined;
    this.camera?.getTracks().forEach((t) => t.stop());
    this.camera = undefined;
    this.live = undefined;
    if (this.video) this.video.srcObject = null;
  }

  private async openCamera(token: number): Promise<void> {
    try {
      if (this.trainer.labels.length === 0) throw errors.notTrained();
      let stream: MediaStream;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
      } catch (cause) {
        throw errors.cameraUnavailable(cause);
      }
      if (token !== this.cameraToken || !this.isConnected) {
        stream.getTracks().forEach((t) => t.stop());
        return;
      }
      this.camera = stream;
      await this.updateComplete;
      const video = this.video!;
      video.srcObject = stream;
      await video.play();
      this.classifyCamera(stream);
    } catch (error) {
      this.stopWebcam();
      this.fail(error, 'webcam', 'webcam');
      throw error;
    }
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('paste', this.handlePaste);
    // Put back after a removal freed its model: load `src` again.
    if (this.hasUpdated && this.src && this.trainer.labels.length === 0 && !this.trainer.busy) this.load(this.src).catch(() => {});
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('paste', this.handlePaste);
    // A move within the page reconnects in the same task; only a real removal frees the model.
    queueMicrotask(() => {
      if (!this.isConnected) {
        this.stopWebcam();
        this.trainer.dispose();
        this.clearPredictions();
        this.selectCell(undefined);
        this.result = undefined;
        this.data = undefined;
        this.history = undefined;
        this.loadedModel = undefined;
        this.status = 'idle';
      }
    });
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('src') && this.src) this.loadSrc(this.src);
    if (changed.has('webcam') && !this.webcam) this.stopWebcam();
  }

  /**
   * The engine: a `RemoteTrainer` whose worker has started, or the in-page `Trainer` (loaded only
   * then) with `main-thread`, without worker support, or when the worker cannot start.
   */
  private async makeEngine(): Promise<TrainerApi> {
    if (!this.mainThread && workersAvailable()) {
      const remote = new RemoteTrainer();
      try {
        await remote.start();
        this.engineThread = 'worker';
        return remote;
      } catch (error) {
        remote.dispose();
        console.warn(`<ml-classifier>: ${error instanceof Error ? error.message : String(error)} Running on the main thread.`);
      }
    }
    const { Trainer } = await import('../trainer.js');
    this.engineThread = 'main';
    return new Trainer();
  }

  /** Loads `src`; a newer `src` aborts a load still running, so the last one set wins. */
  private async loadSrc(src: string) {
    if (this.loading) {
      this.trainer.abort();
      await this.loading.catch(() => {});
    }
    if (src === this.src) await this.load(src).catch(() => {}); // reported through `failed`
  }

  override render() {
    const busy = this.trainer.busy;
    const t = this.t;
    return html`
      <div part="dropzone" class=${this.dragging === 'training' ? 'dragging' : ''}
        @dragover=${(e: DragEvent) => this.handleDragOver(e, 'training')}
        @dragleave=${this.handleDragLeave}
        @drop=${this.handleTrainingDrop}>
        <slot name="empty-state"><p>${t.dropTraining}</p></slot>
        <slot name="actions">
          <button part="button" type="button" ?disabled=${busy} @click=${() => this.folderInput.click()}>${t.chooseFolder}</button>
          <button part="button" type="button" ?disabled=${busy} @click=${() => this.filesInput.click()}>${t.chooseFiles}</button>
          <button part="button" type="button" ?disabled=${busy} @click=${() => this.modelInput.click()}>${t.openModel}</button>
        </slot>
        ${this.renderAdvanced(busy)}
        <input type="file" name="training-data" webkitdirectory multiple hidden @change=${() => this.handleTrainingChosen(this.folderInput)} />
        <input type="file" name="training-files" multiple hidden @change=${() => this.handleTrainingChosen(this.filesInput)} />
        <input type="file" name="model-files" accept=".json,.bin" multiple hidden @change=${this.handleModelChosen} />
      </div>
      ${this.renderProgress()} ${this.renderResults()} ${this.renderClassify()}
      <p part="error" role="alert" class="error">${this.errorMessage}</p>
      <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
    `;
  }

  /**
   * The Advanced disclosure: the base model, the epochs and the augmentation, showing the
   * properties' values and setting them (disabled while a run or a load is in progress).
   */
  private renderAdvanced(busy: boolean) {
    const { t, f } = this;
    const shown = this.baseModel || (this.modelUrl ? recogniseBase(this.modelUrl) : DEFAULT_BASE_MODEL);
    // A custom `model-url`, or a `base-model` that is not listed: shown as such, not as another base.
    const other = shown && isBaseModelId(shown) ? undefined : (shown ?? t.customBaseModel(this.modelUrl!));
    const augment = this.augment ?? 0;
    const augments = AUGMENT_CHOICES.includes(augment) ? AUGMENT_CHOICES : [...AUGMENT_CHOICES, augment];
    return html`<details part="advanced" class="advanced">
      <summary>${t.advanced}</summary>
      <div class="settings">
        <label>${t.baseModel}
          <select name="base-model" ?disabled=${busy} @change=${(e: Event) => (this.baseModel = (e.target as HTMLSelectElement).value as BaseModelId)}>
            ${other === undefined ? nothing : html`<option value="" disabled .selected=${live(true)}>${other}</option>`}
            ${Object.values(BASE_MODELS).map(
              (spec) => html`<option value=${spec.id} .selected=${live(spec.id === shown)}>${t.baseModelOption(
                shortName(spec),
                f.decimal(spec.downloadBytes / 1e6, 1),
                this.speedHint(spec.relativeCost),
                spec.id === DEFAULT_BASE_MODEL,
              )}</option>`,
            )}
          </select>
        </label>
        <label>${t.epochsSetting}
          <input type="number" name="epochs" min="1" step="1" .value=${live(this.epochs === undefined ? '' : String(this.epochs))} ?disabled=${busy}
            placeholder=${`${DEFAULT_TRAIN_OPTIONS.epochs} / ${POOLED_TRAIN_DEFAULTS.epochs}`}
            @change=${(e: Event) => {
              const value = (e.target as HTMLInputElement).valueAsNumber;
              this.epochs = Number.isNaN(value) ? undefined : value;
            }} />
        </label>
        <label>${t.augment}
          <select name="augment" ?disabled=${busy} @change=${(e: Event) => (this.augment = Number((e.target as HTMLSelectElement).value))}>
            ${augments.map((n) => html`<option value=${String(n)} .selected=${live(n === augment)}>${n === 0 ? t.augmentOff : t.augmentCopies(f.count(n))}</option>`)}
          </select>
        </label>
      </div>
    </details>`;
  }

  /** A base's speed next to MobileNet v1 0.25's from its `relativeCost` (its time per image over v1 0.25's). */
  private speedHint(relativeCost: number): string {
    const { t, f } = this;
    const times = (x: number) => (Number.isInteger(Math.round(x * 10) / 10) ? f.decimal(x, 0) : f.decimal(x, 1));
    if (Math.abs(relativeCost - 1) < 0.05) return t.referenceSpeed;
    return relativeCost > 1 ? t.slowerThanReference(times(relativeCost)) : t.fasterThanReference(times(1 / relativeCost));
  }

  private renderProgress() {
    const p = this.progress;
    if (!p || !this.trainer.busy) return nothing;
    const { t, f } = this;
    const phase = t[PHASE_TEXT[p.phase]];
    const unit =
      p.phase === 'training' ? t.epochsDone(f.count(p.done), f.count(p.total)) : p.phase === 'reading' ? t.imagesDone(f.count(p.done), f.count(p.total)) : '';
    const figures = p.loss === undefined ? '' : ` · ${t.lastEpoch(f.decimal(p.loss, 3), f.percent(p.accuracy!))}`;
    return html`<div part="progress">
      <p>${phase}${unit ? `: ${unit}` : ''}${figures}</p>
      <progress max=${p.total} .value=${p.done} aria-label=${phase} aria-valuetext=${unit || phase}></progress>
      <button part="button" type="button" @click=${() => this.abort()}>${t.stop}</button>
      ${this.history ? renderTrainingChart(this.history, p.total, t, f) : nothing}
    </div>`;
  }

  private renderResults() {
    const { t, f } = this;
    if (this.loadedModel) {
      const { source, metadata } = this.loadedModel;
      return html`<section part="results" aria-label=${t.resultsLabel}>
        <p><strong>${t.loadedModel(metadata.modelName, source, metadata.labels)}</strong></p>
        <p class="muted">${t.savedWith(metadata.timeStamp, metadata.tfjsVersion, metadata.tmVersion)}</p>
        ${this.loadedModel.ignored.length ? html`<p>${t.ignoredFiles(this.loadedModel.ignored.join(', '))}</p>` : nothing}
      </section>`;
    }
    const data = this.result ?? this.data;
    if (!data) return nothing;
    const r = this.result;
    const total = (split: 'train' | 'validation') => Object.values(data.counts).reduce((n, c) => n + c[split], 0);
    const headline = (text: (a: string, c: string, n: string) => string, accuracy: number, n: number) =>
      text(f.percent(accuracy), f.count(Math.round(accuracy * n)), f.count(n));
    return html`<section part="results" aria-label=${t.resultsLabel}>
      ${r
        ? html`<p><strong>${headline(t.trainingAccuracy, r.accuracy, total('train'))}</strong> ·
            <strong>${r.validationAccuracy === null ? t.noValidation : headline(t.validationAccuracy, r.validationAccuracy, total('validation'))}</strong></p>
            <p class="muted">${t.backendAndTime(r.backend, f.decimal(r.durationMs / 1000, 1))}
              <button part="button" type="button" @click=${() => this.save().catch(() => {})}>${t.saveModel}</button></p>
            ${renderTrainingChart(r.history, r.history.loss.length, t, f)}
            ${renderConfusionMatrix(r.labels, r.confusionMatrix, this.selectedCell, (cell) => this.selectCell(cell), t, f)}
            ${this.renderCellImages(r)}`
        : nothing}
      <table>
        <caption class="visually-hidden">${t.imagesPerLabel}</caption>
        <thead><tr><th scope="col">${t.label}</th><th scope="col">${t.trainingImages}</th><th scope="col">${t.validationImages}</th></tr></thead>
        <tbody>
          ${data.labels.map((label) => html`<tr><th scope="row">${label}</th>
            <td class="number">${f.count(data.counts[label]?.train ?? 0)}</td><td class="number">${f.count(data.counts[label]?.validation ?? 0)}</td></tr>`)}
        </tbody>
      </table>
      ${data.skipped.length
        ? html`<details><summary>${t.skipped(f.count(data.skipped.length))}</summary>
            <ul>${data.skipped.map((s) => html`<li><code>${s.path}</code>: ${s.reason}</li>`)}</ul></details>`
        : nothing}
    </section>`;
  }

  /** The validation images counted in the selected confusion-matrix cell. */
  private renderCellImages(r: TrainedDetail) {
    const cell = this.selectedCell;
    if (!cell) return nothing;
    return html`<figure class="cell-images">
      <figcaption>${this.t.cell(this.f.count(this.cellThumbnails.length), r.labels[cell.actual], r.labels[cell.predicted])}</figcaption>
      <ul>${this.cellThumbnails.map((t) => html`<li><img src=${t.url} alt=${t.path} title=${t.path} /></li>`)}</ul>
    </figure>`;
  }

  private renderClassify() {
    // Shown while a model is usable, including during and after a failed retrain.
    if (this.trainer.labels.length === 0) return nothing;
    const t = this.t;
    return html`<section aria-label=${t.classifyLabel}>
      <div part="dropzone" class=${this.dragging === 'classify' ? 'dragging' : ''}
        @dragover=${(e: DragEvent) => this.handleDragOver(e, 'classify')}
        @dragleave=${this.handleDragLeave}
        @drop=${this.handleClassifyDrop}>
        <p>${t.dropClassify}</p>
        <button part="button" type="button" @click=${() => this.imageInput.click()}>${t.chooseImages}</button>
        ${this.webcam
          ? this.camera
            ? html`<button part="button" type="button" @click=${() => this.stopWebcam()}>${t.stopCamera}</button>`
            : html`<button part="button" type="button" @click=${() => this.startWebcam().catch(() => {})}>${t.startCamera}</button>`
          : nothing}
        <input type="file" name="classify" accept="image/*" multiple hidden @change=${this.handleImagesChosen} />
      </div>
      ${this.camera
        ? html`<figure class="webcam">
            <video part="webcam" muted playsinline aria-label=${t.camera}></video>
            <figcaption>${this.live ? this.renderScores(this.live) : html`<span class="muted">${t.startingCamera}</span>`}</figcaption>
          </figure>`
        : nothing}
      <ul part="predictions">
        ${this.predictions.map((p) => html`<li>
          ${p.thumbnail ? html`<img src=${p.thumbnail} alt=${p.source} />` : nothing}
          <div><code>${p.source}</code></div>
          ${p.prediction ? this.renderScores(p.prediction) : p.error ? html`<div class="error">${p.error}</div>` : html`<div class="muted">${t.classifying}</div>`}
        </li>`)}
      </ul>
    </section>`;
  }

  /** The top labels of a prediction with probability bars. */
  private renderScores(p: PredictedDetail) {
    return html`<ol class="scores">
      ${p.scores.slice(0, TOP_LABELS).map(
        (s) => html`<li><span class="label">${s.label}</span>
          <meter min="0" max="1" .value=${s.probability} aria-label=${s.label}></meter>
          <span class="number">${this.f.percent(s.probability)}</span></li>`,
      )}
    </ol>`;
  }

  /** The texts in use: {@link strings} over the English defaults. */
  private get t(): Strings {
    return { ...DEFAULT_STRINGS, ...this.strings };
  }

  /** Number formats in the page's language: the closest `lang` attribute, else the browser's. */
  private get f(): Formats {
    return formats((this.closest('[lang]') as HTMLElement | null)?.lang || undefined);
  }

  /** Classifies camera frames until the stream is stopped or replaced, at most {@link WEBCAM_FPS} a second. */
  private async classifyCamera(stream: MediaStream) {
    const interval = 1000 / WEBCAM_FPS;
    while (this.camera === stream && this.video) {
      const started = performance.now();
      try {
        this.live = await this.predict(this.video, 'webcam');
      } catch {
        // Reported through `failed`; a model being retrained says not-trained for a moment.
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, interval - (performance.now() - started))));
    }
  }

  private selectCell(cell: Cell | undefined) {
    this.cellThumbnails.forEach((t) => URL.revokeObjectURL(t.url));
    this.cellThumbnails = [];
    const r = this.result;
    if (cell && r && !(cell.actual === this.selectedCell?.actual && cell.predicted === this.selectedCell.predicted)) {
      const [actual, predicted] = [r.labels[cell.actual], r.labels[cell.predicted]];
      this.cellThumbnails = r.validation
        .filter((v) => v.label === actual && v.predicted === predicted && this.filesByPath.has(v.path))
        .map((v) => ({ path: v.path, url: URL.createObjectURL(this.filesByPath.get(v.path)!) }));
      this.selectedCell = cell;
    } else {
      // Selecting the selected cell again closes it.
      this.selectedCell = undefined;
    }
  }

  private handleDragOver(event: DragEvent, zone: 'training' | 'classify') {
    event.preventDefault();
    this.dragging = zone;
  }

  private handleDragLeave = () => {
    this.dragging = undefined;
  };

  private handleTrainingDrop = (event: DragEvent) => {
    event.preventDefault();
    this.dragging = undefined;
    if (!event.dataTransfer || this.trainer.busy) return;
    readDrop(event.dataTransfer).then(
      (files) => this.train(files).catch(() => {}), // reported through `failed` and the alert
      (error) => this.fail(error, 'reading'),
    );
  };

  private handleTrainingChosen(input: HTMLInputElement) {
    const files = [...(input.files ?? [])];
    input.value = '';
    if (files.length) this.train(files).catch(() => {}); // reported through `failed` and the alert
  }

  private handleModelChosen = () => {
    const files = [...(this.modelInput.files ?? [])];
    this.modelInput.value = '';
    if (files.length) this.load(files).catch(() => {}); // reported through `failed` and the alert
  };

  private handleClassifyDrop = (event: DragEvent) => {
    event.preventDefault();
    this.dragging = undefined;
    this.classifyFiles([...(event.dataTransfer?.files ?? [])]);
  };

  private handleImagesChosen = () => {
    const files = [...(this.imageInput.files ?? [])];
    this.imageInput.value = '';
    this.classifyFiles(files);
  };

  private handlePaste = (event: ClipboardEvent) => {
    const files = [...(event.clipboardData?.files ?? [])].filter((f) => f.type.startsWith('image/'));
    if (files.length && this.trainer.labels.length) this.classifyFiles(files);
  };

  private async classifyFiles(files: File[]) {
    const shown: ShownPrediction[] = files.map((file) => ({ source: file.name, thumbnail: URL.createObjectURL(file) }));
    this.predictions = [...this.predictions, ...shown];
    for (const [i, file] of files.entries()) {
      try {
        shown[i].prediction = await this.predict(file, file.name);
      } catch (error) {
        shown[i].error = this.t.error(error instanceof ClassifierError ? error.code : 'unknown', error instanceof Error ? error.message : String(error));
      }
      this.predictions = [...this.predictions];
    }
  }

  private clearPredictions() {
    this.predictions.forEach((p) => p.thumbnail && URL.revokeObjectURL(p.thumbnail));
    this.predictions = [];
  }

  private fail(error: unknown, during: FailedDetail['during'], source?: string) {
    const code = error instanceof ClassifierError ? error.code : 'unknown';
    const message = error instanceof Error ? error.message : String(error);
    // A run ended by removing the element leaves it idle, ready to be put back; a refused
    // second run leaves the running one's display alone; a failed prediction is shown beside
    // its image.
    if (during !== 'predict' && this.isConnected && code !== 'busy') {
      this.errorMessage = this.t.error(code, message);
      // A failed run or load leaves whatever model is still usable; a failed save or camera changes nothing else.
      if (during !== 'save' && during !== 'webcam') {
        if (this.trainer.labels.length === 0) this.loadedModel = undefined;
        this.status = this.trainer.labels.length === 0 ? 'error' : this.loadedModel ? 'loaded' : this.result ? 'trained' : 'error';
      }
    }
    this.dispatchEvent(new FailedEvent({ code, message, during, source }));
  }
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

/** A base's name without its parenthesis: `MobileNet v2 0.35 224`. */
function shortName(spec: BaseModelSpec): string {
  return spec.name.replace(/\s*\(.*\)\s*$/, '');
}

/**
 * The listed base a `model-url` is a copy of (its public URL, or a path ending in its folder and
 * `model.json`), for the Advanced list only; undefined for a custom base. The engine decides what it loads.
 */
function recogniseBase(url: string): BaseModelId | undefined {
  const path = url.split(/[?#]/)[0];
  return Object.values(BASE_MODELS).find((spec) => url === spec.url || path.endsWith(`/${spec.folder}/model.json`))?.id;
}

/** Whether this browser can run the model in a worker: module workers with `OffscreenCanvas` (for decoding there). */
function workersAvailable(): boolean {
  return typeof Worker !== 'undefined' && typeof OffscreenCanvas !== 'undefined';
}

/** Makes the browser download a file, as a link with `download` would. */
function download(file: File) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(file);
  a.download = file.name;
  a.click();
  // The download has started from the URL by the next task; keep it a while for slow browsers.
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

declare global {
  interface HTMLElementTagNameMap {
    'ml-classifier': MlClassifier;
  }
}
