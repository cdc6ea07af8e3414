// End to end in a real browser, as a visitor would use a self-hosted page: the BUILT bundle
// (`npm run build` first; `npm test` does), served with a strict Content-Security-Policy, driven
// in Debian's Chromium through the element's real file inputs. Run: `npm run test:browser`.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startDevServer } from '@web/dev-server';
import puppeteer from 'puppeteer-core';
import { chromiumArgs, chromiumPath } from '../../tools/chromium.mjs';
import { serveShared, sharedDir } from '../../tools/dev-server-plugins.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DATASETS = path.join(sharedDir, 'datasets/dataset-tutorial-for-image-classification');
const PEXELS = path.join(DATASETS, 'pexel-images');
const COLORS = path.join(DATASETS, 'colors');
/** Label folders of a data set's `training/` folder, as listed on disk: the labels training should find. */
const labelsOf = (dataset) =>
  readdirSync(path.join(dataset, 'training'))
    .filter((name) => !name.startsWith('.'))
    .sort();
/** A validation photo to classify after training: the first of the first label, as listed on disk. */
const PHOTO = (() => {
  const label = labelsOf(PEXELS)[0];
  const file = readdirSync(path.join(PEXELS, 'validation', label))
    .filter((name) => /\.(jpe?g|png)$/i.test(name))
    .sort()[0];
  return { file: path.join(PEXELS, 'validation', label, file), label };
})();
const MODEL_FILES = '/shared/models/';
const MODEL_URL = `${MODEL_FILES}mobilenet_v1_0.25_224/model.json`;
const SCREENSHOT = path.join(root, 'screenshots/e2e-pexel.png');

/**
 * The strictest policy the page works under (README "Self-hosting"), tried directive by
 * directive: nothing is allowed unless listed. `'wasm-unsafe-eval'` lets WebAssembly compile (the
 * wasm backend) without allowing JavaScript eval; without it tfjs logs "wasm streaming compile
 * failed" and `auto` ends on WebGL. `blob:` images are the thumbnails of chosen photos and of a
 * confusion-matrix cell. `style-src 'self'` is for this page's own stylesheet only: the element's
 * styles are constructed stylesheets, which the policy does not govern. The webcam needs nothing
 * (a MediaStream in `srcObject` is not fetched), nor does WebGL (checked once by hand with
 * `backend="webgl"` and the webcam on; not repeated here to keep the test short).
 */
export const CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

let server;
/** A second origin for the page that embeds the bundle from `origin`, as a blog embeds it from a CDN. */
let pageServer;
let pageOrigin;
let browser;
let origin;
/**
 * The visit's `block(url)` and the URLs it refused. Refused by the server (the connection is
 * dropped, as if the network were down), not by puppeteer's request interception, which stalls
 * requests made from the element's worker.
 */
let blocking = { block: undefined, blocked: [] };

