import { html, nothing } from 'lit';
import { perLabelAccuracy } from '../core/metrics.js';

/** A confusion-matrix cell: `actual` and `predicted` label indices. */
export interface Cell {
  actual: number;
  predicted: number;
}

/**
 * Per-label accuracy and the confusion matrix on the validation images, as real tables with
 * headers. Each non-empty cell is a button; pressing it calls `onSelect` so the element can
 * show the images counted there.
 *
 * @param matrix `[labels.length, labels.length]`, `matrix[actual][predicted]` images.
 * @param format formats an accuracy (0-1), e.g. as a percentage in the page's language.
 */
export function renderConfusionMatrix(
  labels: string[],
  matrix: number[][],
  selected: Cell | undefined,
  onSelect: (cell: Cell) => void,
  format: (accuracy: number) => string,
) {
  const rows = perLabelAccuracy(matrix);
  if (rows.every((r) => r.total === 0)) return nothing;
  return html`<table class="per-label">
      <caption>Validation accuracy per label</caption>
      <thead><tr><th scope="col">Label</th><th scope="col">Correct</th><th scope="col">Images</th><th scope="col">Accuracy</th></tr></thead>
      <tbody>
        ${rows.map(
          (r, i) => html`<tr><th scope="row">${labels[i]}</th><td class="number">${r.correct}</td><td class="number">${r.total}</td>
            <td class="number">${r.total ? format(r.accuracy) : '–'}</td></tr>`,
        )}
      </tbody>
    </table>
    <div class="scroll">
      <table part="matrix" class="matrix">
        <caption>Confusion matrix on the validation images: rows are the true labels, columns the predicted ones. Select a number to see those images.</caption>
        <thead>
          <tr><td></td>${labels.map((l) => html`<th scope="col">${l}</th>`)}</tr>
        </thead>
        <tbody>
          ${matrix.map(
            (row, actual) => html`<tr>
              <th scope="row">${labels[actual]}</th>
              ${row.map((count, predicted) => {
                const share = rows[actual].total ? count / rows[actual].total : 0;
                const kind = actual === predicted ? 'correct' : 'wrong';
                const pressed = selected?.actual === actual && selected.predicted === predicted;
                return html`<td class=${count ? kind : ''} style="--share: ${Math.round(share * 100)}%">
                  ${count
                    ? html`<button type="button" class="cell" aria-pressed=${pressed ? 'true' : 'false'}
                        aria-label="${count} image(s) of ${labels[actual]} predicted as ${labels[predicted]}"
                        @click=${() => onSelect({ actual, predicted })}>${count}</button>`
                    : '0'}
                </td>`;
              })}
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
}
