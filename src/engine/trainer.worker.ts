// The module worker behind `WorkerPipeline`: owns one `Pipeline` (so decoding, activations,
// training and prediction run off the page's main thread) and answers `WorkerRequest`s.
// Started by `new Worker(new URL('./trainer.worker.js', import.meta.url), { type: 'module' })`.
import * as tf from '../core/tf.js';
import { errors, serializeError } from '../core/errors.js';
import { labelFromFileName, type FileWithPath } from '../io/dataset.js';
import { decodeFailureReason } from '../io/decode.js';
import type { TrainerOptions } from '../types.js';
import { Pipeline } from './pipeline.js';
import type { PostedImage, PostedTrainOptions, Request, Requests, RequestType, WorkerMessage, WorkerRequest } from './protocol.js';

/** What this file uses of a dedicated worker's global scope (the DOM typings the project compiles with lack it). */
const scope = self as unknown as {
  postMessage(message: WorkerMessage, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerRequest>) => void): void;
};
const pipeline = new Pipeline();
/**
 * The page's abort of each `train` and `load` in progress, by id: the page's engine owns the run
 * and its AbortController; this is its signal's other end, aborted when the page posts `abort`.
 */
const aborts = new Map<number, AbortController>();
/** Files posted ahead of their `train` request, by its id. */
const ahead = new Map<number, FileWithPath[]>();
/** Requests not answered yet: `dispose` waits for them. */
const inFlight = new Set<Promise<unknown>>();

const post = (message: WorkerMessage, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

/** How each request is answered; the compiler checks each result against `Requests`. */
const handlers: { [K in RequestType]: (request: Request<K>) => Promise<Requests[K]['result']> } = {
  train: (request) => {
    const { id } = request;
    const files = [...(ahead.get(id) ?? []), ...request.files];
    ahead.delete(id);
    return pipeline.train(files, trainOptions(request.options), {
      signal: pageSignal(id),
      onDataLoaded: (detail) => post({ type: 'data-loaded', id, detail }),
      onProgress: (progress) => post({ type: 'progress', id, progress }),
    });
  },
  load: (request) => pipeline.load(request.source, request.options, pageSignal(request.id)),
  predict: (request) => predict(request.input, request.source),
  save: (request) => pipeline.save(request.destination),
  memory: () => pipeline.memory(),
  dispose: async () => {
    aborts.forEach((controller) => controller.abort());
    await Promise.allSettled([...inFlight]);
    return pipeline.dispose();
  },
};

/** A signal the page aborts by posting `abort` for request `id`; forgotten once the request is answered. */
function pageSignal(id: number): AbortSignal {
  const controller = new AbortController();
  aborts.set(id, controller);
  return controller.signal;
}

/** Answers `request` with what its handler settles with, and keeps it in flight meanwhile. */
function answer<K extends RequestType>(request: Request<K>): void {
  const { id, type } = request;
  const handler = handlers[type] as (request: Request<K>) => Promise<Requests[K]['result']>;
  const settled = handler(request).then(
    (value) => post({ type: 'result', id, request: type, value, labels: pipeline.labels } as WorkerMessage),
    (error: unknown) => post({ type: 'error', id, error: serializeError(error), labels: pipeline.labels }),
  );
  inFlight.add(settled);
  settled.finally(() => {
    inFlight.delete(settled);
    aborts.delete(id);
  });
}

/** The page's `labelFromFileName` answers as a rule; names it was not asked about get the default rule. */
function trainOptions({ fileLabels, ...options }: PostedTrainOptions): TrainerOptions {
  if (!fileLabels) return options;
  return {
    ...options,
    labelFromFileName: (name) => {
      const answer = fileLabels[name];
      if (!answer) return labelFromFileName(name);
      if ('error' in answer) throw new Error(answer.error);
      return answer.label;
    },
  };
}

/** Classifies a posted image, freeing what was made for it (the tensor, the bitmap copy). */
async function predict(input: PostedImage, source: string) {
  // Before a tensor is made: without a model there may be no backend yet (they load lazily), and
  // tf.tensor() would fail with "No backend found in registry." instead.
  if (pipeline.labels.length === 0) {
    if (input instanceof ImageBitmap) input.close();
    throw errors.notTrained();
  }
  if ('unreadable' in input) {
    // Refused by createImageBitmap in the page: the same message as decoding it here.
    throw errors.invalidImage(source, decodeFailureReason(new DOMException(input.unreadable.message, input.unreadable.name)));
  }
  if ('tensor' in input) {
    const { data, shape, dtype } = input.tensor;
    const tensor = tf.tensor(data, shape, dtype as tf.DataType) as tf.Tensor as tf.Tensor3D;
    try {
      return await pipeline.predict(tensor, source);
    } finally {
      tensor.dispose();
    }
  }
  try {
    return await pipeline.predict(input, source);
  } finally {
    if (input instanceof ImageBitmap) input.close();
  }
}

scope.addEventListener('message', ({ data: request }: MessageEvent<WorkerRequest>) => {
  switch (request.type) {
    case 'abort':
      ahead.delete(request.target);
      aborts.get(request.target)?.abort();
      return;
    case 'files': {
      const received = ahead.get(request.id) ?? [];
      received.push(...request.files);
      ahead.set(request.id, received);
      return;
    }
    default:
      answer(request);
  }
});
// Reached once TensorFlow.js and the pipeline have loaded: the page may stop waiting.
post({ type: 'ready' });