before(async () => {
  assert.ok(existsSync(path.join(root, 'dist/ml-classifier.js')), 'dist/ml-classifier.js is missing: run `npm run build` first');
  // The repository root as static files (no transforms: the page loads only the built bundle)
  // and ../shared at /shared/, with the policy on every HTML response.
  server = await startDevServer({
    config: {
      rootDir: root,
      hostname: '127.0.0.1',
      port: 0,
      middleware: [
        (ctx, next) => {
          // By path, not by the response's type: a 304 revalidation has no body to type.
          if (ctx.path.endsWith('.html')) ctx.set('Content-Security-Policy', CSP);
          // As a CDN serves it: any page may load the bundle, its worker, chunks, .wasm and models.
          ctx.set('Access-Control-Allow-Origin', '*');
          return next();
        },
        (ctx, next) => {
          const url = `${origin}${ctx.url}`;
          if (!blocking.block?.(url)) return next();
          blocking.blocked.push(url);
          ctx.req.socket.destroy();
          ctx.respond = false;
          return undefined;
        },
        serveShared,
      ],
    },
    readCliArgs: false,
    readFileConfig: false,
    autoExitProcess: false,
    logStartMessage: false,
  });
  origin = `http://127.0.0.1:${server.server.address().port}`;
  // localhost and 127.0.0.1 are two origins: the page on one, the bundle on the other.
  pageServer = await startDevServer({
    config: {
      rootDir: path.join(root, 'demo'),
      hostname: 'localhost',
      port: 0,
      middleware: [
        (ctx, next) => {
          const page = CDN_PAGES[ctx.path];
          if (!page) return next();
          ctx.type = 'html';
          ctx.body = page.html(origin);
          if (page.csp) ctx.set('Content-Security-Policy', page.csp(origin));
          return undefined;
        },
      ],
    },
    readCliArgs: false,
    readFileConfig: false,
    autoExitProcess: false,
    logStartMessage: false,
  });
  pageOrigin = `http://localhost:${pageServer.server.address().port}`;
  browser = await puppeteer.launch({
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await pageServer?.stop();
});

/** A blog page on `pageOrigin` that embeds the bundle from `bundleOrigin` with one script tag. */
const cdnPage = (bundleOrigin) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>A blog post with the classifier from a CDN</title>
    <script type="module" src="${bundleOrigin}/dist/ml-classifier.js"></script>
  </head>
  <body>
    <ml-classifier model-url="${bundleOrigin}${MODEL_URL}"></ml-classifier>
  </body>
</html>`;

/**
 * What a page that embeds the bundle from a CDN needs under a strict policy: the CDN's origin in
 * `script-src` (the entry and its chunks) and `connect-src` (the model, the .wasm files);
 * `worker-src blob: <cdn>`, for the worker started from a blob: URL and the CDN's worker script and
 * chunks it imports (a module worker's imports are fetched as worker scripts; with `blob:` alone
 * the worker failed and the element fell back to the page); and `'wasm-unsafe-eval'`.
 */
export const cdnCsp = (bundleOrigin) =>
  ["default-src 'none'", `script-src ${bundleOrigin} 'wasm-unsafe-eval'`, `worker-src blob: ${bundleOrigin}`, `connect-src ${bundleOrigin}`, "img-src 'self' blob:", "base-uri 'none'"].join('; ');

const CDN_PAGES = {
  '/cdn.html': { html: cdnPage },
  '/cdn-strict.html': { html: cdnPage, csp: cdnCsp },
};

/**
 * Opens the page in a new tab of the same browser profile (so IndexedDB carries over between
 * visits) and records what it and its worker request (cache hits included), its CSP violations and
 * the element's events. `block(url)` makes the server drop matching requests, as if the network
 * were down for them.
 */
async function visit({ block, url = `${origin}/demo/bundle.html`, csp = CSP } = {}) {
  const page = await browser.newPage();
  await page.setViewport({ width: 1000, height: 900 });
  const requests = [];
  blocking = { block, blocked: [] };
  const { blocked } = blocking;
  page.on('request', (request) => requests.push(request.url()));
  const messages = [];
  page.on('console', (message) => messages.push(message.text()));
  // Before any page script: CSP violations (they bubble out of shadow roots: composed) and the
  // element's events, captured at the document.
  await page.evaluateOnNewDocument(() => {
    const log = (window.__e2e = { violations: [], predicted: [], failed: [] });
    document.addEventListener('securitypolicyviolation', (e) => log.violations.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`));
    document.addEventListener('predicted', (e) => log.predicted.push({ source: e.detail.source, label: e.detail.label, confidence: e.detail.confidence }), true);
    document.addEventListener('failed', (e) => log.failed.push(`${e.detail.code}: ${e.detail.message}`), true);
    // The page's long tasks (50 ms or more on the main thread), with when they started.
    log.longTasks = [];
    new PerformanceObserver((list) => list.getEntries().forEach((t) => log.longTasks.push({ start: t.startTime, duration: t.duration }))).observe({ type: 'longtask', buffered: true });
  });
  const response = await page.goto(url);
  // null: a page served without a policy.
  assert.equal(response.headers()['content-security-policy'] ?? null, csp);
  await page.evaluate(() => customElements.whenDefined('ml-classifier'));
  const log = () => page.evaluate(() => window.__e2e);
  return { page, requests, blocked, messages, log };
}

