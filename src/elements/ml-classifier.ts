import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type * as tf from '@tensorflow/tfjs';
import type { BackendPreference } from '../core/backend.js';
import { ClassifierError, errors } from '../core/errors.js';
import { DEFAULT_MODEL_URL } from '../core/feature-extractor.js';
import { DEFAULT_TRAIN_OPTIONS } from '../core/classifier.js';
import { DEFAULT_ORGANIZE_OPTIONS, withPath, type FileWithPath, type Layout } from '../io/dataset.js';
import { readDrop } from '../io/drop.js';
import { DataLoadedEvent, FailedEvent, PredictedEvent, ProgressChangedEvent, TrainedEvent, type FailedDetail } from '../events.js';
import { Trainer, type DataLoadedDetail, type Phase, type PredictedDetail, type Progress, type TrainedDetail } from '../trainer.js';
import { styles } from './ml-classifier.styles.js';

/** What the element is doing; reflected to the `status` attribute for styling. */
export type Status = 'idle' | Phase | 'trained' | 'error';

/** One classified image shown in the predictions list. */
interface ShownPrediction {
  source: string;
  thumbnail?: string;
  prediction?: PredictedDetail;
  error?: string;
}

const PHASE_TEXT: Record<Phase, string> = {
  'loading-model': 'Loading the base model',
  reading: 'Reading images and computing activations',
  training: 'Training',
};

/**
 * `<ml-classifier>`: drop a folder of labelled images on it, and it trains an image classifier in
 * the browser (MobileNet v1 0.25 activations + a small dense head), shows training and validation
 * accuracy, then classifies the images dropped on it. Nothing leaves the page.
 *
 * @summary Train and use an image classifier from a folder of photos.
 *
 * @fires data-loaded - {@link DataLoadedEvent} once the files are sorted into labels: `{ labels, counts, skipped }`.
 * @fires progress-changed - {@link ProgressChangedEvent} as each phase advances: `{ phase, done, total, loss?, accuracy? }`.
 * @fires trained - {@link TrainedEvent} when training finishes: `{ labels, accuracy, validationAccuracy, counts, history, backend, durationMs, phaseMs, skipped }`.
 * @fires predicted - {@link PredictedEvent} for each classified image: `{ source, label, confidence, scores }`.
 * @fires failed - {@link FailedEvent} when training or a prediction fails: `{ code, message, during, source? }`.
 *
 * @csspart dropzone - The training and the classify drop zones.
 * @csspart button - The folder and image buttons.
 * @csspart progress - The progress display.
 * @csspart results - The results panel.
 * @csspart predictions - The list of classified images.
 *
 * @cssprop [--ml-classifier-accent=#2563eb] - Buttons, focus ring and drop highlight.
 * @cssprop [--ml-classifier-surface=#ffffff] - Background.
 * @cssprop [--ml-classifier-text=#1f2937] - Text colour.
 * @cssprop [--ml-classifier-radius=8px] - Corner radius.
 * @cssprop [--ml-classifier-font=system-ui, sans-serif] - Font family.
 */
@customElement('ml-classifier')
export class MlClassifier extends LitElement {
  static override styles = styles;

  /** URL of a MobileNet v1 0.25 224 tfjs layers `model.json` (weights next to it). Default: the public tfjs-models copy. */
  @property({ attribute: 'model-url' }) modelUrl = DEFAULT_MODEL_URL;
  /** Training epochs (integer >= 1). */
  @property({ type: Number }) epochs: number = DEFAULT_TRAIN_OPTIONS.epochs;
  /** Examples per gradient step; unset = 40% of the training images (the original engine's rule). */
  @property({ type: Number, attribute: 'batch-size' }) batchSize?: number;
  /** Adam learning rate (> 0). */
  @property({ type: Number, attribute: 'learning-rate' }) learningRate: number = DEFAULT_TRAIN_OPTIONS.learningRate;
  /** Units in the head's hidden dense layer (integer >= 1). */
  @property({ type: Number, attribute: 'hidden-units' }) hiddenUnits: number = DEFAULT_TRAIN_OPTIONS.hiddenUnits;
  /** `auto` (WebGL on a real GPU, else WASM, else CPU), or force `webgl`, `wasm` or `cpu`. */
  @property() backend: BackendPreference = 'auto';
  /**
   * Folder URL (trailing slash) of `tfjs-backend-wasm*.wasm`. Default: the folder this module was
   * loaded from, where the build puts them next to `ml-classifier.js`.
   */
  @property({ attribute: 'wasm-path' }) wasmPath = new URL('./', import.meta.url).href;
  /** Share (0-1) of each label held out for validation when the folder has no validation folder. */
  @property({ type: Number, attribute: 'validation-split' }) validationSplit: number = DEFAULT_ORGANIZE_OPTIONS.validationSplit;
  /** Seed of that held-out draw: the same seed and files give the same split. */
  @property({ type: Number }) seed: number = DEFAULT_ORGANIZE_OPTIONS.seed;
  /** Where labels come from: `auto`, `folders`, `flat` (from file names) or `csv` (see the README). */
  @property() layout: Layout = DEFAULT_ORGANIZE_OPTIONS.layout;
  /** The `flat` layout's rule, file name → label; default strips the extension and a trailing number (`drum-1.jpg` → `drum`). */
  @property({ attribute: false }) labelFromFileName?: (fileName: string) => string;
  /** What the element is doing (read-only; reflected for `:host([status=...])` styles). */
  @property({ reflect: true }) status: Status = 'idle';

