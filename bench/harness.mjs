// What the Node side of `npm run bench` (bench/run.mjs) and `npm run quality` (bench/quality.mjs)
// share: the data sets listed from ../shared, a dev server with the project's plugins (the pages
// import src/ as TypeScript, so no build is involved), headless Debian Chromium through
// puppeteer-core, and the calls into a page's `window.bench`.
import { execFileSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDevServer } from '@web/dev-server';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import puppeteer from 'puppeteer-core';
import { serveShared, serveTsAsJs, sharedDir, tfjsPrebundled } from '../tools/dev-server-plugins.mjs';
import { chromiumArgs, chromiumPath } from '../tools/chromium.mjs';

export const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));

export const log = (line) => process.stderr.write(`${line}\n`);

/** Files under `../shared/<folder>`, relative to it, sorted, `/`-separated. */
export async function listShared(folder) {
  const dir = path.join(sharedDir, folder);
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** A dev server on a free port serving the project root, src/ compiled on the fly, and ../shared at /shared/. */
export async function startServer() {
  const port = await freePort();
  const server = await startDevServer({
    config: {
      rootDir: root,
      port,
      hostname: '127.0.0.1',
      nodeResolve: { exportConditions: ['production'] }, // Lit's production build, as in the bundle
      middleware: [serveShared, serveTsAsJs],
      plugins: [tfjsPrebundled, esbuildPlugin({ ts: true, tsconfig: path.join(root, 'tsconfig.json') })],
    },
    readCliArgs: false,
    readFileConfig: false,
    logStartMessage: false,
    autoExitProcess: false,
  });
  return { server, port };
}

/** Headless Chromium with the project's flags plus `args`. */
export function launchBrowser(args = []) {
  return puppeteer.launch({
    executablePath: chromiumPath,
    headless: true,
    protocolTimeout: 60 * 60 * 1000, // the full sign-language runs take minutes
    args: [...chromiumArgs, ...args],
  });
}

/** Opens one of the bench pages and waits for its `window.bench`; page errors go to stderr. */
export async function openPage(browser, url, tag) {
  const page = await browser.newPage();
  const shown = process.env.BENCH_DEBUG ? ['error', 'warn', 'debug', 'log'] : ['error', 'warn'];
  page.on('console', (m) => shown.includes(m.type()) && log(`  [${tag} ${m.type()}] ${m.text()}`));
  let broken;
  const failed = new Promise((_, reject) => (broken = reject));
  page.on('pageerror', (e) => {
    log(`  [${tag} page error] ${e.message}`);
    broken(new Error(`${tag} page: ${e.message}`)); // e.g. a module that does not load: fail now, not at the timeout
  });
  await page.goto(url);
  await Promise.race([page.waitForFunction(() => 'bench' in window, { timeout: 60000 }), failed]);
  return page;
}

/**
 * Calls `window.bench[step](...args)` in a page, brought to the front first: a background tab
 * gets no animation frames, and tfjs's `fit` waits for them between batches.
 */
export async function call(page, step, ...args) {
  await page.bringToFront();
  return page.evaluate((s, a) => window.bench[s](...a), step, args);
}

/** Sets real files on the page's `#files` input, as a file picker would, and names the set. */
export async function handOver(page, name, folder, paths) {
  const input = await page.$('#files');
  await input.uploadFile(...paths.map((p) => path.join(sharedDir, folder, p)));
  await input.dispose();
  const top = folder.split('/').pop();
  return call(
    page,
    'takeFiles',
    name,
    paths.map((p) => `${top}/${p}`),
  );
}

/** HEAD's short hash, and whether src/ has uncommitted changes, for the results file. */
export function gitCommit() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: root, encoding: 'utf8' }).trim();
    return dirty ? `${head} + uncommitted changes in src/` : head;
  } catch {
    return 'unknown';
  }
}
