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
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
