/**
 * Turns picked or dropped files (with their relative paths) into labelled training and validation
 * examples. Browser-free apart from the `File` type, so it also runs in a worker.
 */
import { dsvFormat } from 'd3-dsv';
import { errors } from '../core/errors.js';

/** A file with the path it had inside the picked or dropped folder, e.g. `pets/train/cat/1.jpg`. */
export interface FileWithPath {
  file: File;
  /** `/`-separated path relative to what the user picked; the file name alone for loose files. */
  path: string;
}

/** Which set an example belongs to. */
export type Split = 'train' | 'validation';

/** An image file with its label and split. */
export interface Example extends FileWithPath {
  label: string;
  split: Split;
}

/** A file the data pipeline did not use, and why. */
export interface SkippedFile {
  path: string;
  reason: string;
}

/** Images per label and split. */
export type LabelCounts = Record<string, { train: number; validation: number }>;

/** What {@link organizeFiles} found. */
export interface Dataset {
  /** Label names, sorted (`localeCompare`), so the order never depends on file order. */
  labels: string[];
  examples: Example[];
  /** Files that are not used, each with the reason (hidden and system files are in `ignored` instead). */
  skipped: SkippedFile[];
  /** Hidden and system files left out (`.DS_Store`, `Thumbs.db`, `._x.jpg`, ...; see `isHiddenOrSystem`), by path. */
  ignored: string[];
}

/**
 * Where labels come from:
 * - `folders`: one folder per label, optionally under `train`/`training` and
 *   `validation`/`valid`/`val` (any case); files in deeper folders belong to their label folder.
 * - `flat`: the images sit in one folder and the label is the file name without its extension,
 *   without a trailing number and the spaces, `_` or `-` before it: `drum-1.jpg`, `drum_2.png`,
 *   `saxophone 3.jpg` give `drum`, `drum`, `saxophone` (override with `labelFromFileName`).
 * - `csv`: a `.csv` or `.tsv` file lists `file,label` rows (an optional header row; comma,
 *   semicolon or tab; quotes and a BOM as spreadsheets write them); `file` is a path relative to
 *   the CSV's folder, or a bare file name.
 * - `auto` (default): `csv` when a `.csv`/`.tsv` file is present, `flat` when every image is
 *   directly in the picked folder, else `folders`.
 *
 * In every layout, images under a `train`/`validation` folder (any of the names above) take that split.
 */
export type Layout = 'auto' | 'folders' | 'flat' | 'csv';

/** Options of {@link organizeFiles}. */
export interface OrganizeOptions {
  /** Where labels come from. Default `auto`. */
  layout?: Layout;
  /** Share of each label held out for validation when no validation split is given, 0-1. Default 0.15. */
  validationSplit?: number;
  /** Seed of the held-out draw: the same seed and files give the same split. Default 1. */
  seed?: number;
  /** The `flat` layout's rule: file name (with extension) → label. Default {@link labelFromFileName}. */
  labelFromFileName?: (fileName: string) => string;
}

/** Defaults of {@link OrganizeOptions}. */
export const DEFAULT_ORGANIZE_OPTIONS = { layout: 'auto', validationSplit: 0.15, seed: 1 } as const;

const TRAIN_DIRS = new Set(['train', 'training']);
const VALIDATION_DIRS = new Set(['validation', 'valid', 'val']);
/** File extensions treated as images (decoding decides whether the browser can read them); others are skipped. */
const IMAGE_EXTENSIONS = /\.(jpe?g|jfif|pjpeg|pjp|png|apng|gif|webp|bmp|dib|avif|ico|svg|heic|heif|tiff?)$/i;
const LABEL_FILE = /\.(csv|tsv)$/i;

/** Hidden and system files that folders collect (`.DS_Store`, `Thumbs.db`, `desktop.ini`, `._*` and anything hidden). */
export function isHiddenOrSystem(path: string): boolean {
  return path.split('/').some((part) => part.startsWith('.') || /^(thumbs\.db|desktop\.ini)$/i.test(part));
}

/** The path a `File` had in the picked folder (`webkitRelativePath`), else its name. */
export function withPath(file: File): FileWithPath {
  return { file, path: file.webkitRelativePath || file.name };
}

/** The `flat` layout's default rule: `drum-1.jpg`, `drum_2.png`, `saxophone 3.jpg` → `drum`, `drum`, `saxophone`. */
export function labelFromFileName(fileName: string): string {
  const stem = fileName.replace(/\.[^.]*$/, '');
  return stem.replace(/[\s_-]*\d+$/, '') || stem;
}

