import { css } from 'lit';

export const styles = css`
  :host {
    --ml-classifier-accent: #2563eb;
    --ml-classifier-surface: #ffffff;
    --ml-classifier-text: #1f2937;
    --ml-classifier-muted: #4b5563;
    --ml-classifier-radius: 8px;
    --ml-classifier-font: system-ui, sans-serif;
    display: block;
    font-family: var(--ml-classifier-font);
    color: var(--ml-classifier-text);
    background: var(--ml-classifier-surface);
    border: 1px solid #d1d5db;
    border-radius: var(--ml-classifier-radius);
    padding: 1rem;
  }
  :host([hidden]) {
    display: none;
  }
  [part~='dropzone'] {
    border: 2px dashed #9ca3af;
    border-radius: var(--ml-classifier-radius);
    padding: 1rem;
    text-align: center;
  }
  [part~='dropzone'].dragging {
    border-color: var(--ml-classifier-accent);
    background: color-mix(in srgb, var(--ml-classifier-accent) 8%, transparent);
  }
  button {
    font: inherit;
    color: #fff;
    background: var(--ml-classifier-accent);
    border: 0;
    border-radius: var(--ml-classifier-radius);
    padding: 0.5rem 1rem;
    cursor: pointer;
  }
  button:focus-visible {
    outline: 3px solid var(--ml-classifier-accent);
    outline-offset: 2px;
  }
  button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  progress {
    width: 100%;
  }
  .muted {
    color: var(--ml-classifier-muted);
  }
  .error {
    color: #b91c1c;
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
    border-radius: var(--ml-classifier-radius);
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
    fill: var(--ml-classifier-muted);
  }
  .chart .frame {
    stroke: #9ca3af;
  }
  .chart .line {
    fill: none;
    stroke: var(--ml-classifier-accent);
    stroke-width: 2;
  }
  .chart .dashed {
    stroke-dasharray: 5 3;
    stroke: #d97706;
  }
  .key {
    margin-right: 1rem;
  }
  .swatch {
    display: inline-block;
    width: 1.5rem;
    border-top: 2px solid var(--ml-classifier-accent);
    vertical-align: middle;
  }
  .swatch.dashed {
    border-top: 2px dashed #d97706;
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
    background: color-mix(in srgb, #16a34a var(--share), transparent);
  }
  .matrix td.wrong {
    background: color-mix(in srgb, #dc2626 var(--share), transparent);
  }
  .matrix .cell {
    width: 100%;
    color: inherit;
    background: transparent;
    padding: 0.25rem;
    border-radius: 0;
  }
  .matrix .cell[aria-pressed='true'] {
    outline: 3px solid var(--ml-classifier-accent);
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
    border-radius: var(--ml-classifier-radius);
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
  .scores .label {
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .scores meter {
    width: 100%;
  }
  .scores .number {
    text-align: right;
  }
  .webcam video {
    width: min(100%, 320px);
    border-radius: var(--ml-classifier-radius);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
