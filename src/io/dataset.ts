/**
 * Turns a picked or dropped folder (a list of files with their relative paths) into labelled
 * training and validation examples. Browser-free apart from the `File` type, so it also runs in a
 * worker.
 */

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

/** What {@link organizeFolder} found. */
export interface Dataset {
  /** Label names, sorted (`localeCompare`), so the order never depends on file order. */
  labels: string[];
  examples: Example[];
  /** Files that are not used, each with the reason; hidden and system files are left out silently. */
  skipped: SkippedFile[];
}

/** Options of {@link organizeFolder}. */
export interface OrganizeOptions {
  /** Share of each label held out for validation when the folder has no validation split, 0-1. Default 0.15. */
  validationSplit?: number;
  /** Seed of the held-out draw: the same seed and files give the same split. Default 1. */
  seed?: number;
}

const TRAIN_DIRS = new Set(['train', 'training']);
const VALIDATION_DIRS = new Set(['validation', 'valid', 'val']);
/** File extensions treated as images; others are reported as skipped. */
const IMAGE_EXTENSIONS = /\.(jpe?g|jfif|png|gif|webp|bmp|avif|ico|svg)$/i;

/** Hidden and system files that folders collect (`.DS_Store`, `Thumbs.db`, `desktop.ini`, `._*` and anything hidden). */
export function isHiddenOrSystem(path: string): boolean {
  return path.split('/').some((part) => part.startsWith('.') || /^(thumbs\.db|desktop\.ini)$/i.test(part));
}

/** The path a `File` had in the picked folder (`webkitRelativePath`), else its name. */
export function withPath(file: File): FileWithPath {
  return { file, path: file.webkitRelativePath || file.name };
}

/**
 * Labels a folder of images:
 * - `root/train|training/<label>/**` and `root/validation|valid|val/<label>/**` (any case) give
 *   both splits; files in deeper folders belong to their label folder;
 * - `root/<label>/**` gives the training set, and a stratified, seeded share of each label
 *   (`validationSplit`) is held out for validation, never a label's last training image;
 * - the single folder everything sits in (the one the user picked) is not a label.
 *
 * Non-image files, files outside a label folder, and validation images of a label that has no
 * training images are returned in `skipped` with the reason.
 */
export function organizeFolder(files: FileWithPath[], options: OrganizeOptions = {}): Dataset {
  const skipped: SkippedFile[] = [];
  const visible = files.filter((f) => !isHiddenOrSystem(f.path));
  const paths = visible.map((f) => f.path.split('/').filter(Boolean));
  // Drop the picked folder's own name when every file is inside it.
  const root = paths.length > 0 && paths.every((p) => p.length > 1 && p[0] === paths[0][0]) ? 1 : 0;
  const hasSplitDirs = paths.some((p) => p.length > root + 2 && isSplitDir(p[root]));

  const examples: Example[] = [];
  visible.forEach((entry, i) => {
    const parts = paths[i].slice(root);
    if (!IMAGE_EXTENSIONS.test(entry.path) && !entry.file.type.startsWith('image/')) {
      skipped.push({ path: entry.path, reason: 'not an image file' });
      return;
    }
    let split: Split = 'train';
    if (hasSplitDirs) {
      if (!isSplitDir(parts[0])) {
        skipped.push({ path: entry.path, reason: 'not inside a train or validation folder' });
        return;
      }
      split = VALIDATION_DIRS.has(parts[0].toLowerCase()) ? 'validation' : 'train';
      parts.shift();
    }
    if (parts.length < 2) {
      skipped.push({ path: entry.path, reason: 'not inside a label folder' });
      return;
    }
    examples.push({ ...entry, label: normalizeLabel(parts[0]), split });
  });

  const trainLabels = new Set(examples.filter((e) => e.split === 'train').map((e) => e.label));
  const kept = examples.filter((e) => {
    if (trainLabels.has(e.label)) return true;
    skipped.push({ path: e.path, reason: `label "${e.label}" has no training images` });
    return false;
  });
  const labels = [...trainLabels].sort((a, b) => a.localeCompare(b));
  if (!hasSplitDirs || !kept.some((e) => e.split === 'validation')) {
    holdOut(kept, options.validationSplit ?? 0.15, options.seed ?? 1);
  }
  return { labels, examples: kept, skipped };
}

/** Images per label and split, for every label in `labels`. */
export function countLabels(labels: string[], examples: Example[]): LabelCounts {
  const counts: LabelCounts = Object.fromEntries(labels.map((l) => [l, { train: 0, validation: 0 }]));
  for (const e of examples) counts[e.label][e.split]++;
  return counts;
}

function isSplitDir(name: string): boolean {
  const lower = name.toLowerCase();
  return TRAIN_DIRS.has(lower) || VALIDATION_DIRS.has(lower);
}

/** Trimmed and Unicode-normalised (NFC), so `café` typed two ways is one label. */
function normalizeLabel(name: string): string {
  return name.trim().normalize('NFC');
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
