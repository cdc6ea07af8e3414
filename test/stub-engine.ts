// A stub pipeline under the real `Engine`, for element tests that need no model: the files are
// sorted into labels by the real `organizeFiles`, and "training" reports made-up figures in
// milliseconds. Busy, abort and dispose are the real engine's.
import { errors } from '../src/core/errors.js';
import { Engine } from '../src/engine/engine.js';
import type { PipelineApi, RunHooks } from '../src/engine/pipeline-api.js';
import { TrainingController } from '../src/elements/training-controller.js';
import { countLabels, organizeFiles, type FileWithPath } from '../src/io/dataset.js';
import { describeInput } from '../src/io/inputs.js';
import type { LoadedModel, LoadOptions, MemoryInfo, PredictedDetail, TrainedDetail, TrainerOptions } from '../src/types.js';

/** Lets a test hold a stub run at a step until it calls `release()`. */
export interface Gate {
  wait: Promise<void>;
  release(): void;
}

export function gate(): Gate {
  let release!: () => void;
  const wait = new Promise<void>((resolve) => (release = resolve));
  return { wait, release };
}

/** How the stub pipelines of a test behave; shared by every pipeline `useStubEngine` makes. */
export interface StubConfig {
  /** The next `train()` waits here before its training phase (then it is cleared). */
  hold?: Gate;
  /** Each `train()` rejects with this (after `data-loaded`) while set. */
  failWith?: Error;
}

/** The stub's "model": a pipeline that sorts files like the real one and trains nothing. */
export class StubPipeline implements PipelineApi {
  readonly thread = 'main' as const;
  labels: string[] = [];
  /** The options of every `train()`, in order. */
  readonly runs: TrainerOptions[] = [];
  disposed = false;

  constructor(private readonly config: StubConfig = {}) {}

  async train(files: FileWithPath[], options: TrainerOptions, hooks: RunHooks): Promise<TrainedDetail> {
    this.runs.push(options);
    const dataset = await organizeFiles(files, options);
    hooks.onDataLoaded?.({ labels: dataset.labels, counts: countLabels(dataset.labels, dataset.examples), skipped: [...dataset.skipped], ignored: dataset.ignored });
    if (this.config.failWith) throw this.config.failWith;
    if (dataset.labels.length < 2) throw errors.tooFewLabels(dataset.labels);
    const epochs = options.epochs ?? 3;
    hooks.onProgress?.({ phase: 'loading-model', done: 1, total: 1 });
    hooks.onProgress?.({ phase: 'reading', done: dataset.examples.length, total: dataset.examples.length });
    const hold = this.config.hold;
    this.config.hold = undefined;
    if (hold) await hold.wait;
    const history = { loss: [] as number[], accuracy: [] as number[] };
    for (let epoch = 1; epoch <= epochs; epoch++) {
      if (hooks.signal.aborted) throw errors.aborted();
      history.loss.push(1 / epoch);
      history.accuracy.push(1 - 1 / (epoch + 1));
      hooks.onProgress?.({ phase: 'training', done: epoch, total: epochs, loss: 1 / epoch, accuracy: 1 - 1 / (epoch + 1) });
      await new Promise((resolve) => setTimeout(resolve));
    }
    if (hooks.signal.aborted) throw errors.aborted();
    this.labels = dataset.labels;
    const validation = dataset.examples.filter((e) => e.split === 'validation');
    const n = dataset.labels.length;
    const index = new Map(dataset.labels.map((label, i) => [label, i]));
    const matrix = dataset.labels.map(() => new Array<number>(n).fill(0));
    for (const e of validation) matrix[index.get(e.label)!][index.get(e.label)!]++;
    return {
      labels: dataset.labels,
      accuracy: 1,
      validationAccuracy: validation.length ? 1 : null,
      confusionMatrix: matrix,
      validation: validation.map((e) => ({ path: e.path, label: e.label, predicted: e.label })),
      counts: countLabels(dataset.labels, dataset.examples),
      history,
      backend: 'stub',
      baseModel: { id: 'mobilenet-v2-0.35', name: 'stub', url: '', cutLayer: '', inputSize: 224, inputRange: [-1, 1], pooling: 'average', format: 'layers' } as unknown as TrainedDetail['baseModel'],
      durationMs: 1,
      phaseMs: { 'loading-model': 0, reading: 0, training: 1 },
      skipped: dataset.skipped,
      ignored: dataset.ignored,
    };
  }

  async predict(input: unknown, source?: string): Promise<PredictedDetail> {
    if (this.labels.length === 0) throw errors.notTrained();
    const scores = this.labels.map((label, i) => ({ label, probability: i === 0 ? 0.75 : 0.25 / (this.labels.length - 1) }));
    return { source: source ?? describeInput(input), label: scores[0].label, confidence: scores[0].probability, scores };
  }

  async save(): Promise<File[]> {
    if (this.labels.length === 0) throw errors.notTrained();
    return ['model.json', 'weights.bin', 'metadata.json'].map((name) => new File(['{}'], name));
  }

  async load(_source: string | readonly File[], _options: LoadOptions, signal: AbortSignal): Promise<LoadedModel> {
    if (signal.aborted) throw errors.aborted();
    this.labels = ['a', 'b'];
    return { metadata: { labels: ['a', 'b'], modelName: 'stub' } as LoadedModel['metadata'], ignored: [] };
  }

  async memory(): Promise<MemoryInfo> {
    return { numTensors: this.disposed ? 0 : this.labels.length, numBytes: 0 };
  }

  async dispose(): Promise<MemoryInfo> {
    this.disposed = true;
    this.labels = [];
    return this.memory();
  }
}

/**
 * Makes every `<ml-classifier>` created until `restore()` run on stub pipelines; `pipelines` lists
 * them as their engines make them. Call `restore()` in `afterEach`.
 */
export function useStubEngine(): { pipelines: StubPipeline[]; config: StubConfig; restore(): void } {
  const original = TrainingController.engineFactory;
  const pipelines: StubPipeline[] = [];
  const config: StubConfig = {};
  TrainingController.engineFactory = () =>
    new Engine(async () => {
      const pipeline = new StubPipeline(config);
      pipelines.push(pipeline);
      return pipeline;
    });
  return { pipelines, config, restore: () => (TrainingController.engineFactory = original) };
}
