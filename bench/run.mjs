#!/usr/bin/env node
// `npm run bench [-- --quick]`: measures the pipeline against a naive baseline in headless
// Chromium on the real MobileNet and the data sets in ../shared, prints a table with every target
// (PASS/FAIL; a missed target does not fail the process) and writes bench-results/latest.json.
//
// Two pages on two origins (localhost and 127.0.0.1), hence two renderer processes: the pipeline's
// (the project's code) and the naive baseline's (stock tfjs, no project kernels), so neither's
// heap, main thread or registered kernels count for the other. Steps run one at a time,
// alternating the two, on the same files.
//
// Then each base model with a copy in ../shared: its activations on wasm, and sign-language end to
// end through the element with `base-model` set, against the original recipe; with the accuracy
// table of the last `npm run quality` (bench-results/quality.json) when there is one.
//
// --quick: the pexel set and a 200-photo subset of sign-language (20 per label), fewer repetitions.
// --no-build: measure dist/ml-classifier.js as it is (by default it is rebuilt when older than src/).
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { sharedDir } from '../tools/dev-server-plugins.mjs';
import { call, gitCommit, handOver, launchBrowser, listShared, log, openPage, root, startServer } from './harness.mjs';
import { formatRecord } from './quality.mjs';
import { best, decodeSummary, format, isRecipe, runSummary, targets } from './report.mjs';

const quick = process.argv.includes('--quick');
/** How much is measured. Sign-language photos are 0.01 MP, so a sample gives their per-image decode figures. */
const plan = {
  quick,
  pexelReps: quick ? 1 : 2,
  signLimit: quick ? 200 : null, // photos in the end-to-end sign-language runs; null: all
  decodeSign: quick ? 100 : 200,
  backendReps: quick ? 3 : 5, // batches timed per backend (webgl and cpu: at most 3, they are slow)
  backendImages: 32,
  cpuImages: 8, // the CPU backend takes ~90 ms per image
};
const PEXEL = 'datasets/dataset-tutorial-for-image-classification/pexel-images';
const SIGN = 'datasets/sign-language-digits';
/** The registry's bases with a copy in ../shared/models, served there (as bench/common.ts's MODELS_PATH). */
const BASES = ['mobilenet-v1-0.25', 'mobilenet-v1-0.75', 'mobilenet-v2-0.35', 'mobilenet-v2-0.50-96'];
const MODELS_PATH = '/shared/models/';

/** The first `perLabel` photos of each `<label>/` folder, for a subset that keeps every label. */
function subset(paths, perLabel) {
  const taken = {};
  return paths.filter((p) => /\.(jpe?g|png)$/i.test(p) && (taken[p.split('/')[0]] = (taken[p.split('/')[0]] ?? 0) + 1) <= perLabel);
}

/**
 * The bundle's sizes, rebuilt first when dist/ml-classifier.js is missing or older than a file
 * under src/: the entry alone (`entry*`), and everything the page downloads (`bytes`, `gzipBytes`,
 * each file gzipped on its own as a server would send it): the entry, the chunks it imports, the
 * worker `trainer.worker.js` it starts and the worker's imports, each file once.
 */
