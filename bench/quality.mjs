#!/usr/bin/env node
// `npm run quality [-- options]`: how accurate `<ml-classifier>` is per configuration (base model,
// pooling, augmentation...). Trains the real element in headless Chromium on the shared data sets,
// once per seed, prints a markdown table (validation accuracy `mean [min-max]` over the seeds, in
// %, and the sign-language timings) to stdout, progress to stderr, and every run to
// bench-results/quality.json. Not part of `npm test`: the full sweep takes hours on two cores.
//
// Each run is a fresh element configured by attributes only (the page, bench/quality.ts, removes
// it after), with the base-model cache cleared first, so nothing carries over between runs. The
// page imports src/ through the dev server, so the element measured is the working tree's, and no
// build is involved (--no-build is accepted for symmetry with `npm run bench` and does nothing).
//
// Options:
//   --configs recipe,default   configurations from the built-in list (default: all of them)
//   --extra 'name:attr=value;attr=value'   one more configuration (repeatable; always run)
//   --sets sign,pexel,colors,flowers       data sets (default: all)
//   --seeds 1,2,3              `seed` attribute values (default 1,2,3)
//
// A failed run shows as its error code in the table; the exit status is non-zero only when the
// benchmark cannot run at all (bad options, no browser, the page does not load).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedDir } from '../tools/dev-server-plugins.mjs';
import { call, gitCommit, handOver, launchBrowser, listShared, log, openPage, root, startServer } from './harness.mjs';

const SETS = {
  sign: 'datasets/sign-language-digits',
  pexel: 'datasets/dataset-tutorial-for-image-classification/pexel-images',
  colors: 'datasets/dataset-tutorial-for-image-classification/colors',
  flowers: 'datasets/flowers-dev',
};

/**
 * The built-in configurations. `fallback` is set only when the element does not know `base-model`
 * (a build from before base models were selectable): the recipe's base is then given by URL, so
 * the recipe still measures the same network; on a newer element it is not set, so `model-url`
 * never competes with `models-path` + `base-model`.
 */
const CONFIGS = [
  { name: 'recipe', attributes: { 'base-model': 'mobilenet-v1-0.25', pooling: 'none' }, fallback: { 'model-url': '/shared/models/mobilenet_v1_0.25_224/model.json' } },
  { name: 'default', attributes: {} },
  { name: 'v2-0.35', attributes: { 'base-model': 'mobilenet-v2-0.35' } },
  { name: 'v2-0.50-96', attributes: { 'base-model': 'mobilenet-v2-0.50-96' } },
  { name: 'v1-0.75', attributes: { 'base-model': 'mobilenet-v1-0.75' } },
];

/**
 * Set on every run, before a configuration's own. Explicit rather than the element's defaults, so
 * that a change of default does not silently change what the table compares.
 */
const COMMON = {
  'models-path': '/shared/models/',
  'validation-split': '0.15',
  backend: 'auto',
  'wasm-path': '/node_modules/@tensorflow/tfjs-backend-wasm/dist/', // as bench/common.ts's WASM_PATH
};

const USAGE = `usage: node bench/quality.mjs [--configs ${CONFIGS.map((c) => c.name).join(',')}] [--sets ${Object.keys(SETS).join(',')}] [--seeds 1,2,3] [--extra 'name:attr=value;attr=value']... [--no-build]`;

function parseArgs(argv) {
  const list = (value) =>
    value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const options = { configs: CONFIGS.map((c) => c.name), sets: Object.keys(SETS), seeds: [1, 2, 3], extras: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--configs') options.configs = list(value());
    else if (arg === '--sets') options.sets = list(value());
    else if (arg === '--seeds') options.seeds = list(value()).map(Number);
    else if (arg === '--extra') options.extras.push(parseExtra(value()));
    else if (arg === '--no-build') continue;
    else throw new Error(`unknown option ${arg}`);
  }
  for (const name of options.configs) if (!CONFIGS.some((c) => c.name === name)) throw new Error(`unknown configuration ${name}`);
  for (const name of options.sets) if (!SETS[name]) throw new Error(`unknown data set ${name}`);
  if (!options.seeds.length || options.seeds.some((s) => !Number.isFinite(s))) throw new Error('--seeds takes numbers');
  const configs = [...CONFIGS.filter((c) => options.configs.includes(c.name)), ...options.extras];
  const names = configs.map((c) => c.name);
  if (new Set(names).size !== names.length) throw new Error(`configuration names repeat: ${names.join(', ')}`);
  return { configs, sets: options.sets, seeds: options.seeds };
}