/** Chooses `folder` through the element's folder input and waits for `trained` (or failure). */
async function train(page, folder) {
  const input = await page.waitForSelector('ml-classifier >>> input[name="training-data"]');
  await page.evaluate(() => (window.__e2e.chosenAt = performance.now()));
  // DOM.setFileInputFiles: for a webkitdirectory input, Chromium lists the folder recursively,
  // as its folder picker does.
  await input.uploadFile(folder);
  await page.waitForFunction(() => ['trained', 'error'].includes(document.querySelector('ml-classifier').status), {
    timeout: 600_000,
    polling: 500,
  });
  return page.evaluate(() => {
    const el = document.querySelector('ml-classifier');
    const d = el.trainedDetail;
    return { status: el.status, thread: el.thread, labels: d?.labels, validationAccuracy: d?.validationAccuracy, backend: d?.backend, durationMs: d?.durationMs };
  });
}

/** Cache keys in TensorFlow.js's IndexedDB database, read without tfjs. */
const cachedModels = (page) =>
  page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('tensorflowjs');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const keys = open.result.transaction('model_info_store').objectStore('model_info_store').getAllKeys();
          keys.onsuccess = () => (open.result.close(), resolve(keys.result));
        };
      }),
  );

const isOwn = (url) => ['data:', 'blob:'].includes(new URL(url).protocol) || new URL(url).origin === origin;

test('first visit: trains on the pexel folder, classifies a photo, all requests same-origin, no CSP violation', { timeout: 900_000 }, async () => {
  const start = Date.now();
  const { page, requests, log, messages } = await visit();
  const result = await train(page, PEXELS);
  const events = await log();
  assert.equal(result.status, 'trained', `training failed: ${events.failed.join('; ')}`);
  // The module worker is same-origin, which script-src 'self' allows (worker-src falls back to it).
  assert.equal(result.thread, 'worker');
  assert.ok(requests.includes(`${origin}/dist/trainer.worker.js`), 'the worker script was requested');
  assert.deepEqual(result.labels, labelsOf(PEXELS));
  assert.ok(result.validationAccuracy >= 0.8, `validation accuracy ${result.validationAccuracy}`);

  const classify = await page.$('ml-classifier >>> input[name="classify"]');
  await classify.uploadFile(PHOTO.file);
  await page.waitForFunction(() => window.__e2e.predicted.length > 0, { timeout: 120_000, polling: 200 });
  const [prediction] = (await log()).predicted;
  assert.equal(prediction.source, path.basename(PHOTO.file));
  assert.equal(prediction.label, PHOTO.label);

  // Open a confusion-matrix cell: its validation photos are shown from blob: URLs.
  const cell = await page.waitForSelector('ml-classifier >>> [part~="matrix"] button.cell');
  await cell.click();
  await page.waitForFunction(
    () => {
      const images = [...document.querySelector('ml-classifier').shadowRoot.querySelectorAll('.cell-images img')];
      // A blocked image never loads: stop at the violation, reported below.
      return (images.length > 0 && images.every((img) => img.complete && img.naturalWidth > 0)) || window.__e2e.violations.length > 0;
    },
    { timeout: 60_000, polling: 200 },
  );

  mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });

  const { violations } = await log();
  assert.deepEqual(violations, [], `CSP violations (console: ${messages.filter((m) => m.includes('Content Security Policy')).join(' | ')})`);
  assert.deepEqual(
    requests.filter((url) => !isOwn(url)),
    [],
    'requests to other origins',
  );
  assert.ok(
    requests.some((url) => url === `${origin}${MODEL_URL}`),
    'the model came from the network',
  );
  assert.ok(requests.some((url) => url.endsWith('.wasm')) || result.backend !== 'wasm', 'wasm files requested');
  // Each backend is a chunk of its own: only the one that runs is downloaded.
  const backendChunks = requests.map((url) => /ml-classifier-tfjs-backend-(\w+)-/.exec(url)?.[1]).filter(Boolean);
  assert.deepEqual([...new Set(backendChunks)], [result.backend], 'backend chunks downloaded');
  assert.deepEqual(
    (await cachedModels(page)).filter((k) => k.startsWith('ml-classifier-base/')),
    [`ml-classifier-base/http/127.0.0.1:${new URL(origin).port}${MODEL_URL}`],
  );
  console.log(
    `first visit: ${requests.length} requests, all to ${origin}; ${result.backend}, validation accuracy ${result.validationAccuracy}; ` +
      `${prediction.label} ${prediction.confidence.toFixed(3)}; training ${(result.durationMs / 1000).toFixed(1)} s, whole visit ${((Date.now() - start) / 1000).toFixed(1)} s`,
  );
  await page.close();
});