async function bundleSize() {
  const file = path.join(root, 'dist/ml-classifier.js');
  const built = await stat(file).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  const sources = await readdir(path.join(root, 'src'), { recursive: true, withFileTypes: true });
  const newest = Math.max(...(await Promise.all(sources.filter((e) => e.isFile()).map((e) => stat(path.join(e.parentPath, e.name)).then((s) => s.mtimeMs)))));
  let note = '';
  if (process.argv.includes('--no-build')) note = built ? 'not rebuilt (--no-build)' : 'no bundle (--no-build)';
  else if (newest > built) {
    log('· dist/ml-classifier.js is missing or older than src/: npx rollup -c');
    const build = spawnSync('npx', ['rollup', '-c'], { cwd: root, encoding: 'utf8' });
    if (build.status !== 0) {
      log(build.stderr);
      note = built ? 'rollup failed: size of the older build' : 'rollup failed, no bundle';
    }
  }
  const bytes = await readFile(file).catch(() => null);
  if (!bytes) return { bytes: 0, gzipBytes: 0, entryBytes: 0, entryGzipBytes: 0, files: [], note };
  const gz = (b) => gzipSync(b, { level: 9 }).length;
  // Follow static imports (`from"./x.js"`, `import"./x.js"`) from the entry and from the worker it
  // starts; dynamic ones (`import("./x.js")`, a backend's chunk) load only when selected: listed apart.
  const seen = new Map();
  const dynamic = new Set();
  const visit = async (name) => {
    if (seen.has(name)) return;
    const content = await readFile(path.join(root, 'dist', name)).catch(() => null);
    if (!content) return;
    seen.set(name, content);
    const text = content.toString('utf8');
    for (const m of text.matchAll(/(?<![.\w$])(?:from\s*|import\s*)["']\.\/([\w.-]+\.js)["']/g)) await visit(m[1]);
    for (const m of text.matchAll(/(?<![.\w$])import\s*\(\s*["']\.\/([\w.-]+\.js)["']/g)) dynamic.add(m[1]);
    if (/["']\.\/trainer\.worker\.js["']/.test(text)) await visit('trainer.worker.js');
  };
  await visit('ml-classifier.js');
  const files = [...seen.keys()];
  const all = [...seen.values()];
  const onDemand = [];
  // Each on-demand chunk with the static imports it adds (chunks shared between backends included).
  const closure = async (name, into) => {
    if (seen.has(name) || into.has(name)) return;
    const content = await readFile(path.join(root, 'dist', name)).catch(() => null);
    if (!content) return;
    into.set(name, content);
    for (const m of content.toString('utf8').matchAll(/(?<![.\w$])(?:from\s*|import\s*)["']\.\/([\w.-]+\.js)["']/g)) await closure(m[1], into);
  };
  for (const name of [...dynamic].filter((n) => !seen.has(n))) {
    const added = new Map();
    await closure(name, added);
    const parts = [...added.values()];
    if (parts.length) onDemand.push({ file: name, bytes: parts.reduce((n, b) => n + b.length, 0), gzipBytes: parts.reduce((n, b) => n + gz(b), 0) });
  }
  return {
    onDemand,
    bytes: all.reduce((n, b) => n + b.length, 0),
    gzipBytes: all.reduce((n, b) => n + gz(b), 0),
    entryBytes: bytes.length,
    entryGzipBytes: gz(bytes),
    files,
    note,
  };
}

/**
 * `window.bench.run(name)` in a page, with the peak of the page's and its workers' used JS heap and
 * ArrayBuffers together, sampled from outside every 100 ms (CDP `Runtime.getHeapUsage` on each
 * target: a page cannot read a worker's heap) into the result's `usage.peakHeapBytes`.
 */
async function watchedRun(page, name, attributes) {
  const session = await page.createCDPSession();
  // The JS heap plus ArrayBuffer backing stores: decoded pixels and the WASM backend's memory live there.
  const used = (client) =>
    client.send('Runtime.getHeapUsage').then(
      (h) => h.usedSize + h.backingStorageSize,
      () => 0,
    );
  let peak = 0;
  let running = true;
  const sampling = (async () => {
    while (running) {
      const sizes = await Promise.all([session, ...page.workers().map((w) => w.client)].map(used));
      peak = Math.max(
        peak,
        sizes.reduce((a, b) => a + b, 0),
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  try {
    const result = await call(page, 'run', name, attributes);
    result.usage.peakHeapBytes = peak;
    return result;
  } finally {
    running = false;
    await sampling;
    await session.detach();
  }
}

/** Runs and times one step, with a progress line on stderr. */
async function step(label, f) {
  const t = Date.now();
  process.stderr.write(`· ${label} … `);
  const result = await f();
  process.stderr.write(`${((Date.now() - t) / 1000).toFixed(1)} s\n`);
  return result;
}

/**
 * The accuracy table of the last `npm run quality`, if any, with where it came from; `runs` of
 * `planned` tells a sweep still running or stopped from a finished one.
 */
async function readQuality() {
  const file = path.join(root, 'bench-results/quality.json');
  try {
    const record = JSON.parse(await readFile(file, 'utf8'));
    const planned = record.options.configs.length * Object.keys(record.options.sets).length * record.options.seeds.length;
    return { file: path.relative(root, file), date: record.date, commit: record.commit, runs: record.runs.length, planned, table: formatRecord(record) };
  } catch (error) {
    // Missing, or caught mid-write by a sweep running beside the benchmark: the report says so.
    return error.code === 'ENOENT' ? null : { file: path.relative(root, file), error: String(error) };
  }
}

async function main() {
  const started = Date.now();
  const pexelPaths = await listShared(PEXEL);
  const signAll = await listShared(SIGN);
  // A folder pick hands over everything in it, notes included (the pipeline skips them).
  const signPaths = plan.signLimit ? subset(signAll, plan.signLimit / 10) : signAll;
  // Both pages read the same files; read them once here so neither meets them cold on disk.
  for (const [folder, paths] of [
    [PEXEL, pexelPaths],
    [SIGN, signAll],
  ]) {
    await Promise.all(paths.map((p) => readFile(path.join(sharedDir, folder, p))));
  }

  const bundle = await step('bundle size', bundleSize);
  const { server, port } = await startServer();
  const browser = await launchBrowser([
    '--js-flags=--expose-gc', // a collection before each watched run
    // Two pages are open; the idle one must not slow the working one's timers.
    '--disable-background-timer-throttling',
    '--disable-renderer-backgrounding',
    '--disable-backgrounding-occluded-windows',
  ]);
  try {
    const pipeline = await openPage(browser, `http://localhost:${port}/bench/pipeline.html`, 'pipeline');
    const naive = await openPage(browser, `http://127.0.0.1:${port}/bench/naive.html`, 'naive');
    const env = await call(pipeline, 'environment');
    for (const page of [pipeline, naive]) {
      await handOver(page, 'pexel', PEXEL, pexelPaths);
      await handOver(page, 'sign', SIGN, signPaths);
    }
    const backend = await step('warm-up (pipeline page)', () => call(pipeline, 'warmUp'));
    await step(`warm-up (naive page, ${backend})`, () => call(naive, 'warmUp', backend));

    const pipelineDecodes = {};
    for (const [name, limit] of [
      ['pexel', pexelPaths.length],
      ['sign', plan.decodeSign],
    ]) {
      pipelineDecodes[name] = await step(`decode ${name} (pipeline; the naive decode is timed in its run)`, () => call(pipeline, 'decode', name, limit));
    }

    const backends = [];
    for (const preference of ['webgl', 'wasm', 'cpu', 'auto']) {
      const images = preference === 'cpu' ? plan.cpuImages : plan.backendImages;
      const reps = ['webgl', 'cpu'].includes(preference) ? Math.min(3, plan.backendReps) : plan.backendReps;
      backends.push(await step(`activations on ${preference} (${images} images)`, () => call(pipeline, 'activations', preference, 'pexel', images, reps)));
    }

    const endToEnd = {};
    const decode = {};
    for (const [name, reps] of [
      ['pexel', plan.pexelReps],
      ['sign', 1],
    ]) {
      // The pipeline's runs before and after the naive one, so slow spells of a shared machine hit both.
      const pipelineRuns = [];
      pipelineRuns.push(runSummary(await step(`${name} end to end (pipeline)`, () => watchedRun(pipeline, name))));
      const naiveRun = await step(`${name} end to end (naive)`, () => watchedRun(naive, name));
      for (let r = 1; r < reps; r++) pipelineRuns.push(runSummary(await step(`${name} end to end (pipeline, again)`, () => watchedRun(pipeline, name))));
      endToEnd[name] = {
        pipeline: { runs: pipelineRuns, best: best(pipelineRuns) },
        naive: { runs: [runSummary(naiveRun)], best: runSummary(naiveRun), backend },
      };
      decode[name] = decodeSummary(pipelineDecodes[name], naiveRun.result.decodes);
    }

    // Each base: bare activations on wasm (the backend without a GPU), then files → trained on
    // sign-language through the element configured as a page would, by base-model alone.
    const bases = { activations: [], endToEnd: [] };
    for (const id of BASES) {
      bases.activations.push(await step(`activations of ${id} on wasm (${plan.backendImages} images)`, () => call(pipeline, 'activations', 'wasm', 'pexel', plan.backendImages, plan.backendReps, id)));
    }
    const baseRun = async (label, attributes) => {
      const raw = await step(`sign end to end, ${label} (pipeline)`, () => watchedRun(pipeline, 'sign', attributes));
      return { label, attributes, base: raw.detail.baseModel.id, pooling: raw.detail.baseModel.pooling, ...runSummary(raw) };
    };
    for (const id of BASES) bases.endToEnd.push(await baseRun(id, { 'base-model': id, 'models-path': MODELS_PATH }));
    // The ratios' reference is the original recipe, v1 0.25 unpooled: the v1 0.25 run while that is
    // its default pooling, else a run of its own.
    if (!bases.endToEnd.some(isRecipe)) {
      bases.endToEnd.push(await baseRun('recipe', { 'base-model': 'mobilenet-v1-0.25', pooling: 'none', 'models-path': MODELS_PATH }));
    }
    bases.quality = await readQuality();

    const results = {
      date: new Date().toISOString(),
      commit: gitCommit(),
      plan,
      machine: {
        cpu: os.cpus()[0]?.model ?? 'unknown CPU',
        cores: os.cpus().length,
        memoryBytes: os.totalmem(),
        os: `${os.type()} ${os.release()}`,
        node: process.versions.node,
        browser: await browser.version(),
        ...env,
      },
      bundle,
      decode,
      backends,
      endToEnd,
      bases,
      benchSeconds: 0,
    };
    results.targets = targets(results);
    results.benchSeconds = (Date.now() - started) / 1000;
    await mkdir(path.join(root, 'bench-results'), { recursive: true });
    const json = path.join(root, 'bench-results/latest.json');
    await writeFile(json, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\n${format(results)}\n\nWritten: ${path.relative(root, json)} (benchmark took ${Math.round(results.benchSeconds)} s)`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
