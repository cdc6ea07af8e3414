/**
 * `import type {} from 'ml-classifier/preact'` (or list it in `compilerOptions.types`) adds
 * `<ml-classifier>` to Preact's JSX, with typed `ontrained`, `onpredicted`... listeners.
 * A separate entry, so users without Preact never load Preact's types.
 */
import type { HTMLAttributes } from 'preact';
import type { MlClassifier } from '../elements/ml-classifier.js';
import type { MlClassifierJsxProps } from './types.js';

export type { MlClassifierEventName, MlClassifierEvents, MlClassifierJsxProps } from './types.js';

/** Preact's own attributes and listeners, plus the element's. */
export type MlClassifierPreactProps = HTMLAttributes<MlClassifier> & MlClassifierJsxProps;

declare module 'preact' {
  namespace JSX {
    interface IntrinsicElements {
      'ml-classifier': MlClassifierPreactProps;
    }
  }
}