test('second visit with the model files unreachable: the base model comes from IndexedDB', { timeout: 600_000 }, async () => {
  const start = Date.now();
  const { page, requests, blocked, log } = await visit({ block: (url) => new URL(url).pathname.startsWith(MODEL_FILES) });
  // The tiny colors data set: the point is the model load, not the training.
  const result = await train(page, COLORS);
  const events = await log();
  assert.equal(result.status, 'trained', `training failed: ${events.failed.join('; ')}`);
  assert.equal(result.thread, 'worker');
  assert.deepEqual(result.labels, labelsOf(COLORS));
  assert.equal(result.thread, 'worker');
  assert.deepEqual(blocked, [], 'no model file was even requested');
  assert.deepEqual(
    requests.filter((url) => new URL(url).pathname.startsWith(MODEL_FILES)),
    [],
    'nor taken from the HTTP cache',
  );
  // And the block works: the page itself cannot reach the model.
  assert.equal(
    await page.evaluate(
      (url) =>
        fetch(url, { cache: 'no-store' }).then(
          () => 'fetched',
          () => 'failed',
        ),
      MODEL_URL,
    ),
    'failed',
  );
  // The browser retries a GET whose connection drops: the same URL, several times.
  assert.deepEqual([...new Set(blocked)], [`${origin}${MODEL_URL}`]);
  assert.deepEqual(events.violations, []);
  assert.deepEqual(
    requests.filter((url) => !isOwn(url)),
    [],
  );
  console.log(`second visit: ${requests.length} requests, none for the model; ${((Date.now() - start) / 1000).toFixed(1)} s`);
  await page.close();
});

for (const [name, file] of [
  ['no policy', '/cdn.html'],
  ['a strict policy', '/cdn-strict.html'],
]) {
  test(`from a CDN (bundle and model on another origin, served with CORS), ${name}: trains in its worker, the page never blocked`, { timeout: 900_000 }, async () => {
    const url = `${pageOrigin}${file}`;
    const { page, requests, log, messages } = await visit({ url, csp: CDN_PAGES[file].csp?.(origin) ?? null });
    assert.equal(await page.evaluate(() => document.querySelector('ml-classifier').start()), 'worker', `console: ${messages.join(' | ')}`);
    const result = await train(page, PEXELS);
    const events = await log();
    assert.equal(result.status, 'trained', `training failed: ${events.failed.join('; ')}; console: ${messages.join(' | ')}`);
    assert.equal(result.thread, 'worker');
    assert.deepEqual(result.labels, labelsOf(PEXELS));
    assert.ok(result.validationAccuracy >= 0.8, `validation accuracy ${result.validationAccuracy}`);
    const longTasks = events.longTasks.filter((t) => t.start >= events.chosenAt);
    assert.deepEqual(longTasks, [], 'main-thread tasks of 50 ms or more after the folder was chosen');
    assert.deepEqual(events.violations, []);
    assert.deepEqual(
      requests.filter((u) => !['data:', 'blob:'].includes(new URL(u).protocol) && ![origin, pageOrigin].includes(new URL(u).origin)),
      [],
      'requests to a third origin',
    );
    // The worker and the TensorFlow.js chunk once each: the blob: worker imports the CDN's files.
    const fetched = (pattern) => requests.filter((u) => pattern.test(new URL(u).pathname)).length;
    assert.equal(fetched(/\/dist\/trainer\.worker\.js$/), 1, 'trainer.worker.js requests');
    console.log(
      `from a CDN, ${name}: ${requests.length} requests; ${result.backend}, validation accuracy ${result.validationAccuracy}; training ${(result.durationMs / 1000).toFixed(1)} s; longest task after choosing ${Math.max(0, ...events.longTasks.filter((t) => t.start >= events.chosenAt).map((t) => t.duration)).toFixed(0)} ms`,
    );
    await page.close();
  });
}

