/**
 * `import type {} from 'ml-classifier/vue'` (or list it in `compilerOptions.types`) types
 * `<ml-classifier>` in Vue templates for vue-tsc: its properties, and `@trained`, `@data-loaded`...
 * with their event classes. Vue still has to be told it is a custom element
 * (`compilerOptions.isCustomElement`), see demo/vue.
 */
import type { EmitFn, HTMLAttributes, PublicProps } from 'vue';
import type { MlClassifier } from '../elements/ml-classifier.js';
import type { MlClassifierEvents, MlClassifierSettable } from './types.js';

export type { MlClassifierEventName, MlClassifierEvents } from './types.js';

declare module 'vue' {
  interface GlobalComponents {
    // vue-tsc reads a component's props from `$props` and its events from `$emit`; neither exists
    // on the element itself (the shape follows Vue's guide for non-Vue custom elements).
    'ml-classifier': new () => MlClassifier & {
      /** @deprecated Template type checking only; not on the element. */
      $props: HTMLAttributes & Partial<Pick<MlClassifier, MlClassifierSettable>> & PublicProps;
      /** @deprecated Template type checking only; not on the element. */
      $emit: EmitFn<{ [K in keyof MlClassifierEvents]: (event: MlClassifierEvents[K]) => void }>;
    };
  }
}
