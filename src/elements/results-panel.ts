// The results panel: a loaded model's summary, or a run's accuracies, plots, confusion matrix,
// counts per label and skipped files.
import { html, nothing } from 'lit';
import type { DataLoadedDetail, LoadedModel, TrainedDetail } from '../types.js';
import { renderConfusionMatrix, type Cell } from './confusion-matrix.js';
import type { Formats, Strings } from './strings.js';
import { renderTrainingChart } from './training-chart.js';

/** What the panel shows, and where a click goes. */
export interface Results {
  loadedModel?: { source: string } & LoadedModel;
  data?: DataLoadedDetail;
  result?: TrainedDetail;
  selectedCell?: Cell;
  cellImages: { path: string; url: string }[];
  onSave(): void;
  onSelectCell(cell: Cell | undefined): void;
}

export function renderResults(r: Results, t: Strings, f: Formats) {
  if (r.loadedModel) {
    const { source, metadata, ignored } = r.loadedModel;
    return html`<section part="results" aria-label=${t.resultsLabel}>
      <p><strong>${t.loadedModel(metadata.modelName, source, metadata.labels)}</strong></p>
      <p class="muted">${t.savedWith(metadata.timeStamp, metadata.tfjsVersion, metadata.tmVersion)}</p>
      ${ignored.length ? html`<p>${t.ignoredFiles(ignored.join(', '))}</p>` : nothing}
    </section>`;
  }
  const data = r.result ?? r.data;
  if (!data) return nothing;
  const result = r.result;
  const total = (split: 'train' | 'validation') => Object.values(data.counts).reduce((n, c) => n + c[split], 0);
  const headline = (text: (a: string, c: string, n: string) => string, accuracy: number, n: number) => text(f.percent(accuracy), f.count(Math.round(accuracy * n)), f.count(n));
  return html`<section part="results" aria-label=${t.resultsLabel}>
    ${
      result
        ? html`<p>
              <strong>${headline(t.trainingAccuracy, result.accuracy, total('train'))}</strong> ·
              <strong>${result.validationAccuracy === null ? t.noValidation : headline(t.validationAccuracy, result.validationAccuracy, total('validation'))}</strong>
            </p>
            <p class="muted">${t.backendAndTime(result.backend, f.decimal(result.durationMs / 1000, 1))} <button part="button" type="button" @click=${r.onSave}>${t.saveModel}</button></p>
            ${renderTrainingChart(result.history, result.history.loss.length, t, f)} ${renderConfusionMatrix(result.labels, result.confusionMatrix, r.selectedCell, r.onSelectCell, t, f)}
            ${renderCellImages(r, result, t, f)}`
        : nothing
    }
    <table>
      <caption>
        ${t.imagesPerLabel}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t.label}</th>
          <th scope="col">${t.trainingImages}</th>
          <th scope="col">${t.validationImages}</th>
        </tr>
      </thead>
      <tbody>
        ${data.labels.map(
          (label) =>
            html`<tr>
              <th scope="row">${label}</th>
              <td class="number">${f.count(data.counts[label]?.train ?? 0)}</td>
              <td class="number">${f.count(data.counts[label]?.validation ?? 0)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${
      data.skipped.length
        ? html`<details>
            <summary>${t.skipped(f.count(data.skipped.length), data.skipped.length)}</summary>
            <ul>
              ${data.skipped.map((s) => html`<li><code>${s.path}</code>: ${s.reason}</li>`)}
            </ul>
          </details>`
        : nothing
    }
    ${data.ignored.length ? html`<p class="muted ignored">${t.ignoredSystemFiles(f.count(data.ignored.length), data.ignored.length, data.ignored.join(', '))}</p>` : nothing}
  </section>`;
}

/** The validation images counted in the selected confusion-matrix cell. */
function renderCellImages(r: Results, result: TrainedDetail, t: Strings, f: Formats) {
  const cell = r.selectedCell;
  if (!cell) return nothing;
  return html`<figure class="cell-images">
    <figcaption>${t.cell(f.count(r.cellImages.length), result.labels[cell.actual], result.labels[cell.predicted], r.cellImages.length)}</figcaption>
    <ul>
      ${r.cellImages.map((image) => html`<li><img src=${image.url} alt=${image.path} title=${image.path} /></li>`)}
    </ul>
  </figure>`;
}