/** `name:attr=value;attr=value` → a configuration. */
function parseExtra(text) {
  const colon = text.indexOf(':');
  const name = (colon < 0 ? text : text.slice(0, colon)).trim();
  if (!name) throw new Error(`--extra ${text}: no name`);
  const attributes = {};
  for (const pair of colon < 0
    ? []
    : text
        .slice(colon + 1)
        .split(';')
        .filter((p) => p.trim())) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new Error(`--extra ${text}: "${pair}" is not attr=value`);
    attributes[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return { name, attributes };
}

/** The attributes one run sets, and those of them the element does not observe (so ignores). */
function attributesFor(config, seed, observed) {
  const own = { ...config.attributes, ...(config.fallback && !observed.includes('base-model') ? config.fallback : {}) };
  const attributes = { ...COMMON, seed: String(seed), ...own };
  return { attributes, ignored: Object.keys(attributes).filter((a) => !observed.includes(a)) };
}

const imagesRead = (counts) => Object.values(counts).reduce((n, c) => n + c.train + c.validation, 0);
const validationImages = (counts) => Object.values(counts).reduce((n, c) => n + c.validation, 0);
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const pct = (x) => (x * 100).toFixed(1);

/** `mean [min-max]` in %, or the error codes when runs failed (`seed 2: diverged` beside the others' figures). */
function accuracyCell(runs) {
  if (!runs.length) return '–';
  const scored = runs.filter((r) => r.ok && r.detail.validationAccuracy !== null).map((r) => r.detail.validationAccuracy);
  const failed = runs.filter((r) => !r.ok);
  let cell = '';
  if (scored.length === 1) cell = pct(scored[0]);
  else if (scored.length) cell = `${pct(mean(scored))} [${pct(Math.min(...scored))}-${pct(Math.max(...scored))}]`;
  else if (runs.some((r) => r.ok)) cell = 'no validation images';
  if (failed.length === runs.length) return [...new Set(failed.map((r) => r.failure.code))].join(', ');
  if (failed.length) cell += `; ${failed.map((r) => `seed ${r.seed}: ${r.failure.code}`).join(', ')}`;
  return cell;
}

function table(results, configs, sets) {
  const header = ['configuration', ...sets];
  const withSign = sets.includes('sign');
  if (withSign) header.push('reading ms/image (sign)', 'files→trained s (sign)');
  const rows = configs.map((config) => {
    const of = (set) => results.filter((r) => r.config === config.name && r.set === set);
    const row = [config.name, ...sets.map((set) => accuracyCell(of(set)))];
    if (withSign) {
      const ok = of('sign').filter((r) => r.ok);
      row.push(ok.length ? mean(ok.map((r) => r.detail.phaseMs.reading / imagesRead(r.detail.counts))).toFixed(1) : '–');
      row.push(ok.length ? (mean(ok.map((r) => r.detail.durationMs)) / 1000).toFixed(1) : '–');
    }
    return row;
  });
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i ? '---:' : '---'))), ...rows.map(line)].join('\n');
}

