import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type * as tf from '../core/tf.js';
import type { BackendPreference } from '../core/backend.js';
import type { BaseModelId, InputRange, Pooling } from '../core/base-models.js';
import { DEFAULT_TRAIN_OPTIONS } from '../core/train-options.js';
import type { ModelMetadata } from '../core/model-io.js';
import { DEFAULT_ORGANIZE_OPTIONS, type FileWithPath, type Layout } from '../io/dataset.js';
import { readDrop } from '../io/drop.js';
import type { MemoryInfo, Phase, PredictedDetail, Thread, TrainedDetail, TrainerOptions } from '../types.js';
import { renderAdvanced } from './advanced-settings.js';
import { renderClassifyPanel } from './classify-panel.js';
import { styles } from './ml-classifier.styles.js';
import { renderResults } from './results-panel.js';
import { DEFAULT_STRINGS, formats, type Formats, type Strings } from './strings.js';
import { renderTrainingChart } from './training-chart.js';
import { TrainingController, alreadyReported, type Announcement, type Status } from './training-controller.js';
import { WebcamController } from './webcam-controller.js';

export type { Status };

/**
 * The `input-range` attribute's converter: `"-1,1"` or `"0,1"` (spaces allowed) to a `[min, max]`
 * pair. Text that is not two numbers is kept as it is, so the engine's `invalid-option` quotes it.
 */