  @state() private progress?: Progress;
  @state() private data?: DataLoadedDetail;
  @state() private result?: TrainedDetail;
  @state() private predictions: ShownPrediction[] = [];
  @state() private errorMessage = '';
  @state() private dragging?: 'training' | 'classify';
  @query('input[name="training-data"]') private folderInput!: HTMLInputElement;
  @query('input[name="training-files"]') private filesInput!: HTMLInputElement;
  @query('input[name="classify"]') private imageInput!: HTMLInputElement;

  private readonly trainer = new Trainer();

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
   * @throws ClassifierError (also fired as `failed`): `busy`, `too-few-labels`, `no-images`,
   *   `model-load-failed`, `backend-unavailable`, `aborted`, `diverged`.
   */
  async train(files: Array<File | FileWithPath>, options: { signal?: AbortSignal } = {}): Promise<TrainedDetail> {
    // Refused here, before the running run's display is cleared below.
    if (this.trainer.busy) {
      const error = errors.busy();
      this.fail(error, this.progress?.phase ?? 'reading');
      throw error;
    }
    const entries = files.map((f) => (f instanceof File ? withPath(f) : f));
    let phase: Phase = 'reading';
    const previous = this.result;
    this.errorMessage = '';
    this.result = undefined;
    this.data = undefined;
    this.clearPredictions();
    try {
      const detail = await this.trainer.train(
        entries,
        {
          modelUrl: this.modelUrl,
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
            phase = progress.phase;
            this.progress = progress;
            this.status = progress.phase;
            this.dispatchEvent(new ProgressChangedEvent(progress));
          },
        },
      );
      this.result = detail;
      this.status = 'trained';
      this.dispatchEvent(new TrainedEvent(detail));
      return detail;
    } catch (error) {
      // An aborted retrain keeps the previous model, so keep showing its results.
      if (error instanceof ClassifierError && error.code === 'aborted' && previous && this.trainer.labels.length) this.result = previous;
      this.fail(error, phase);
      throw error;
    }
  }

  /**
   * Classifies one image with the last trained model and fires `predicted`.
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
      this.fail(error, 'predict', source ?? (input instanceof File ? input.name : undefined));
      throw error;
    }
  }

  /** Stops training at the next batch; `train()` rejects with `aborted` and no `trained` fires. */
  abort(): void {
    this.trainer.abort();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('paste', this.handlePaste);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('paste', this.handlePaste);
    // A move within the page reconnects in the same task; only a real removal frees the model.
    queueMicrotask(() => {
      if (!this.isConnected) {
        this.trainer.dispose();
        this.clearPredictions();
        this.result = undefined;
        this.data = undefined;
        this.status = 'idle';
      }
    });
  }

  override render() {
    const busy = this.trainer.busy;
    return html`
      <div part="dropzone" class=${this.dragging === 'training' ? 'dragging' : ''}
        @dragover=${(e: DragEvent) => this.handleDragOver(e, 'training')}
        @dragleave=${this.handleDragLeave}
        @drop=${this.handleTrainingDrop}>
        <p>Drop a folder of labelled images here: one folder per label (optionally inside
          <code>train</code> and <code>validation</code> folders), images named <code>label-1.jpg</code>,
          or images with a CSV of <code>file,label</code>.</p>
        <button part="button" type="button" ?disabled=${busy} @click=${() => this.folderInput.click()}>Choose training folder</button>
        <button part="button" type="button" ?disabled=${busy} @click=${() => this.filesInput.click()}>Choose training files</button>
        <input type="file" name="training-data" webkitdirectory multiple hidden @change=${() => this.handleTrainingChosen(this.folderInput)} />
        <input type="file" name="training-files" multiple hidden @change=${() => this.handleTrainingChosen(this.filesInput)} />
      </div>
      ${this.renderProgress()} ${this.renderResults()} ${this.renderClassify()}
      <p role="alert" class="error">${this.errorMessage}</p>
    `;
  }

  private renderProgress() {
    const p = this.progress;
    if (!p || !this.trainer.busy) return nothing;
    const unit = p.phase === 'training' ? `epoch ${p.done} of ${p.total}` : p.phase === 'reading' ? `${p.done} of ${p.total} images` : '';
    const figures = p.loss === undefined ? '' : ` · loss ${p.loss.toFixed(3)} · accuracy ${percent(p.accuracy!)}`;
    return html`<div part="progress">
      <p role="status">${PHASE_TEXT[p.phase]}${unit ? `: ${unit}` : ''}${figures}</p>
      <progress max=${p.total} .value=${p.done} aria-label=${PHASE_TEXT[p.phase]}></progress>
      <button part="button" type="button" @click=${() => this.abort()}>Stop</button>
    </div>`;
  }

  private renderResults() {
    const data = this.result ?? this.data;
    if (!data) return nothing;
    const r = this.result;
    return html`<section part="results" aria-label="Results">
      ${r
        ? html`<p role="status"><strong>Training accuracy ${percent(r.accuracy)}</strong> ·
            <strong>validation accuracy ${r.validationAccuracy === null ? 'n/a (no validation images)' : percent(r.validationAccuracy)}</strong></p>
            <p class="muted">Backend ${r.backend} · ${(r.durationMs / 1000).toFixed(1)} s</p>`
        : nothing}
      <table>
        <caption class="visually-hidden">Images per label</caption>
        <thead><tr><th scope="col">Label</th><th scope="col">Training images</th><th scope="col">Validation images</th></tr></thead>
        <tbody>
          ${data.labels.map((label) => html`<tr><th scope="row">${label}</th>
            <td class="number">${data.counts[label]?.train ?? 0}</td><td class="number">${data.counts[label]?.validation ?? 0}</td></tr>`)}
        </tbody>
      </table>
      ${data.skipped.length
        ? html`<details><summary>${data.skipped.length} file(s) skipped</summary>
            <ul>${data.skipped.map((s) => html`<li><code>${s.path}</code>: ${s.reason}</li>`)}</ul></details>`
        : nothing}
    </section>`;
  }

  private renderClassify() {
    // Shown while a model is usable, including during and after a failed retrain.
    if (this.trainer.labels.length === 0) return nothing;
    return html`<section aria-label="Classify images">
      <div part="dropzone" class=${this.dragging === 'classify' ? 'dragging' : ''}
        @dragover=${(e: DragEvent) => this.handleDragOver(e, 'classify')}
        @dragleave=${this.handleDragLeave}
        @drop=${this.handleClassifyDrop}>
        <p>Drop or paste images here to classify them.</p>
        <button part="button" type="button" @click=${() => this.imageInput.click()}>Choose images to classify</button>
        <input type="file" name="classify" accept="image/*" multiple hidden @change=${this.handleImagesChosen} />
      </div>
      <ul part="predictions">
        ${this.predictions.map((p) => html`<li>
          ${p.thumbnail ? html`<img src=${p.thumbnail} alt=${p.source} />` : nothing}
          <div><code>${p.source}</code></div>
          ${p.prediction
            ? html`<div><strong>${p.prediction.label}</strong> ${percent(p.prediction.confidence)}</div>`
            : p.error
              ? html`<div class="error">${p.error}</div>`
              : html`<div class="muted">Classifying…</div>`}
        </li>`)}
      </ul>
    </section>`;
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
        shown[i].error = error instanceof Error ? error.message : String(error);
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
    // second run leaves the running one's display alone.
    if (during !== 'predict' && this.isConnected && code !== 'busy') {
      this.status = code === 'aborted' && this.result ? 'trained' : 'error';
      this.errorMessage = message;
    }
    this.dispatchEvent(new FailedEvent({ code, message, during, source }));
  }
}

function percent(value: number): string {
  return new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 }).format(value);
}

declare global {
  interface HTMLElementTagNameMap {
    'ml-classifier': MlClassifier;
  }
}
