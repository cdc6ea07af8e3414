// The element's engine holder: the `TrainerApi` it talks to is made on first use (a worker that
// must start, or the in-page Trainer loaded with import()), and busy/abort work meanwhile.
import type * as tf from '../core/tf.js';
import { errors } from '../core/errors.js';
import type { ModelMetadata } from '../core/model-io.js';
import type { FileWithPath } from '../io/dataset.js';
import type { MemoryInfo, TrainerApi, TrainHooks } from '../trainer-api.js';
import type { PredictedDetail, TrainedDetail, TrainerOptions } from '../trainer.js';

/**
 * A `TrainerApi` whose engine `make()` makes when first needed (a `train()` or `load()`; `predict()`
 * and `save()` before that answer `not-trained` without making one). While it is being made, a
 * `train()`/`load()` waiting for it already counts as busy and can be aborted. `dispose()` disposes
 * the engine and drops it: the next use makes a new one.
 */
export class DeferredTrainer implements TrainerApi {
  private engine: TrainerApi | undefined;
  private making: Promise<TrainerApi> | undefined;
  /** Bumped by dispose(): an engine made for an earlier generation is disposed, not used. */
  private generation = 0;
  /** A train() or load() waiting for the engine. */
  private waiting: { activity: 'training' | 'loading'; controller: AbortController } | undefined;
  /** The engine dispose() dropped, asked for memory until a new one is made. */
  private retired: TrainerApi | undefined;

  constructor(private readonly make: () => Promise<TrainerApi>) {}

  get labels(): string[] {
    return this.engine?.labels ?? [];
  }

  get busy(): boolean {
    return this.waiting !== undefined || (this.engine?.busy ?? false);
  }

  get busyWith(): 'training' | 'loading' | undefined {
    return this.waiting?.activity ?? this.engine?.busyWith;
  }

  async train(files: FileWithPath[], options?: TrainerOptions, hooks: TrainHooks = {}): Promise<TrainedDetail> {
    if (this.busy) throw errors.busy(this.busyWith);
    if (hooks.signal?.aborted) throw errors.aborted();
    const engine = this.engine ?? (await this.wait('training', hooks.signal));
    // Synchronously after the wait ends: no moment in between counts as idle.
    this.waiting = undefined;
    return engine.train(files, options, hooks);
  }

  async load(source: string | readonly File[], options?: Pick<TrainerOptions, 'backend' | 'wasmPath'>): Promise<{ metadata: ModelMetadata; ignored: string[] }> {
    if (this.busy) throw errors.busy(this.busyWith);
    const engine = this.engine ?? (await this.wait('loading'));
    this.waiting = undefined;
    return engine.load(source, options);
  }

  async predict(input: ImageBitmapSource | tf.Tensor3D, source?: string): Promise<PredictedDetail> {
    return (await this.existing()).predict(input, source);
  }

  async save(destination?: string): Promise<File[]> {
    return (await this.existing()).save(destination);
  }

  abort(): void {
    this.waiting?.controller.abort();
    this.engine?.abort();
  }

  dispose(): void {
    this.abort();
    this.generation++;
    this.making = undefined;
    if (this.engine) {
      this.engine.dispose();
      this.retired = this.engine;
    }
    this.engine = undefined;
  }

  /** TensorFlow.js memory where the model runs (or ran, after dispose()); zeros before any engine. */
  async memory(): Promise<MemoryInfo> {
    const engine = this.engine ?? (this.making ? await this.making : this.retired);
    return engine ? engine.memory() : { numTensors: 0, numBytes: 0 };
  }

  /** The engine, or one being made; with neither there is no model: `not-trained`. */
  private async existing(): Promise<TrainerApi> {
    if (this.engine) return this.engine;
    if (this.making) return this.making;
    throw errors.notTrained();
  }

  /**
   * Makes the engine (once) while counting as busy with `activity`; `waiting` stays set on success
   * for the caller to clear, and is cleared here on failure.
   * @throws ClassifierError `aborted` when aborted (or disposed) meanwhile; whatever `make()` throws.
   */
  private async wait(activity: 'training' | 'loading', signal?: AbortSignal): Promise<TrainerApi> {
    const waiting = (this.waiting = { activity, controller: new AbortController() });
    const abort = () => waiting.controller.abort();
    signal?.addEventListener('abort', abort);
    try {
      const engine = await this.ensure();
      if (waiting.controller.signal.aborted) throw errors.aborted();
      return engine;
    } catch (error) {
      if (this.waiting === waiting) this.waiting = undefined;
      throw error;
    } finally {
      signal?.removeEventListener('abort', abort);
    }
  }

  private ensure(): Promise<TrainerApi> {
    if (!this.making) {
      const generation = this.generation;
      const making = this.make().then((engine) => {
        if (generation !== this.generation) {
          engine.dispose();
          throw errors.aborted();
        }
        this.engine = engine;
        this.retired = undefined;
        return engine;
      });
      this.making = making;
      making.catch(() => this.making === making && (this.making = undefined));
    }
    return this.making;
  }
}