/**
 * Sorts the given files into labelled training and validation examples (see {@link Layout}).
 *
 * When no validation split is given, a stratified, seeded share of each label (`validationSplit`)
 * is held out, never a label's last training image. Files that are not used are returned in
 * `skipped` with the reason: not an image file, outside a label folder, no CSV row (and CSV rows
 * without their image), an empty label, a validation label with no training images. Hidden and
 * system files are left out and listed in `ignored`. File names, folder names and CSV cells are
 * compared in one Unicode form (NFC), so a `labels.csv` written with composed characters matches
 * files whose names the file system gives decomposed (as macOS does); paths are reported as given.
 *
 * @throws ClassifierError `no-label-file` when `layout` is `csv` and no `.csv`/`.tsv` file was given.
 */
export async function organizeFiles(files: FileWithPath[], options: OrganizeOptions = {}): Promise<Dataset> {
  const skipped: SkippedFile[] = [];
  const paths = files.map((f) => f.path.split('/').filter(Boolean));
  // Drop the picked folder's own name when every file is inside it (it may itself be hidden).
  const root = paths.length > 0 && paths.every((p) => p.length > 1 && p[0] === paths[0][0]) ? 1 : 0;
  const ignored: string[] = [];
  const entries: Entry[] = [];
  for (const [i, file] of files.entries()) {
    const parts = paths[i].slice(root).map((part) => part.normalize('NFC'));
    if (isHiddenOrSystem(parts.join('/'))) ignored.push(file.path);
    else entries.push({ ...file, parts });
  }
  const labelFiles = entries.filter((e) => LABEL_FILE.test(e.path));
  const images = entries.filter((e) => {
    if (LABEL_FILE.test(e.path)) return false;
    if (IMAGE_EXTENSIONS.test(e.path) || e.file.type.startsWith('image/')) return true;
    skipped.push({ path: e.path, reason: 'not an image file' });
    return false;
  });
  let layout = options.layout ?? DEFAULT_ORGANIZE_OPTIONS.layout;
  if (layout === 'auto') {
    layout = labelFiles.length ? 'csv' : images.every((e) => e.parts.length === 1) ? 'flat' : 'folders';
  }
  if (layout !== 'csv') {
    for (const f of labelFiles) skipped.push({ path: f.path, reason: 'not an image file (label files are read with layout "csv")' });
  }

  const examples: Example[] = [];
  let splitGiven = false;
  const add = (entry: Entry, label: string, split: Split | undefined) => {
    splitGiven ||= split !== undefined;
    const normalized = label.trim().normalize('NFC');
    if (normalized) examples.push({ file: entry.file, path: entry.path, label: normalized, split: split ?? 'train' });
    else skipped.push({ path: entry.path, reason: 'its label is empty' });
  };

  if (layout === 'folders') {
    const hasSplitDirs = images.some((e) => e.parts.length > 1 && splitOf(e.parts[0]));
    for (const e of images) {
      const parts = [...e.parts];
      const split = hasSplitDirs ? splitOf(parts.shift()!) : undefined;
      if (hasSplitDirs && !split) skipped.push({ path: e.path, reason: 'not inside a train or validation folder' });
      else if (parts.length < 2) skipped.push({ path: e.path, reason: 'not inside a label folder' });
      else add(e, parts[0], split);
    }
  } else if (layout === 'flat') {
    const rule = options.labelFromFileName ?? labelFromFileName;
    for (const e of images) add(e, rule(e.parts.at(-1)!), splitFromFolders(e));
  } else {
    if (labelFiles.length === 0) throw errors.noLabelFile();
    const rows = (await Promise.all(labelFiles.map(readLabelFile))).flat();
    const byPath = new Map(images.map((e) => [e.parts.join('/'), e]));
    const byName = new Map<string, Entry[]>();
    for (const e of images) byName.set(e.parts.at(-1)!, [...(byName.get(e.parts.at(-1)!) ?? []), e]);
    const matched = new Set<Entry>();
    for (const row of rows) {
      const path = (row.folder ? `${row.folder}/${row.file}` : row.file).normalize('NFC');
      const sameName = byName.get(row.file.normalize('NFC'));
      const image = byPath.get(path) ?? (sameName?.length === 1 ? sameName[0] : undefined);
      if (!image) {
        skipped.push({ path, reason: `listed in ${row.source} (line ${row.line}) but not among the files given` });
      } else if (!matched.has(image)) {
        matched.add(image);
        add(image, row.label, splitFromFolders(image));
      }
    }
    const sources = labelFiles.map((f) => f.parts.at(-1)).join(', ');
    for (const e of images) if (!matched.has(e)) skipped.push({ path: e.path, reason: `has no row in ${sources}` });
  }

  const trainLabels = new Set(examples.filter((e) => e.split === 'train').map((e) => e.label));
  const kept = examples.filter((e) => {
    if (trainLabels.has(e.label)) return true;
    skipped.push({ path: e.path, reason: `label "${e.label}" has no training images` });
    return false;
  });
  const labels = [...trainLabels].sort((a, b) => a.localeCompare(b));
  if (!splitGiven || !kept.some((e) => e.split === 'validation')) {
    holdOut(kept, options.validationSplit ?? DEFAULT_ORGANIZE_OPTIONS.validationSplit, options.seed ?? DEFAULT_ORGANIZE_OPTIONS.seed);
  }
  return { labels, examples: kept, skipped, ignored };
}