/** What the table alone does not say: seeds, validation images per set, backends, ignored attributes. */
function notes(results, configs, sets, seeds, observed) {
  const out = [`Validation accuracy in %, mean [min-max] over seeds ${seeds.join(', ')}; a failed run shows its error code.`];
  const sizes = sets.map((set) => {
    const counts = [...new Set(results.filter((r) => r.set === set && r.ok).map((r) => validationImages(r.detail.counts)))];
    return `${set} ${counts.length ? counts.join('/') : '? (no run succeeded)'}`;
  });
  out.push(`Validation images: ${sizes.join(', ')}.`);
  const backends = [...new Set(results.filter((r) => r.ok).map((r) => r.detail.backend))];
  if (backends.length) out.push(`Backend: ${backends.join(', ')}.`);
  for (const config of configs) {
    const { attributes, ignored } = attributesFor(config, seeds[0], observed);
    const own = Object.keys(attributes).filter((a) => !(a in COMMON) && a !== 'seed');
    out.push(`- ${config.name}: ${own.map((a) => `${a}=${attributes[a]}`).join(' ') || '(element defaults)'}${ignored.length ? ` — ignored by this element: ${ignored.join(', ')}` : ''}`);
  }
  return out.join('\n');
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    log(`${error.message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const { configs, sets, seeds } = options;
  const started = Date.now();
  const paths = {};
  for (const set of sets) {
    paths[set] = await listShared(SETS[set]);
    // Read once here, so the first run on a set does not meet its files cold on disk and the others warm.
    await Promise.all(paths[set].map((p) => readFile(path.join(sharedDir, SETS[set], p))));
  }

  const { server, port } = await startServer();
  const browser = await launchBrowser([
    // One page, but puppeteer's tab may still count as hidden: keep its timers at full speed.
    '--disable-background-timer-throttling',
    '--disable-renderer-backgrounding',
    '--disable-backgrounding-occluded-windows',
  ]);
  const json = path.join(root, 'bench-results/quality.json');
  try {
    const page = await openPage(browser, `http://127.0.0.1:${port}/bench/quality.html`, 'quality');
    const observed = await call(page, 'observedAttributes');
    for (const set of sets) await handOver(page, set, SETS[set], paths[set]);
    const ignoredAnywhere = [...new Set(configs.flatMap((c) => attributesFor(c, seeds[0], observed).ignored))];
    if (ignoredAnywhere.length) log(`· this element ignores: ${ignoredAnywhere.join(', ')} (runs go on with its defaults for them)`);

    const results = [];
    const record = {
      date: new Date().toISOString(),
      commit: gitCommit(),
      machine: { cpu: os.cpus()[0]?.model ?? 'unknown CPU', cores: os.cpus().length, browser: await browser.version() },
      options: { configs, sets: Object.fromEntries(sets.map((s) => [s, SETS[s]])), seeds, common: COMMON },
      observedAttributes: observed,
      runs: results,
      seconds: 0,
    };
    await mkdir(path.dirname(json), { recursive: true });
    // Sets outer, seeds next, configurations inner: a slow spell of a shared machine then hits every
    // configuration of a set alike rather than one configuration's seeds.
    for (const set of sets) {
      for (const seed of seeds) {
        for (const config of configs) {
          const { attributes, ignored } = attributesFor(config, seed, observed);
          const t = Date.now();
          let result;
          try {
            result = await call(page, 'run', set, attributes);
          } catch (error) {
            // The page itself broke (crash, protocol timeout): report it like a failed run and go on.
            result = { ok: false, failure: { code: 'bench-error', message: String(error), during: 'bench' } };
          }
          const seconds = (Date.now() - t) / 1000;
          results.push({ config: config.name, set, seed, attributes, ignored, seconds, ...result });
          const outcome = result.ok
            ? `${result.detail.validationAccuracy === null ? 'no validation images' : `${pct(result.detail.validationAccuracy)}%`} (train ${pct(result.detail.accuracy)}%, ${result.detail.backend})`
            : `failed: ${result.failure.code} (${result.failure.message})`;
          log(`· ${config.name} · ${set} · seed ${seed}: ${outcome} in ${seconds.toFixed(1)} s`);
          record.seconds = (Date.now() - started) / 1000;
          // Written after every run, so a long sweep that is stopped keeps what it measured.
          await writeFile(json, `${JSON.stringify(record, null, 2)}\n`);
        }
      }
    }
    console.log(`\n${table(results, configs, sets)}\n\n${notes(results, configs, sets, seeds, observed)}\n`);
    log(`Written: ${path.relative(root, json)} (took ${Math.round((Date.now() - started) / 1000)} s)`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

/**
 * The table and notes of a bench-results/quality.json record, as printed at the end of a sweep
 * (`npm run bench` shows them beside its speed figures).
 */
export function formatRecord({ runs, options, observedAttributes }) {
  const sets = Object.keys(options.sets);
  return `${table(runs, options.configs, sets)}\n\n${notes(runs, options.configs, sets, options.seeds, observedAttributes)}`;
}

// Only when run as a script: bench/run.mjs imports formatRecord.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