const inputRangeConverter = {
  fromAttribute(value: string | null): InputRange | undefined {
    if (value === null) return undefined;
    const parts = value.split(',').map((p) => p.trim());
    const numbers = parts.map(Number);
    return parts.length === 2 && parts.every((p) => p !== '') && numbers.every(Number.isFinite) ? [numbers[0], numbers[1]] : (value as unknown as InputRange);
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

  private readonly training = new TrainingController(this, () => this.trainerOptions());
  private readonly camera = new WebcamController(this, {
    canClassify: () => this.canClassify,
    classify: (video) => this.training.predict(video, 'webcam'),
    onError: (error) => this.training.fail(error, 'webcam', 'webcam'),
    video: () => this.video,
  });
  /** Which drop zone a drag is over, for its highlight. */
  private dragging?: 'training' | 'classify';
  @query('input[name="training-data"]') private folderInput!: HTMLInputElement;
  @query('input[name="training-files"]') private filesInput!: HTMLInputElement;
  @query('input[name="classify"]') private imageInput!: HTMLInputElement;
  @query('input[name="model-files"]') private modelInput!: HTMLInputElement;
  @query('video') private video: HTMLVideoElement | undefined;

  /**
   * Where the model runs (read-only): `worker` (a Web Worker of this element's own) or `main` (the
   * page: `main-thread` set, no `Worker`/`OffscreenCanvas`, or the worker could not start). Before
   * the model's engine has started (`start()`, or the first `train()`/`load()`/`src`) it says where
   * the model is meant to run; afterwards, where it runs.
   */
  get thread(): Thread {
    return this.training.thread;
  }

  /**
   * Starts the model's engine now instead of on first use: the element's worker starts (from a
   * bundle on another origin too, see the README), or the in-page engine loads where it cannot.
   * Optional: `train()`, `load()` and `src` start it themselves.
   * @returns where the model runs: `worker` or `main` (then also `thread`).
   */
  start(): Promise<Thread> {
    return this.training.start();
  }

  /**
   * TensorFlow.js memory where the model runs: `tf.memory()` in the element's worker, or the
   * page's (shared with any other TensorFlow.js use on the page) with `thread` `main`. After the
   * element's removal ended its worker, the figures the worker reported once it had freed
   * everything; zeros before any model work.
   * @returns `{ numTensors, numBytes }`: tensors alive and the bytes their data holds.
   */
  async memory(): Promise<MemoryInfo> {
    return this.training.memory();
  }

  /** The last `trained` detail, or undefined before training. */
  get trainedDetail(): TrainedDetail | undefined {
    return this.training.result;
  }

  /**
   * Trains on files, as if they had been dropped: `File`s from a folder input keep their
   * `webkitRelativePath`; for other files pass `{ file, path }` with a `/`-separated path such as
   * `train/cat/1.jpg`.
   *
   * Fires `data-loaded`, `progress-changed`, then `trained`, or `failed`.
   * @returns the `trained` detail.
   * @throws ClassifierError (also fired as `failed`): `busy`, `invalid-option` (naming the
   *   attribute), `too-few-labels`, `no-images`, `no-label-file`, `model-load-failed`,
   *   `backend-unavailable`, `aborted`, `diverged`, `context-lost`.
   */
  train(files: Array<File | FileWithPath>, options: { signal?: AbortSignal } = {}): Promise<TrainedDetail> {
    return this.training.train(files, options);
  }

  /**
   * Classifies one image with the last trained or loaded model and fires `predicted`.
   *
   * @param input a `File`/`Blob`, `<img>`, `<canvas>`, `<video>`, `ImageBitmap`, `ImageData`, or a
   *   `[h, w, 3]` tensor (0-255), all preprocessed like the training images.
   * @param source name reported in the detail; default: the file's path or name.
   * @throws ClassifierError (also fired as `failed`): `not-trained`, `invalid-image`.
   */
  predict(input: ImageBitmapSource | tf.Tensor3D, source?: string): Promise<PredictedDetail> {
    return this.training.predict(input, source);
  }

  /**
   * Saves the last trained (or loaded) model: ONE tfjs layers model (the base's cut and the head
   * joined; with a graph base, the head alone) as `model.json` + `weights.bin`, plus a
   * Teachable-Machine-compatible `metadata.json` (labels in output order, preprocessing, base
   * model and layer, tfjs version, date). Load it back with `src`/`load()`, or in any tfjs program
   * with `tf.loadLayersModel`.
   *
   * @param destination `downloads` (default: the browser downloads the three files), or a
   *   TensorFlow.js URL such as `indexeddb://my-model` (the metadata is stored inside `model.json`).
   * @returns the three files.
   * @throws ClassifierError (also fired as `failed`): `not-trained`; the storage's error (quota).
   */
  async save(destination = 'downloads'): Promise<File[]> {
    const files = await this.training.save(destination === 'downloads' ? undefined : destination);
    if (destination === 'downloads') for (const file of files) download(file);
    return files;
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
  load(source: string | File[] | FileList): Promise<ModelMetadata> {
    return this.training.load(source);
  }

  /** Stops training at the next batch; `train()` rejects with `aborted` and no `trained` fires. */
  abort(): void {
    this.training.abort();
  }

  /**
   * Starts live classification from the camera (`getUserMedia`, preferring a rear camera).
   * A second call while the first waits for permission returns the same promise.
   * @throws ClassifierError (also fired as `failed`): `camera-unavailable` (not allowed, no camera,
   *   in use; the browser's error is its `cause`), or `not-trained` when no model is ready.
   */
  startWebcam(): Promise<void> {
    return this.camera.start();
  }

  /** Stops live classification and releases the camera (also one still being asked for). */
  stopWebcam(): void {
    this.camera.stop();
  }

  /** Whether a model is ready to classify. */
  private get canClassify(): boolean {
    return this.training.labels.length > 0;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('paste', this.handlePaste);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('paste', this.handlePaste);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('src') && this.src) void this.training.loadSrc(this.src);
    if (changed.has('webcam') && !this.webcam) this.camera.stop();
  }

  /** The options of a run, from the properties. */
  private trainerOptions(): TrainerOptions {
    return {
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
    };
  }

  override render() {
    const { training, t, f } = this;
    const busy = training.busy;
    return html`
      <div
        part="dropzone"
        class=${this.dragging === 'training' ? 'dragging' : ''}
        @dragover=${(e: DragEvent) => this.handleDragOver(e, 'training')}
        @dragleave=${this.handleDragLeave}
        @drop=${this.handleTrainingDrop}
      >
        <slot name="empty-state"><p>${t.dropTraining}</p></slot>
        <slot name="actions">
          <button part="button" type="button" ?disabled=${busy} @click=${() => this.folderInput.click()}>${t.chooseFolder}</button>
          <button part="button" type="button" ?disabled=${busy} @click=${() => this.filesInput.click()}>${t.chooseFiles}</button>
          <button part="button" type="button" ?disabled=${busy} @click=${() => this.modelInput.click()}>${t.openModel}</button>
        </slot>
        ${renderAdvanced(
          {
            baseModel: this.baseModel,
            modelUrl: this.modelUrl,
            epochs: this.epochs,
            augment: this.augment,
            busy,
            onBaseModel: (id) => (this.baseModel = id),
            onEpochs: (epochs) => (this.epochs = epochs),
            onAugment: (copies) => (this.augment = copies),
          },
          t,
          f,
        )}
        <input type="file" name="training-data" webkitdirectory multiple hidden @change=${() => this.handleTrainingChosen(this.folderInput)} />
        <input type="file" name="training-files" multiple hidden @change=${() => this.handleTrainingChosen(this.filesInput)} />
        <input type="file" name="model-files" accept=".json,.bin" multiple hidden @change=${this.handleModelChosen} />
      </div>
      ${this.renderProgress()}
      ${renderResults(
        {
          loadedModel: training.loadedModel,
          data: training.data,
          result: training.result,
          selectedCell: training.selectedCell,
          cellImages: training.cellImages,
          onSave: () => void this.save().catch(alreadyReported),
          onSelectCell: (cell) => training.selectCell(cell),
        },
        t,
        f,
      )}
      ${
        this.canClassify
          ? renderClassifyPanel(
              {
                dragging: this.dragging === 'classify',
                webcam: this.webcam,
                stream: this.camera.stream,
                live: this.camera.live,
                predictions: training.predictions,
                onDragOver: (e) => this.handleDragOver(e, 'classify'),
                onDragLeave: this.handleDragLeave,
                onDrop: this.handleClassifyDrop,
                onChooseImages: () => this.imageInput.click(),
                onImagesChosen: this.handleImagesChosen,
                onStartCamera: () => void this.startWebcam().catch(alreadyReported),
                onStopCamera: () => this.stopWebcam(),
              },
              t,
              f,
            )
          : // Shown while a model is usable, including during and after a failed retrain.
            nothing
      }
      <p part="error" role="alert" class="error">${training.error ? t.error(training.error.code, training.error.message) : ''}</p>
      <div class="visually-hidden" role="status" aria-live="polite">${this.announcementText(training.announcement)}</div>
    `;
  }

  private renderProgress() {
    const p = this.training.progress;
    if (!p || !this.training.busy) return nothing;
    const { t, f } = this;
    const phase = t[PHASE_TEXT[p.phase]];
    const unit = p.phase === 'training' ? t.epochsDone(f.count(p.done), f.count(p.total)) : p.phase === 'reading' ? t.imagesDone(f.count(p.done), f.count(p.total)) : '';
    const figures = p.loss === undefined ? '' : ` · ${t.lastEpoch(f.decimal(p.loss, 3), f.percent(p.accuracy!))}`;
    const history = this.training.history;
    return html`<div part="progress">
      <p>${phase}${unit ? `: ${unit}` : ''}${figures}</p>
      <progress max=${p.total} .value=${p.done} aria-label=${phase} aria-valuetext=${unit || phase}></progress>
      <button part="button" type="button" @click=${() => this.abort()}>${t.stop}</button>
      ${history ? renderTrainingChart(history, p.total, t, f) : nothing}
    </div>`;
  }

  /** What the polite live region says: phase changes and results, not every image or epoch. */
  private announcementText(a: Announcement | undefined): string {
    if (!a) return '';
    const { t, f } = this;
    if ('phase' in a) return t[PHASE_TEXT[a.phase]];
    if ('trained' in a) {
      const { accuracy, validationAccuracy } = a.trained;
      return t.trainedAnnouncement(f.percent(accuracy), validationAccuracy === null ? null : f.percent(validationAccuracy));
    }
    return t.loadedModel(a.loaded.metadata.modelName, a.loaded.source, a.loaded.metadata.labels);
  }

  /** The texts in use: {@link strings} over the English defaults. */
  private get t(): Strings {
    return { ...DEFAULT_STRINGS, ...this.strings };
  }

  /** Number formats in the page's language: the closest `lang` attribute, else the browser's. */
  private get f(): Formats {
    return formats((this.closest('[lang]') as HTMLElement | null)?.lang || undefined);
  }

  private handleDragOver(event: DragEvent, zone: 'training' | 'classify') {
    event.preventDefault();
    this.dragging = zone;
    this.requestUpdate();
  }

  private handleDragLeave = () => {
    this.dragging = undefined;
    this.requestUpdate();
  };

  private handleTrainingDrop = (event: DragEvent) => {
    event.preventDefault();
    this.dragging = undefined;
    this.requestUpdate();
    if (!event.dataTransfer) return;
    if (this.training.busy) return this.training.refuseWhileBusy();
    readDrop(event.dataTransfer).then(
      // Another run may have started while the folder was being read.
      (files) => (this.training.busy ? this.training.refuseWhileBusy() : this.train(files).catch(alreadyReported)),
      (error) => this.training.fail(error, 'reading'),
    );
  };

  private handleTrainingChosen(input: HTMLInputElement) {
    const files = [...(input.files ?? [])];
    input.value = '';
    if (files.length) this.train(files).catch(alreadyReported);
  }

  private handleModelChosen = () => {
    const files = [...(this.modelInput.files ?? [])];
    this.modelInput.value = '';
    if (files.length) this.load(files).catch(alreadyReported);
  };

  private handleClassifyDrop = (event: DragEvent) => {
    event.preventDefault();
    this.dragging = undefined;
    this.requestUpdate();
    void this.training.classifyFiles([...(event.dataTransfer?.files ?? [])]);
  };

  private handleImagesChosen = () => {
    const files = [...(this.imageInput.files ?? [])];
    this.imageInput.value = '';
    void this.training.classifyFiles(files);
  };

  private handlePaste = (event: ClipboardEvent) => {
    const files = [...(event.clipboardData?.files ?? [])].filter((f) => f.type.startsWith('image/'));
    if (files.length && this.canClassify) void this.training.classifyFiles(files);
  };
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
