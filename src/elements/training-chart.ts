import { html, nothing, svg } from 'lit';
import type { TrainingHistory } from '../core/classifier.js';
import type { Formats, Strings } from './strings.js';

const WIDTH = 300;
const HEIGHT = 150;
/** The plot area's margins; the top one holds the plot's title, clear of the lines (a 100% accuracy line runs along the top). */
const PAD = { left: 36, right: 8, top: 22, bottom: 24 };

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
 * @param t the element's texts; `f` its number formats (the page's language).
 */
export function renderTrainingChart(history: TrainingHistory, epochs: number, t: Strings, f: Formats) {
  const done = history.loss.length;
  if (done === 0) return nothing;
  const maxLoss = Math.max(...history.loss, ...(history.validationLoss ?? []), 1e-6);
  const loss: Series[] = [{ name: t.trainingSeries, values: history.loss }];
  const accuracy: Series[] = [{ name: t.trainingSeries, values: history.accuracy }];
  if (history.validationLoss) loss.push({ name: t.validationSeries, values: history.validationLoss, dashed: true });
  if (history.validationAccuracy) accuracy.push({ name: t.validationSeries, values: history.validationAccuracy, dashed: true });
  const lossText = (v: number) => f.decimal(v, 4);
  return html`<figure part="chart" class="chart">
    ${plot(t.lossTitle, loss, epochs, maxLoss, (v) => f.decimal(v, 2), t, f)} ${plot(t.accuracyTitle, accuracy, epochs, 1, f.percent, t, f)}
    <figcaption>
      <span class="key"><span class="swatch"></span> ${t.trainingSeries}</span>
      ${history.validationLoss ? html`<span class="key"><span class="swatch dashed"></span> ${t.validationSeries}</span>` : nothing}
    </figcaption>
    <details>
      <summary>${t.perEpochTable}</summary>
      <table>
        <thead>
          <tr>
            <th scope="col">${t.epoch}</th>
            <th scope="col">${t.loss}</th>
            <th scope="col">${t.accuracy}</th>
            ${
              history.validationLoss
                ? html`<th scope="col">${t.validationLoss}</th>
                    <th scope="col">${t.validationAccuracyHeader}</th>`
                : nothing
            }
          </tr>
        </thead>
        <tbody>
          ${history.loss.map(
            (l, i) =>
              html`<tr>
                <th scope="row">${f.count(i + 1)}</th>
                <td class="number">${lossText(l)}</td>
                <td class="number">${f.percent(history.accuracy[i])}</td>
                ${
                  history.validationLoss
                    ? html`<td class="number">${lossText(history.validationLoss[i])}</td>
                        <td class="number">${f.percent(history.validationAccuracy![i])}</td>`
                    : nothing
                }
              </tr>`,
          )}
        </tbody>
      </table>
    </details>
  </figure>`;
}

/**
 * One plot: y from 0 to `max`, x from epoch 1 to `epochs`; the summary is the image's accessible
 * name. A marker shows each line's latest value (a one-epoch line has no length to draw).
 */
function plot(title: string, series: Series[], epochs: number, max: number, format: (v: number) => string, t: Strings, f: Formats) {
  const x = (i: number) => PAD.left + (epochs > 1 ? (i / (epochs - 1)) * (WIDTH - PAD.left - PAD.right) : 0);
  const y = (v: number) => PAD.top + (1 - v / max) * (HEIGHT - PAD.top - PAD.bottom);
  const last = series.map((s) => `${s.name} ${format(s.values.at(-1)!)}`).join(', ');
  const label = t.plotSummary(title, f.count(series[0].values.length), f.count(epochs), last);
  return html`<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label=${label}>
    <title>${title}</title>
    ${svg`
      <text class="axis" x=${PAD.left} y=${PAD.top + 4} dx="-4" text-anchor="end">${format(max)}</text>
      <text class="axis" x=${PAD.left} y=${HEIGHT - PAD.bottom} dx="-4" text-anchor="end">${f.count(0)}</text>
      ${epochs > 1 ? svg`<text class="axis" x=${x(0)} y=${HEIGHT - 6} text-anchor="middle">${f.count(1)}</text>` : nothing}
      <text class="axis" x=${x(epochs - 1)} y=${HEIGHT - 6} text-anchor="end">${t.lastEpochAxis(f.count(epochs))}</text>
      <text class="title" x=${WIDTH - PAD.right} y=${PAD.top - 8} text-anchor="end">${title}</text>
      <line class="frame" x1=${PAD.left} y1=${HEIGHT - PAD.bottom} x2=${WIDTH - PAD.right} y2=${HEIGHT - PAD.bottom}></line>
      <line class="frame" x1=${PAD.left} y1=${PAD.top} x2=${PAD.left} y2=${HEIGHT - PAD.bottom}></line>
      ${series.map(
        (s) => svg`<polyline class=${s.dashed ? 'line dashed' : 'line'} points=${s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}></polyline>
          <circle class=${s.dashed ? 'marker validation' : 'marker'} r="2.5" cx=${x(s.values.length - 1)} cy=${y(s.values.at(-1)!)}></circle>`,
      )}
    `}
  </svg>`;
}
