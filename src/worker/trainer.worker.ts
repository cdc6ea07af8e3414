// The module worker behind `RemoteTrainer`: owns one `Trainer` (so decoding, activations,
// training and prediction run off the page's main thread) and answers `WorkerRequest`s in order.
// Started by `new Worker(new URL('./trainer.worker.js', import.meta.url), { type: 'module' })`.
import * as tf from '../core/tf.js';
import { ClassifierError, errors } from '../core/errors.js';
import { labelFromFileName, type FileWithPath } from '../io/dataset.js';
import { decodeFailureReason } from '../io/decode.js';
import { Trainer, type TrainerOptions } from '../trainer.js';
import type { PostedError, PostedImage, PostedTrainOptions, WorkerMessage, WorkerRequest } from './protocol.js';

/** What this file uses of a dedicated worker's global scope (the DOM typings the project compiles with lack it). */
const scope = self as unknown as {
  postMessage(message: WorkerMessage, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerRequest>) => void): void;
};
const trainer = new Trainer();
/** The `train` or `load` request in progress, for a targeted abort. */
let running: number | undefined;
/** Files posted ahead of their `train` request, by its id. */
const ahead = new Map<number, FileWithPath[]>();
/** Requests not answered yet: `dispose` waits for them. */
const inFlight = new Set<Promise<unknown>>();

const post = (message: WorkerMessage, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

const toPosted = (error: unknown): PostedError =>
  error instanceof ClassifierError
    ? { code: error.code, name: error.name, message: error.message }
    : { name: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error) };

/** Answers request `id` with what `work` settles with, and keeps it in flight meanwhile. */
function answer(id: number, work: Promise<unknown>): void {
  const settled = work.then(
    (value) => post({ type: 'result', id, value, labels: trainer.labels }),
    (error: unknown) => post({ type: 'error', id, error: toPosted(error), labels: trainer.labels }),
  );
  inFlight.add(settled);
  settled.finally(() => inFlight.delete(settled));
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
  if (trainer.labels.length === 0) throw errors.notTrained();
  if ('unreadable' in input) {
    // Refused by createImageBitmap in the page: the same message as decoding it here.
    throw errors.invalidImage(source, decodeFailureReason(new DOMException(input.unreadable.message, input.unreadable.name)));
  }
  if ('tensor' in input) {
    const { data, shape, dtype } = input.tensor;
    const tensor = tf.tensor(data, shape, dtype as tf.DataType) as tf.Tensor as tf.Tensor3D;
    try {
      return await trainer.predict(tensor, source);
    } finally {
      tensor.dispose();
    }
  }
  try {
    return await trainer.predict(input, source);
  } finally {
    if (input instanceof ImageBitmap) input.close();
  }
}

function handle(request: WorkerRequest): void {
  switch (request.type) {
    case 'abort':
      if (request.target !== undefined) ahead.delete(request.target);
      if (request.target === undefined || request.target === running) trainer.abort();
      return;
    case 'files': {
      const received = ahead.get(request.id) ?? [];
      received.push(...request.files);
      ahead.set(request.id, received);
      return;
    }
    case 'train': {
      const { id } = request;
      running = id;
      const files = [...(ahead.get(id) ?? []), ...request.files];
      ahead.delete(id);
      const work = trainer.train(files, trainOptions(request.options), {
        onDataLoaded: (detail) => post({ type: 'data-loaded', id, detail }),
        onProgress: (progress) => post({ type: 'progress', id, progress }),
      });
      work.finally(() => running === id && (running = undefined)).catch(() => {});
      return answer(id, work);
    }
    case 'load': {
      const { id } = request;
      running = id;
      const work = trainer.load(request.source, request.options);
      work.finally(() => running === id && (running = undefined)).catch(() => {});
      return answer(id, work);
    }
    case 'predict':
      return answer(request.id, predict(request.input, request.source));
    case 'save':
      return answer(request.id, trainer.save(request.destination));
    case 'memory':
      return answer(request.id, trainer.memory());
    case 'dispose': {
      trainer.dispose();
      const pending = [...inFlight];
      return answer(request.id, Promise.allSettled(pending).then(() => trainer.memory()));
    }
  }
}

scope.addEventListener('message', (event: MessageEvent<WorkerRequest>) => handle(event.data));
// Reached once TensorFlow.js and the trainer have loaded: the page may stop waiting.
post({ type: 'ready' });