test('first paint: the element renders from the entry alone; TensorFlow.js, the worker and the model come on first use', { timeout: 300_000 }, async () => {
  const { page, requests } = await visit();
  await page.waitForSelector('ml-classifier >>> [part~="dropzone"] button');
  // Idle for a moment after rendering: nothing more may be fetched until the element is used.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const beforeUse = [...requests];
  const scripts = beforeUse.filter((u) => new URL(u).pathname.startsWith('/dist/'));
  const bytes = scripts.reduce((n, u) => n + readFileSync(path.join(root, new URL(u).pathname)).length, 0);
  // The largest chunk the worker imports holds TensorFlow.js and the pipeline.
  const tfChunk = [...readFileSync(path.join(root, 'dist/trainer.worker.js'), 'utf8').matchAll(/from\s*["']\.\/(ml-classifier-[^"']+\.js)["']/g)]
    .map((m) => m[1])
    .sort((a, b) => readFileSync(path.join(root, 'dist', b)).length - readFileSync(path.join(root, 'dist', a)).length)[0];
  assert.ok(tfChunk, 'the worker imports a shared chunk');
  assert.ok(!beforeUse.some((u) => u.endsWith(`/dist/${tfChunk}`)), `${tfChunk} fetched before first use`);
  assert.deepEqual(
    beforeUse.filter((u) => /trainer\.worker\.js|tfjs-backend|\.wasm$|model\.json$/.test(u)),
    [],
    'worker, backends or model fetched before first use',
  );
  assert.ok(bytes < 150_000, `${bytes} bytes of script before first use`);
  assert.equal(await page.evaluate(() => document.querySelector('ml-classifier').start()), 'worker');
  assert.ok(requests.some((u) => u.endsWith('/dist/trainer.worker.js')));
  assert.ok(requests.some((u) => u.endsWith(`/dist/${tfChunk}`)));
  console.log(`first paint: ${scripts.length} script requests, ${bytes} bytes (${scripts.map((u) => new URL(u).pathname).join(', ')}); after start(): ${requests.length} requests`);
  await page.close();
});

/** Debian's Firefox ESR, where installed (`.ci/run` installs it). */
const FIREFOX = '/usr/bin/firefox-esr';

test(
  'Firefox ESR: trains the pexel photos in its worker through train() with paths, classifies a photo, no uncaught error',
  { timeout: 900_000, skip: !existsSync(FIREFOX) && 'firefox-esr is not installed' },
  async () => {
    const firefox = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true });
    try {
      const page = await firefox.newPage();
      const errors = [];
      page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
      page.on('console', (message) => message.type() === 'error' && errors.push(`console: ${message.text()}`));
      await page.goto(`${origin}/demo/bundle.html`);
      await page.evaluate(() => customElements.whenDefined('ml-classifier'));
      // The photos as the page would get them: fetched from this origin, with their paths in the folder.
      const paths = readdirSync(PEXELS, { recursive: true })
        .map((p) => p.split(path.sep).join('/'))
        .filter((p) => /\.(jpe?g|png)$/i.test(p));
      const result = await page.evaluate(
        async (paths, photo) => {
          const el = document.querySelector('ml-classifier');
          const files = await Promise.all(
            paths.map(async (p) => {
              const blob = await (await fetch(`/shared/datasets/dataset-tutorial-for-image-classification/pexel-images/${p}`)).blob();
              return { file: new File([blob], p.split('/').at(-1), { type: blob.type }), path: `pexel-images/${p}` };
            }),
          );
          const detail = await el.train(files);
          const prediction = await el.predict(files.find((f) => f.path.endsWith(photo)).file);
          return { thread: el.thread, labels: detail.labels, validationAccuracy: detail.validationAccuracy, backend: detail.backend, durationMs: detail.durationMs, predicted: prediction.label };
        },
        paths,
        `validation/${PHOTO.label}/${path.basename(PHOTO.file)}`,
      );
      assert.equal(result.thread, 'worker');
      assert.deepEqual(result.labels, labelsOf(PEXELS));
      assert.ok(result.validationAccuracy >= 0.8, `validation accuracy ${result.validationAccuracy}`);
      assert.equal(result.predicted, PHOTO.label);
      assert.deepEqual(errors, [], 'uncaught errors in Firefox');
      console.log(`Firefox ESR: ${result.backend} in its ${result.thread}, validation accuracy ${result.validationAccuracy}, training ${(result.durationMs / 1000).toFixed(1)} s`);
    } finally {
      await firefox.close();
    }
  },
);
