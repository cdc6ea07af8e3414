// The classify section: its drop zone and buttons, the live camera view and the list of
// classified images, each with its top labels.
import { html, nothing } from 'lit';
import type { PredictedDetail } from '../types.js';
import type { Formats, Strings } from './strings.js';
import type { ShownPrediction } from './training-controller.js';

/** Labels shown with probability bars under each classified image. */
const TOP_LABELS = 3;

/** What the section shows, and where each action goes. */
export interface ClassifyPanel {
  /** Highlights the drop zone while a drag is over it. */
  dragging: boolean;
  /** Offers the camera (the `webcam` attribute). */
  webcam: boolean;
  /** The camera's stream while it runs. */
  stream?: MediaStream;
  /** The camera's last prediction. */
  live?: PredictedDetail;
  predictions: ShownPrediction[];
  onDragOver(event: DragEvent): void;
  onDragLeave(): void;
  onDrop(event: DragEvent): void;
  onChooseImages(): void;
  onImagesChosen(): void;
  onStartCamera(): void;
  onStopCamera(): void;
}

export function renderClassifyPanel(c: ClassifyPanel, t: Strings, f: Formats) {
  return html`<section aria-label=${t.classifyLabel}>
    <div part="dropzone" class=${c.dragging ? 'dragging' : ''} @dragover=${c.onDragOver} @dragleave=${c.onDragLeave} @drop=${c.onDrop}>
      <p>${t.dropClassify}</p>
      <button part="button" type="button" @click=${c.onChooseImages}>${t.chooseImages}</button>
      ${
        c.webcam
          ? c.stream
            ? html`<button part="button" type="button" @click=${c.onStopCamera}>${t.stopCamera}</button>`
            : html`<button part="button" type="button" @click=${c.onStartCamera}>${t.startCamera}</button>`
          : nothing
      }
      <input type="file" name="classify" accept="image/*" multiple hidden @change=${c.onImagesChosen} />
    </div>
    ${
      c.stream
        ? html`<figure class="webcam">
            <video part="webcam" muted playsinline aria-label=${t.camera}></video>
            <figcaption>${c.live ? renderScores(c.live, f) : html`<span class="muted">${t.startingCamera}</span>`}</figcaption>
          </figure>`
        : nothing
    }
    <ul part="predictions">
      ${c.predictions.map(
        (p) =>
          html`<li>
            ${p.thumbnail ? html`<img src=${p.thumbnail} alt=${p.source} />` : nothing}
            <div><code>${p.source}</code></div>
            ${p.prediction ? renderScores(p.prediction, f) : p.error ? html`<div class="error">${t.error(p.error.code, p.error.message)}</div>` : html`<div class="muted">${t.classifying}</div>`}
          </li>`,
      )}
    </ul>
  </section>`;
}

/** The top labels of a prediction with probability bars. */
function renderScores(p: PredictedDetail, f: Formats) {
  return html`<ol class="scores">
    ${p.scores.slice(0, TOP_LABELS).map(
      (s) =>
        html`<li>
          <span class="label" title=${s.label}>${s.label}</span>
          <meter min="0" max="1" .value=${s.probability} aria-label=${s.label}></meter>
          <span class="number">${f.percent(s.probability)}</span>
        </li>`,
    )}
  </ol>`;
}
