// Not run here (no bundler in this repository): the build config a Vite + Vue app needs.
import vue from '@vitejs/plugin-vue';

export default {
  plugins: [
    vue({
      template: {
        // A compile-time option: render <ml-classifier> as a custom element, not a Vue component.
        compilerOptions: { isCustomElement: (tag) => tag === 'ml-classifier' },
      },
    }),
  ],
};