/** A visible file with its path below the picked folder, split into segments. */
type Entry = FileWithPath & { parts: string[] };

interface LabelRow {
  folder: string;
  file: string;
  label: string;
  source: string;
  line: number;
}

/** Delimiters spreadsheets export with; a file's first line says which one it uses. */
const DELIMITERS = [',', ';', '\t'];

/**
 * `file,label` rows of a CSV/TSV (file relative to the CSV's own folder), without the header row
 * and empty lines; fields trimmed. `Blob.text()` has already dropped a UTF-8 byte-order mark.
 */
async function readLabelFile(entry: Entry): Promise<LabelRow[]> {
  const text = await entry.file.text();
  const firstLine = text.split(/\r?\n/, 1)[0].replace(/"[^"]*"/g, ''); // quoted commas do not count
  // A .tsv is tab-separated whatever its first file name holds (`a, b.jpg<TAB>cat`).
  const delimiter = /\.tsv$/i.test(entry.path) ? '\t' : DELIMITERS.reduce((best, d) => (firstLine.split(d).length > firstLine.split(best).length ? d : best));
  let next = 1;
  const rows = dsvFormat(delimiter)
    .parseRows(unpadQuotes(text, delimiter))
    .map((fields) => {
      const line = next;
      // A quoted field's own line breaks move the next row down too.
      next += 1 + fields.reduce((n, f) => n + (f.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
      return { fields: fields.map((f) => f.trim()), line };
    })
    .filter(({ fields }) => fields.some((f) => f !== ''));
  const header = rows[0] && /^(file|file ?name|path|image|name)$/i.test(rows[0].fields[0]) ? 1 : 0;
  return rows.slice(header).map(({ fields, line }) => ({
    folder: entry.parts.slice(0, -1).join('/'),
    file: (fields[0] ?? '').replace(/\\/g, '/').replace(/^\.\//, ''),
    label: fields[1] ?? '',
    source: entry.parts.at(-1)!,
    line,
  }));
}

/**
 * `text` without the blanks around quoted fields (`a.jpg, "big cat"`, as hand-written CSVs have),
 * which d3-dsv would otherwise keep, quotes and all, splitting the field at a quoted delimiter.
 * Only blanks between a delimiter (or line break) and a quote, or a quote and the next one, go.
 */
function unpadQuotes(text: string, delimiter: string): string {
  const blank = (c: string | undefined) => c !== delimiter && (c === ' ' || c === '\t');
  const breaks = (c: string | undefined) => c === undefined || c === delimiter || c === '\n' || c === '\r';
  let out = '';
  let fieldStart = 0; // where the current field starts in `out`
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      out += c;
      if (c === '"' && text[i + 1] === '"') out += text[++i];
      else if (c === '"') {
        quoted = false;
        let j = i + 1;
        while (blank(text[j])) j++;
        if (breaks(text[j])) i = j - 1;
      }
    } else if (c === '"' && [...out.slice(fieldStart)].every(blank)) {
      out = out.slice(0, fieldStart) + c;
      quoted = true;
    } else {
      out += c;
      if (c === delimiter || c === '\n' || c === '\r') fieldStart = out.length;
    }
  }
  return out;
}

function splitOf(folder: string): Split | undefined {
  const lower = folder.toLowerCase();
  return TRAIN_DIRS.has(lower) ? 'train' : VALIDATION_DIRS.has(lower) ? 'validation' : undefined;
}

/** The split named by a folder on the file's path, if any (flat and csv layouts). */
function splitFromFolders(entry: Entry): Split | undefined {
  return entry.parts.slice(0, -1).map(splitOf).find(Boolean);
}

/** Images per label and split, for every label in `labels`. */
export function countLabels(labels: string[], examples: Example[]): LabelCounts {
  const counts: LabelCounts = Object.fromEntries(labels.map((l) => [l, { train: 0, validation: 0 }]));
  for (const e of examples) counts[e.label][e.split]++;
  return counts;
}

/**
 * Moves `round(share * n)` of each label's examples (sorted by path, then shuffled with `seed`)
 * to validation, leaving at least one for training.
 */
function holdOut(examples: Example[], share: number, seed: number): void {
  const random = mulberry32(seed);
  const byLabel = new Map<string, Example[]>();
  for (const e of examples) byLabel.set(e.label, [...(byLabel.get(e.label) ?? []), e]);
  for (const label of [...byLabel.keys()].sort()) {
    const group = byLabel.get(label)!.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const count = Math.min(Math.round(share * group.length), group.length - 1);
    // Fisher-Yates, stopped after the `count` draws we need.
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(random() * (group.length - i));
      [group[i], group[j]] = [group[j], group[i]];
      group[i].split = 'validation';
    }
  }
}

/** A small seeded PRNG (mulberry32): uniform in [0, 1), the same sequence for the same seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
