/**
 * What both benchmark pages share: the data sets handed over by `bench/run.mjs`, and the watch
 * put around every timed run. Nothing here imports the project's code, so the naive page runs
 * on stock TensorFlow.js.
 */
import * as tf from '@tensorflow/tfjs';

/** The shared MobileNet copy, served by the benchmark's dev server from `../shared`. */
export const MODEL_URL = '/shared/models/mobilenet_v1_0.25_224/model.json';
/** Where every base of the registry is served (`models-path`): the copies in `../shared/models`. */
export const MODELS_PATH = '/shared/models/';
/** Where the dev server serves the WASM backend's binaries. */
export const WASM_PATH = '/node_modules/@tensorflow/tfjs-backend-wasm/dist/';

/** A file with the relative path a folder pick gives it (the shape of the project's `FileWithPath`). */
export interface NamedFile {
  file: File;
  path: string;
}

const sets = new Map<string, NamedFile[]>();

/**
 * Takes the files just set on `#files` (by puppeteer's `uploadFile`: real files on disk, as a
 * file picker gives them) and keeps them under `name`, paired with their relative paths.
 * @returns how many files were taken.
 */
export function takeFiles(name: string, paths: string[]): number {
  const input = document.querySelector<HTMLInputElement>('#files')!;
  const files = [...input.files!];
  if (files.length !== paths.length) throw new Error(`${name}: ${files.length} files on the input, ${paths.length} paths`);
  files.forEach((file, i) => {
    if (!paths[i].endsWith(`/${file.name}`)) throw new Error(`${name}: file ${i} is ${file.name}, path ${paths[i]}`);
  });
  sets.set(
    name,
    files.map((file, i) => ({ file, path: paths[i] })),
  );
  return files.length;
}

/** Every file of a data set taken by {@link takeFiles}. */
export function files(name: string): NamedFile[] {
  const set = sets.get(name);
  if (!set) throw new Error(`no data set ${name}`);
  return set;
}

/** The photos of a data set (its notes, like SOURCE.md, left out), in path order. */
export function photos(name: string): NamedFile[] {
  return files(name).filter((f) => /\.(jpe?g|png)$/i.test(f.path));
}

/** TensorFlow.js memory where a run's model lives: `tf.memory()` in the page, or an element's `memory()` (its worker). */
export type MemorySource = () => Promise<{ numTensors: number; numBytes: number }>;

/**
 * What one watched run used. The tfjs peaks are sampled every 50 ms and whenever
 * {@link Watch.sample} is called; the JS heap is sampled from outside by `bench/run.mjs`.
 */
export interface Usage {
  /**
   * Peak of the page's and its workers' used JS heap plus ArrayBuffer backing stores (pixels, the
   * WASM backend's memory) together (CDP `Runtime.getHeapUsage`), set by `bench/run.mjs`.
   */
  peakHeapBytes: number;
  /** `numBytes` of the memory source. */
  peakTfBytes: number;
  peakTensors: number;
  /** Longest main-thread task; 0 when none reached 50 ms (shorter ones are not reported). */
  longestTaskMs: number;
  /** Tasks of 50 ms or more. */
  longTasks: number;
  /** The memory source's `numTensors` before the run, and after it and its clean-up. */
  tensorsBefore: number;
  tensorsAfter: number;
}

/** Watches one run: peak tfjs memory where the model lives, long main-thread tasks, tensors left. */
export class Watch {
  private usage: Usage = { peakHeapBytes: 0, peakTfBytes: 0, peakTensors: 0, longestTaskMs: 0, longTasks: 0, tensorsBefore: 0, tensorsAfter: 0 };
  private observer = new PerformanceObserver((list) => this.note(list.getEntries()));
  private timer = 0;

  constructor(private memory: MemorySource = async () => tf.memory()) {}

  async start(): Promise<void> {
    // Collect first, so a run is not charged with the garbage of the steps before it
    // (gc exists with --js-flags=--expose-gc).
    (globalThis as { gc?: () => void }).gc?.();
    // End the collection's task before observing: the observer would be told of it (50-105 ms
    // with the sign-language files held), though it is the benchmark's work, not the run's.
    await new Promise((resolve) => setTimeout(resolve));
    this.usage.tensorsBefore = (await this.memory()).numTensors;
    this.observer.observe({ type: 'longtask' });
    this.timer = window.setInterval(() => this.sample(), 50);
    await this.sample();
  }

  async sample(): Promise<void> {
    const { numBytes, numTensors } = await this.memory();
    this.usage.peakTfBytes = Math.max(this.usage.peakTfBytes, numBytes);
    this.usage.peakTensors = Math.max(this.usage.peakTensors, numTensors);
  }

  /** Stops watching, runs `cleanUp` (freeing what the run kept), then counts the tensors left. */
  async stop(cleanUp: () => void | Promise<void> = () => {}): Promise<Usage> {
    await this.sample();
    // Long-task entries arrive after their task ends: let the last ones through.
    await new Promise((resolve) => setTimeout(resolve, 100));
    this.note(this.observer.takeRecords());
    this.observer.disconnect();
    clearInterval(this.timer);
    await cleanUp();
    this.usage.tensorsAfter = (await this.memory()).numTensors;
    return this.usage;
  }

  private note(entries: PerformanceEntryList): void {
    for (const entry of entries) {
      this.usage.longTasks++;
      this.usage.longestTaskMs = Math.max(this.usage.longestTaskMs, entry.duration);
    }
  }
}

/** The browser and its WebGL renderer, for the report's machine line. */
export function environment() {
  const gl = document.createElement('canvas').getContext('webgl2');
  const info = gl?.getExtension('WEBGL_debug_renderer_info');
  return {
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
    webglRenderer: gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : null,
  };
}

/** Milliseconds `f` takes. */
export async function time(f: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await f();
  return performance.now() - start;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
