/**
 * The page of `npm run quality` (bench/quality.mjs): trains a fresh `<ml-classifier>` per run on
 * a data set handed over by the runner, configured through attributes only, as a page author
 * would write them, and answers the `trained` or `failed` event's detail.
 */
import '../src/ml-classifier.js';
import type { FailedDetail, MlClassifier, TrainedDetail } from '../src/ml-classifier.js';
import { clearBaseModelCache } from '../src/ml-classifier-engine.js';
import { files, takeFiles } from './common.js';

/** The attributes this build of the element reacts to; any other attribute is ignored by it. */
function observedAttributes(): string[] {
  return [...(customElements.get('ml-classifier') as unknown as { observedAttributes: string[] }).observedAttributes];
}

type RunResult = { ok: true; detail: TrainedDetail; wallMs: number } | { ok: false; failure: Pick<FailedDetail, 'code' | 'message' | 'during'>; wallMs: number };

async function run(name: string, attributes: Record<string, string>): Promise<RunResult> {
  // The base model would otherwise come from IndexedDB after the first run with it: every run
  // starts cold, as a first visit does, so the times compare across configurations and seeds.
  await clearBaseModelCache();
  const el = document.createElement('ml-classifier') as MlClassifier;
  for (const [key, value] of Object.entries(attributes)) el.setAttribute(key, value);
  let failure: FailedDetail | undefined;
  el.addEventListener('failed', (e) => (failure = e.detail));
  let trained: TrainedDetail | undefined;
  el.addEventListener('trained', (e) => (trained = e.detail));
  document.body.append(el);
  await el.updateComplete;
  const t = performance.now();
  try {
    await el.train(files(name)).catch(() => {}); // reported through `failed`
    const wallMs = performance.now() - t;
    if (trained) return { ok: true, detail: trained, wallMs };
    const { code, message, during } = failure ?? { code: 'unknown', message: 'neither trained nor failed was fired', during: 'training' as const };
    return { ok: false, failure: { code, message, during }, wallMs };
  } finally {
    // Removal ends the element's worker and frees its model: nothing carries over to the next run.
    el.remove();
  }
}

Object.assign(window, { bench: { takeFiles, observedAttributes, run } });
