import type { MlClassifier } from '../elements/ml-classifier.js';

/** The events `<ml-classifier>` fires; their classes are in `GlobalEventHandlersEventMap`. */
export type MlClassifierEventName = 'data-loaded' | 'progress-changed' | 'trained' | 'predicted' | 'model-loaded' | 'failed';

/** Event name → event class, e.g. `MlClassifierEvents['trained']` is `TrainedEvent`. */
export type MlClassifierEvents = Pick<GlobalEventHandlersEventMap, MlClassifierEventName>;

/** The writable properties a template or JSX may set (not `status`, which is read-only). */
export type MlClassifierSettable =
  | 'modelUrl'
  | 'src'
  | 'epochs'
  | 'batchSize'
  | 'learningRate'
  | 'hiddenUnits'
  | 'backend'
  | 'wasmPath'
  | 'validationSplit'
  | 'seed'
  | 'layout'
  | 'labelFromFileName'
  | 'pooling'
  | 'strings'
  | 'webcam'
  | 'mainThread';

/**
 * Props for `<ml-classifier>` in React 19 and Preact JSX.
 *
 * - Properties by name (`epochs={20}`, `labelFromFileName={fn}`): both libraries assign a prop as
 *   a property when the element has one, so values keep their types.
 * - Attributes with a dash (`model-url="..."`): no such property exists, so they are set as
 *   attributes and the element converts them.
 * - Listeners: `on` + the event name exactly (`ontrained`, `ondata-loaded`). React 19 keeps the
 *   case of what follows `on`, so `onTrained` would listen for an event named `Trained`, which
 *   never fires; Preact lowercases only names that start with a capital letter.
 */
export type MlClassifierJsxProps = Partial<Pick<MlClassifier, MlClassifierSettable>> & {
  'model-url'?: string;
  'batch-size'?: number | string;
  'learning-rate'?: number | string;
  'hidden-units'?: number | string;
  'wasm-path'?: string;
  'validation-split'?: number | string;
  'main-thread'?: boolean | string;
} & { [K in MlClassifierEventName as `on${K}`]?: (event: MlClassifierEvents[K]) => void };
