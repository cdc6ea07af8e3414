import { html, nothing } from 'lit';
import { perLabelAccuracy } from '../core/metrics.js';
import type { Formats, Strings } from './strings.js';

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
 * @param t the element's texts; `f` its number formats (the page's language).
 */
export function renderConfusionMatrix(labels: string[], matrix: number[][], selected: Cell | undefined, onSelect: (cell: Cell) => void, t: Strings, f: Formats) {
  const rows = perLabelAccuracy(matrix);
  if (rows.every((r) => r.total === 0)) return nothing;
  return html`<table class="per-label">
      <caption>
        ${t.perLabelCaption}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t.label}</th>
          <th scope="col">${t.correct}</th>
          <th scope="col">${t.images}</th>
          <th scope="col">${t.accuracy}</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (r, i) =>
            html`<tr>
              <th scope="row">${labels[i]}</th>
              <td class="number">${f.count(r.correct)}</td>
              <td class="number">${f.count(r.total)}</td>
              <td class="number">${r.total ? f.percent(r.accuracy) : '–'}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <div class="scroll">
      <table part="matrix" class="matrix">
        <caption>
          ${t.matrixCaption}
        </caption>
        <thead>
          <tr>
            <td></td>
            ${labels.map((l) => html`<th scope="col">${l}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${matrix.map(
            (row, actual) =>
              html`<tr>
                <th scope="row">${labels[actual]}</th>
                ${row.map((count, predicted) => {
                  const share = rows[actual].total ? count / rows[actual].total : 0;
                  const kind = actual === predicted ? 'correct' : 'wrong';
                  const pressed = selected?.actual === actual && selected.predicted === predicted;
                  // Shade by a class in tenths of the row, not an inline style, which a strict CSP blocks.
                  return html`<td class=${count ? `${kind} level-${Math.round(share * 10)}` : ''}>
                    ${
                      count
                        ? html`<button
                            type="button"
                            class="cell"
                            aria-pressed=${pressed ? 'true' : 'false'}
                            aria-label=${t.cell(f.count(count), labels[actual], labels[predicted], count)}
                            @click=${() => onSelect({ actual, predicted })}
                          >
                            ${f.count(count)}
                          </button>`
                        : f.count(0)
                    }
                  </td>`;
                })}
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
}
