/**
 * `import type {} from 'ml-classifier/react'` (or list it in `compilerOptions.types`) adds
 * `<ml-classifier>` to React 19's JSX, with typed `ontrained`, `onpredicted`... listeners.
 * A separate entry, so users without React never load React's types.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { MlClassifier } from '../elements/ml-classifier.js';
import type { MlClassifierJsxProps } from './types.js';

export type { MlClassifierEventName, MlClassifierEvents, MlClassifierJsxProps } from './types.js';

/** React's own attributes, `ref` and `key`, plus the element's. */
export type MlClassifierReactProps = DetailedHTMLProps<HTMLAttributes<MlClassifier>, MlClassifier> & MlClassifierJsxProps;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'ml-classifier': MlClassifierReactProps;
    }
  }
}
