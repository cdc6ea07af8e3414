import { css, unsafeCSS } from 'lit';

/** Confusion-matrix cell shades: `level-N` is N tenths of its row. */
const levels = unsafeCSS(Array.from({ length: 11 }, (_, i) => `.matrix td.level-${i} { --share: ${i * 10}%; }`).join('\n'));

export const styles = css`
  /* Public custom properties are read with fallbacks, so values inherited from the page win;
     the private --_* copies switch their defaults for dark colour schemes. */
  :host {
    --_accent: var(--ml-classifier-accent, #2563eb);
    --_on-accent: #ffffff;
    --_surface: var(--ml-classifier-surface, #ffffff);
    --_text: var(--ml-classifier-text, #1f2937);
    --_muted: var(--ml-classifier-muted, #4b5563);
    --_radius: var(--ml-classifier-radius, 8px);
    --_font: var(--ml-classifier-font, system-ui, sans-serif);
    --_border: #9ca3af;
    --_error: #b91c1c;
    --_correct: #16a34a;
    --_wrong: #dc2626;
    --_validation: #b45309;
    display: block;
    font-family: var(--_font);
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 1rem;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_accent: var(--ml-classifier-accent, #60a5fa);
      --_on-accent: #0b1220;
      --_surface: var(--ml-classifier-surface, #111827);
      --_text: var(--ml-classifier-text, #f3f4f6);
      --_muted: var(--ml-classifier-muted, #cbd5e1);
      --_border: #6b7280;
      --_error: #fca5a5;
      --_validation: #fbbf24;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      transition: none !important;
      animation: none !important;
    }
  }
  :host([hidden]) {
    display: none;
  }
  [part~='dropzone'] {
    border: 2px dashed var(--_border);
    border-radius: var(--_radius);
    padding: 1rem;
    text-align: center;
    transition:
      border-color 0.15s,
      background-color 0.15s;
  }
  [part~='dropzone'].dragging {
    border-color: var(--_accent);
    background: color-mix(in srgb, var(--_accent) 8%, transparent);
  }
  button {
    font: inherit;
    /* Apart when they wrap onto lines of their own (narrow screens). */
    margin: 0.25rem;
    color: var(--_on-accent);
    background: var(--_accent);
    border: 0;
    border-radius: var(--_radius);
    padding: 0.5rem 1rem;
    cursor: pointer;
  }
  button:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  /* The Advanced disclosure: small and quiet, below the training buttons. */
  [part~='advanced'] {
    margin-top: 0.75rem;
    text-align: left;
    font-size: 0.875em;
    color: var(--_muted);
  }
  [part~='advanced'] summary {
    cursor: pointer;
    width: fit-content;
  }
  [part~='advanced'] summary:focus-visible,
  [part~='advanced'] select:focus-visible,
  [part~='advanced'] input:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  [part~='advanced'] .settings {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem 1.5rem;
    margin-top: 0.5rem;
  }
  [part~='advanced'] label {
    display: flex;
    flex-direction: column;
    gap: 0.25rem;
    max-width: 100%;
  }
  [part~='advanced'] select,
  [part~='advanced'] input {
    font: inherit;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 2);
    padding: 0.25rem;
    max-width: 100%;
  }
  [part~='advanced'] input[type='number'] {
    width: 6em;
  }
  progress {
    width: 100%;
  }
  .muted {
    color: var(--_muted);
  }
  .error {
    color: var(--_error);
  }
  table {
    border-collapse: collapse;
  }
  th,
  td {
    text-align: left;
    padding: 0.15rem 0.75rem 0.15rem 0;
  }
  td.number {
    text-align: right;
  }
  [part~='predictions'] {
    list-style: none;
    padding: 0;
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr));
    gap: 0.75rem;
  }
  [part~='predictions'] img {
    width: 100%;
    aspect-ratio: 1;
    object-fit: cover;
    border-radius: var(--_radius);
  }
  .chart {
    margin: 0.75rem 0;
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem 1rem;
  }
  .chart svg {
    width: min(100%, 300px);
    height: auto;
  }
  .chart figcaption,
  .chart details {
    flex-basis: 100%;
  }
  .chart .axis,
  .chart .title {
    font-size: 10px;
    fill: var(--_muted);
  }
  .chart .frame {
    stroke: var(--_border);
  }
  .chart .line {
    fill: none;
    stroke: var(--_accent);
    stroke-width: 2;
  }
  .chart .marker {
    fill: var(--_accent);
  }
  .chart .marker.validation {
    fill: var(--_validation);
  }
  .chart .dashed {
    stroke-dasharray: 5 3;
    stroke: var(--_validation);
  }
  .key {
    margin-right: 1rem;
  }
  .swatch {
    display: inline-block;
    width: 1.5rem;
    border-top: 2px solid var(--_accent);
    vertical-align: middle;
  }
  .swatch.dashed {
    border-top: 2px dashed var(--_validation);
  }
  caption {
    text-align: left;
    font-weight: 600;
    padding: 0.5rem 0 0.25rem;
  }
  .scroll {
    overflow-x: auto;
  }
  .matrix td {
    text-align: center;
    padding: 0;
    min-width: 2.25rem;
  }
  .matrix td.correct {
    background: color-mix(in srgb, var(--_correct) var(--share), transparent);
  }
  .matrix td.wrong {
    background: color-mix(in srgb, var(--_wrong) var(--share), transparent);
  }
  .matrix .cell {
    width: 100%;
    color: inherit;
    background: transparent;
    padding: 0.25rem;
    border-radius: 0;
  }
  .matrix .cell[aria-pressed='true'] {
    outline: 3px solid var(--_accent);
    outline-offset: -3px;
  }
  .cell-images ul {
    list-style: none;
    padding: 0;
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  .cell-images img {
    width: 5rem;
    height: 5rem;
    object-fit: cover;
    border-radius: var(--_radius);
  }
  .scores {
    list-style: none;
    padding: 0;
    margin: 0.25rem 0 0;
  }
  .scores li {
    display: grid;
    grid-template-columns: minmax(0, 1fr) 4rem 3.5rem;
    gap: 0.25rem;
    align-items: center;
  }
  /* A long label wraps instead of being cut: it is the answer. */
  .scores .label {
    overflow-wrap: anywhere;
  }
  .scores meter {
    width: 100%;
  }
  .scores .number {
    text-align: right;
  }
  .webcam video {
    width: min(100%, 320px);
    border-radius: var(--_radius);
  }
  ${levels}
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
