import { esbuildPlugin } from '@web/dev-server-esbuild';
import { serveShared, serveTsAsJs, tfjsPrebundled } from './tools/dev-server-plugins.mjs';

/** `npm start`: serves demo/index.html with the element's sources and `../shared` at `/shared/`. */
export default {
  open: false,
  port: 8000,
  appIndex: 'demo/index.html',
  nodeResolve: true,
  middleware: [
    // The server prints the root URL; the demo lives under /demo/.
    (ctx, next) => (ctx.path === '/' ? ctx.redirect('/demo/') : next()),
    serveShared,
    serveTsAsJs,
  ],
  plugins: [tfjsPrebundled, esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json' })],
};
