import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { chromiumArgs, chromiumPath } from './tools/chromium.mjs';
import { serveShared, serveTsAsJs, sharedDir, tfjsPrebundled } from './tools/dev-server-plugins.mjs';
import { reporters } from './tools/file-times-reporter.mjs';

/**
 * `await executeServerCommand('set-input-files', { host, name, paths })` sets real files or a real
 * folder (for `webkitdirectory` inputs) on `<input name=NAME>` inside `HOST`'s shadow root, the way a
 * user's file picker does (CDP `DOM.setFileInputFiles`). Paths starting with `shared/` are read from
 * `../shared`.
 */
const setInputFiles = {
  name: 'set-input-files',
  async executeCommand({ command, payload, session }) {
    if (command !== 'set-input-files') return undefined;
    const page = session.browser.getPage(session.id);
    const input = await page.evaluateHandle(({ host, name }) => document.querySelector(host).shadowRoot.querySelector(`input[name="${name}"]`), payload);
    const files = payload.paths.map((p) => (p.startsWith('shared/') ? path.join(sharedDir, p.slice('shared/'.length)) : path.resolve(p)));
    // uploadFile() sends DOM.setFileInputFiles; for a folder path on a webkitdirectory input,
    // Chromium lists the folder recursively, as its own folder picker does.
    await input.uploadFile(...files);
    await input.dispose();
    return true;
  },
};

/** `await executeServerCommand('list-shared', 'datasets/x')` lists the files under `../shared/datasets/x`, as `/`-separated paths relative to it. */
const listShared = {
  name: 'list-shared',
  async executeCommand({ command, payload }) {
    if (command !== 'list-shared') return undefined;
    const root = path.join(sharedDir, payload);
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile())
      .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
      .sort();
  },
};

export default {
  files: 'test/**/*.test.ts',
  nodeResolve: true,
  middleware: [serveShared, serveTsAsJs],
  plugins: [tfjsPrebundled, setInputFiles, listShared, esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json' })],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: chromiumPath,
        headless: true,
        args: [
          ...chromiumArgs,
          // A synthetic camera that needs no permission prompt, for the webcam tests.
          '--use-fake-device-for-media-stream',
          '--use-fake-ui-for-media-stream',
        ],
      },
    }),
  ],
  reporters,
  concurrency: 1,
  testsFinishTimeout: 600000,
  testFramework: { config: { timeout: 300000 } },
};
