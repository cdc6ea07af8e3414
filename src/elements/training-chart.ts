import { html, nothing, svg } from 'lit';
import type { TrainingHistory } from '../core/classifier.js';

const WIDTH = 300;
const HEIGHT = 150;
const PAD = { left: 36, right: 8, top: 8, bottom: 24 };

/** One line of a plot: its values per epoch and how it is drawn. */
interface Series {
  name: string;
  values: number[];
  dashed?: boolean;
}

/**
 * Loss and accuracy per epoch, training and validation, as two SVG line plots, with the same
 * figures in a table (the plots' text alternative). Redrawn on every epoch while training.
 *
 * @param history per-epoch figures so far (index 0 = epoch 1).
 * @param epochs the run's epoch count, the x axis' extent, so the lines grow into a fixed frame.
 * @param format formats an accuracy (0-1) for the table, e.g. as a percentage in the page's language.
 */
export function renderTrainingChart(history: TrainingHistory, epochs: number, format: (accuracy: number) => string) {
  const done = history.loss.length;
  if (done === 0) return nothing;
  const maxLoss = Math.max(...history.loss, ...(history.validationLoss ?? []), 1e-6);
  const loss: Series[] = [{ name: 'training', values: history.loss }];
  const accuracy: Series[] = [{ name: 'training', values: history.accuracy }];
  if (history.validationLoss) loss.push({ name: 'validation', values: history.validationLoss, dashed: true });
  if (history.validationAccuracy) accuracy.push({ name: 'validation', values: history.validationAccuracy, dashed: true });
  return html`<figure part="chart" class="chart">
    ${plot('Loss', loss, epochs, maxLoss, (v) => v.toFixed(2))} ${plot('Accuracy', accuracy, epochs, 1, format)}
    <figcaption>
      <span class="key"><span class="swatch"></span> training</span>
      ${history.validationLoss ? html`<span class="key"><span class="swatch dashed"></span> validation</span>` : nothing}
    </figcaption>
    <details>
      <summary>Loss and accuracy per epoch (table)</summary>
      <table>
        <thead>
          <tr>
            <th scope="col">Epoch</th><th scope="col">Loss</th><th scope="col">Accuracy</th>
            ${history.validationLoss ? html`<th scope="col">Validation loss</th><th scope="col">Validation accuracy</th>` : nothing}
          </tr>
        </thead>
        <tbody>
          ${history.loss.map(
            (l, i) => html`<tr>
              <th scope="row">${i + 1}</th><td class="number">${l.toFixed(4)}</td><td class="number">${format(history.accuracy[i])}</td>
              ${history.validationLoss
                ? html`<td class="number">${history.validationLoss[i].toFixed(4)}</td><td class="number">${format(history.validationAccuracy![i])}</td>`
                : nothing}
            </tr>`,
          )}
        </tbody>
      </table>
    </details>
  </figure>`;
}

/** One plot: y from 0 to `max`, x from epoch 1 to `epochs`; the summary is the image's accessible name. */
function plot(title: string, series: Series[], epochs: number, max: number, format: (v: number) => string) {
  const x = (i: number) => PAD.left + (epochs > 1 ? (i / (epochs - 1)) * (WIDTH - PAD.left - PAD.right) : 0);
  const y = (v: number) => PAD.top + (1 - v / max) * (HEIGHT - PAD.top - PAD.bottom);
  const last = series.map((s) => `${s.name} ${format(s.values.at(-1)!)}`).join(', ');
  return html`<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${title} after epoch ${series[0].values.length} of ${epochs}: ${last}">
    <title>${title}</title>
    ${svg`
      <text class="axis" x=${PAD.left} y=${PAD.top + 4} dx="-4" text-anchor="end">${format(max)}</text>
      <text class="axis" x=${PAD.left} y=${HEIGHT - PAD.bottom} dx="-4" text-anchor="end">0</text>
      <text class="axis" x=${x(0)} y=${HEIGHT - 6} text-anchor="middle">1</text>
      <text class="axis" x=${x(epochs - 1)} y=${HEIGHT - 6} text-anchor="end">epoch ${epochs}</text>
      <text class="title" x=${WIDTH - PAD.right} y=${PAD.top + 10} text-anchor="end">${title}</text>
      <line class="frame" x1=${PAD.left} y1=${HEIGHT - PAD.bottom} x2=${WIDTH - PAD.right} y2=${HEIGHT - PAD.bottom}></line>
      <line class="frame" x1=${PAD.left} y1=${PAD.top} x2=${PAD.left} y2=${HEIGHT - PAD.bottom}></line>
      ${series.map(
        (s) => svg`<polyline class=${s.dashed ? 'line dashed' : 'line'} points=${s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}></polyline>`,
      )}
    `}
  </svg>`;
}
