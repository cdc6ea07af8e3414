import type { BaseModelId } from '../core/base-models.js';
import type { MlClassifier } from '../elements/ml-classifier.js';

/** The events `<ml-classifier>` fires; their classes are in `GlobalEventHandlersEventMap`. */
export type MlClassifierEventName = 'data-loaded' | 'progress-changed' | 'trained' | 'predicted' | 'model-loaded' | 'failed';

/** Event name → event class, e.g. `MlClassifierEvents['trained']` is `TrainedEvent`. */
export type MlClassifierEvents = Pick<GlobalEventHandlersEventMap, MlClassifierEventName>;

/** The writable properties a template or JSX may set (not `status`, which is read-only). */
export type MlClassifierSettable =
  | 'baseModel'
  | 'modelsPath'
  | 'modelUrl'
  | 'cutLayer'
  | 'inputRange'
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
  | 'augment'
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
  'base-model'?: BaseModelId;
  'models-path'?: string;
  'model-url'?: string;
  'cut-layer'?: string;
  /** Two numbers, `"-1,1"` or `"0,1"` (the `inputRange` property takes the pair). */
  'input-range'?: string;
  'batch-size'?: number | string;
  'learning-rate'?: number | string;
  'hidden-units'?: number | string;
  'wasm-path'?: string;
  'validation-split'?: number | string;
  'main-thread'?: boolean | string;
} & { [K in MlClassifierEventName as `on${K}`]?: (event: MlClassifierEvents[K]) => void };
