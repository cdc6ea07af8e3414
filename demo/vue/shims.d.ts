// Lets TypeScript import .vue files; vue-tsc checks their contents.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}
