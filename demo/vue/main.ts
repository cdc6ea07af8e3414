import { createApp } from 'vue';
import App from './App.vue';

// With a build (Vite), also tell Vue's template compiler that <ml-classifier> is a custom element
// rather than an unresolved Vue component; see vite.config.js.
createApp(App).mount('#app');
