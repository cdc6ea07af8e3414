// `npm run test:package` (after `npm run build`): what the npm package ships, and whether its
// custom elements manifest, README and JSX typings describe the same element.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (file) => readFileSync(path.join(root, file), 'utf8');
const pkg = JSON.parse(read('package.json'));

/** Files under `dir`, `/`-separated and relative to the repository root. */
function listFiles(dir) {
  return readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

/** The bundle's entries: the element, the engine for scripts, the worker. */
const ENTRIES = ['dist/ml-classifier.js', 'dist/ml-classifier-engine.js', 'dist/trainer.worker.js'];
/** The bundle's chunks (`rollup.config.mjs`): the code the entries share, and one per TensorFlow.js backend. */
const bundleChunks = readdirSync(path.join(root, 'dist'))
  .filter((f) => /^ml-classifier-[\w-]+\.js$/.test(f) && !ENTRIES.includes(`dist/${f}`))
  .map((f) => `dist/${f}`);
/** The chunk of each backend, by name. */
const backendChunks = Object.fromEntries(
  bundleChunks.flatMap(
    (f) =>
      /-tfjs-backend-(webgl|wasm|cpu)-/
        .exec(f)
        ?.slice(1, 2)
        .map((name) => [name, f]) ?? [],
  ),
);

describe('npm package', () => {
  // --ignore-scripts: no prepack rebuild; npm test has just built dist/.
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }));
  const shipped = packed.files.map((f) => f.path).sort();

  it('ships exactly the bundle (two entries and their chunks), the wasm files, the unbundled build with types, the manifest and the README', () => {
    const sources = listFiles('src').filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
    assert.deepEqual(Object.keys(backendChunks).sort(), ['cpu', 'wasm', 'webgl'], `a chunk per backend in dist/: ${bundleChunks.join(', ')}`);
    const expected = [
      'package.json',
      'README.md',
      ...(existsSync(path.join(root, 'LICENSE')) ? ['LICENSE'] : []),
      'custom-elements.json',
      ...[...ENTRIES, ...bundleChunks].flatMap((f) => [f, `${f}.map`]),
      'dist/tfjs-backend-wasm.wasm',
      'dist/tfjs-backend-wasm-simd.wasm',
      'dist/tfjs-backend-wasm-threaded-simd.wasm',
      // One .js and one .d.ts per source file; anything else in dist/esm is stale.
      ...sources.flatMap((f) => {
        const base = `dist/esm/${f.slice('src/'.length, -'.ts'.length)}`;
        return [`${base}.js`, `${base}.d.ts`];
      }),
    ].sort();
    assert.deepEqual(shipped, expected);
  });

  it('every "exports" target and package.json entry field is a shipped file', () => {
    const targets = Object.values(pkg.exports).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)));
    for (const field of ['main', 'module', 'types', 'unpkg', 'jsdelivr', 'customElements']) targets.push(pkg[field]);
    for (const target of targets) assert.ok(shipped.includes(target.replace(/^\.\//, '')), `${target} is not in the package`);
  });

  it('the main entry types need no React, Preact or Vue (only ml-classifier/react, /preact, /vue do)', () => {
    const declarations = shipped.filter((f) => f.endsWith('.d.ts') && !f.startsWith('dist/esm/jsx/'));
    for (const file of declarations) {
      assert.doesNotMatch(read(file), /from ['"](react|preact|vue)(\/[^'"]*)?['"]/, file);
    }
  });

  it('the bundle imports nothing from outside dist/: Lit, TensorFlow.js and d3-dsv are inside', () => {
    for (const file of [...ENTRIES, ...bundleChunks]) {
      // Minified: `import"x"`, `from"x"`, or `import("x")` (not `Buffer.from(" ")`); any bare
      // specifier would need a resolver.
      const specifiers = [...read(file).matchAll(/(?<![.\w$])(?:from\s*|import\s*\(?\s*)["']([^"']+)["']/g)].map((m) => m[1]);
      for (const specifier of specifiers) {
        assert.match(specifier, /^\.\/[\w.-]+\.js$/, `${file} imports ${specifier}`);
        assert.ok(existsSync(path.join(root, 'dist', specifier)), `${file} imports ${specifier}, which is not in dist/`);
      }
    }
  });

  it('the worker, the engine entry and the in-page fallback share the TensorFlow.js chunk (downloaded once); the element entry loads none of it; backends are imported only when selected; the worker is found next to the code that starts it', () => {
    /** Chunks a file imports statically (`from"./x.js"` or `import"./x.js"`), which load with it. */
    const imports = (file) => [...read(file).matchAll(/(?<![.\w$])(?:from\s*|import\s*)["']\.\/([^"']+)["']/g)].map((m) => `dist/${m[1]}`);
    /** Everything that loads with a file: its static imports, and theirs. */
    const loadsWith = (file, seen = new Set()) => {
      for (const chunk of imports(file)) if (!seen.has(chunk)) loadsWith(chunk, seen.add(chunk));
      return seen;
    };
    const dynamicImports = (file) => [...read(file).matchAll(/import\(\s*["']\.\/([^"']+)["']\s*\)/g)].map((m) => `dist/${m[1]}`);
    // The element entry: nothing of TensorFlow.js loads with it; its main-thread fallback imports the same chunk on demand.
    const element = loadsWith('dist/ml-classifier.js');
    // The worker's: the TensorFlow.js chunk, and small ones the element loads too (errors, the file layouts).
    const workerChunks = imports('dist/trainer.worker.js');
    const tfChunks = workerChunks.filter((chunk) => !element.has(chunk));
    assert.equal(tfChunks.length, 1, `the worker's chunks that the element does not load: ${tfChunks.join(', ')}`);
    const [shared] = tfChunks;
    assert.match(read(shared), /tfjs|TensorFlow/i);
    for (const chunk of element) assert.doesNotMatch(read(chunk), /registerBackend|tfjs-core/, `${chunk} holds TensorFlow.js`);
    assert.ok(loadsWith('dist/ml-classifier-engine.js').has(shared));
    const fallback = ['dist/ml-classifier.js', ...element].flatMap(dynamicImports);
    assert.ok(
      fallback.some((chunk) => chunk === shared || loadsWith(chunk).has(shared)),
      `the fallback's dynamic import (${fallback.join(', ')}) reaches ${shared}`,
    );
    for (const file of [...ENTRIES, shared]) {
      for (const chunk of Object.values(backendChunks)) assert.ok(!loadsWith(file).has(chunk), `${file} loads ${chunk} with it`);
    }
    const dynamic = dynamicImports(shared);
    assert.deepEqual(dynamic.filter((f) => Object.values(backendChunks).includes(f)).sort(), Object.values(backendChunks).sort());
    assert.match(read('dist/ml-classifier.js') + bundleChunks.map(read).join(''), /["']\.\/trainer\.worker\.js["'],\s*import\.meta\.url/);
    assert.match(read('dist/esm/engine/worker-pipeline.js'), /new URL\('\.\/trainer\.worker\.js', import\.meta\.url\)/);
    assert.ok(shipped.includes('dist/esm/engine/trainer.worker.js'));
  });
});

describe('custom elements manifest', () => {
  const manifest = JSON.parse(read('custom-elements.json'));
  const element = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'ml-classifier');
  const readme = read('README.md');
  /** The README's lines between a `### title` heading and the next heading. */
  const section = (title) => {
    const start = readme.indexOf(`\n### ${title}\n`);
    assert.ok(start >= 0, `README has a "### ${title}" section`);
    return readme
      .slice(start + 1)
      .split('\n')
      .slice(1)
      .join('\n')
      .split(/\n#{2,3} /)[0];
  };
  /** First and second cells of each body row of a Markdown table, backticks removed. */
  const tableRows = (text) =>
    text
      .split('\n')
      .filter((l) => l.startsWith('|') && !/^\|\s*(-{3,}|(attribute|method|event|part|custom property)\b)/.test(l))
      .map((l) =>
        l
          .split('|')
          .slice(1, 3)
          .map((c) => c.trim().replace(/`/g, '')),
      );
  const backticked = (text) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

  it('is generated, into package.json "customElements", with the element class and its module', () => {
    assert.equal(pkg.customElements, 'custom-elements.json');
    assert.ok(element, 'ml-classifier is declared');
    assert.equal(element.name, 'MlClassifier');
    const mod = manifest.modules.find((m) => m.declarations?.includes(element));
    assert.equal(mod.path, 'dist/esm/elements/ml-classifier.js');
  });

  it('has attributes mapped to properties, typed events, parts and custom properties', () => {
    assert.ok(element.attributes.length > 0);
    for (const a of element.attributes) assert.ok(a.fieldName, `attribute ${a.name} has a property`);
    assert.ok(element.events.length > 0);
    for (const e of element.events) assert.match(e.type?.text ?? '', /^\w+Event$/, `event ${e.name} has its class as type`);
    assert.ok(element.cssParts.length > 0);
    assert.ok(
      element.members.every((m) => m.privacy !== 'private'),
      'private members are left out',
    );
  });

  it('lists every custom property the styles declare', () => {
    const styles = listFiles('src/elements')
      .filter((f) => f.endsWith('.styles.ts'))
      .map(read)
      .join('\n');
    // Read with a fallback, `var(--ml-classifier-accent, #2563eb)`, so page values win.
    const declared = [...new Set([...styles.matchAll(/var\((--ml-classifier-[\w-]+)\s*,/g)].map((m) => m[1]))].sort();
    assert.deepEqual(element.cssProperties.map((p) => p.name).sort(), declared);
  });

  it("agrees with the README's attribute and property table", () => {
    const rows = tableRows(section('Attributes and properties'));
    const readmeAttributes = rows
      .filter(([attribute]) => attribute !== '–')
      .map(([attribute, property]) => `${attribute.replace(/\s*\(.*\)$/, '')} → ${property}`)
      .sort();
    const manifestAttributes = element.attributes.map((a) => `${a.name} → ${a.fieldName}`).sort();
    assert.deepEqual(readmeAttributes, manifestAttributes);
  });

  it('names every public property in the README (read-only ones may be in the text below the table)', () => {
    const fields = element.members.filter((m) => m.kind === 'field' && !m.static).map((m) => m.name);
    const named = backticked(section('Attributes and properties'));
    for (const field of fields) assert.ok(named.includes(field), `README names property ${field}`);
  });

  it("agrees with the README's methods table", () => {
    const methods = element.members
      .filter((m) => m.kind === 'method' && !m.static)
      .map((m) => m.name)
      .sort();
    // A row may name several methods: `startWebcam()`, `stopWebcam()`.
    const rows = section('Methods')
      .split('\n')
      .filter((l) => l.startsWith('| `'));
    const named = rows.flatMap((l) => backticked(l.split('|')[1]).map((code) => code.match(/^(\w+)\(/)?.[1])).filter(Boolean);
    assert.deepEqual(named.sort(), methods);
  });

  it("agrees with the README's events table", () => {
    assert.deepEqual(
      tableRows(section('Events'))
        .map(([e]) => e)
        .sort(),
      element.events.map((e) => e.name).sort(),
    );
  });

  it("agrees with the README's parts, custom properties and slots", () => {
    const styling = section('Styling, text and language');
    const tables = styling
      .split(/\n\n/)
      .map((block) => block.trim())
      .filter((block) => block.startsWith('|'));
    const firstColumn = (header) =>
      tableRows(tables.find((t) => t.startsWith(`| ${header}`)))
        .map(([name]) => name)
        .sort();
    assert.deepEqual(firstColumn('part'), element.cssParts.map((p) => p.name).sort());
    assert.deepEqual(firstColumn('custom property'), element.cssProperties.map((p) => p.name).sort());
    const slots = element.slots.map((s) => s.name).sort();
    for (const slot of slots) assert.ok(backticked(styling).includes(slot), `README names slot ${slot}`);
  });

  it('matches the JSX and Vue typings (src/jsx/types.ts): settable properties, dashed attributes, events', () => {
    const types = read('src/jsx/types.ts');
    const union = (name) => [...types.match(new RegExp(`type ${name} =([^;]+);`))[1].matchAll(/'([^']+)'/g)].map((m) => m[1]).sort();
    const settable = element.members
      .filter((m) => m.kind === 'field' && !m.static && !m.readonly && m.name !== 'status')
      .map((m) => m.name)
      .sort();
    assert.deepEqual(union('MlClassifierSettable'), settable);
    assert.deepEqual(union('MlClassifierEventName'), element.events.map((e) => e.name).sort());
    const dashed = element.attributes
      .filter((a) => a.name.includes('-'))
      .map((a) => a.name)
      .sort();
    const typedDashed = [...types.matchAll(/^\s+'([a-z]+-[a-z-]+)'\?:/gm)].map((m) => m[1]).sort();
    assert.deepEqual(typedDashed, dashed);
  });
});
