import { errors } from '../core/errors.js';
import type { FileWithPath } from './dataset.js';

/**
 * Reads everything dropped (folders, at any depth, and loose files) into files with their paths,
 * e.g. dropping the folder `pets` gives `pets/train/cat/1.jpg`.
 *
 * The entries are taken from `dataTransfer` synchronously, before the first `await`: the browser
 * empties the list once the drop handler yields. Each folder is read to the end (Chromium returns
 * at most 100 entries per `readEntries()` call).
 *
 * @throws ClassifierError `unreadable-drop` when the browser gives no file system entries for a drop that has items
 *   (folders cannot be read by drag and drop there); use the folder button instead.
 */
export function readDrop(dataTransfer: DataTransfer): Promise<FileWithPath[]> {
  const items = [...dataTransfer.items].filter((item) => item.kind === 'file');
  const entries = items.map((item) => item.webkitGetAsEntry?.() ?? null);
  const looseFiles = items.map((item) => item.getAsFile());
  return Promise.all(
    entries.map(async (entry, i) => {
      if (entry) return readEntry(entry);
      const file = looseFiles[i];
      // A dropped folder without an entry comes as a file-less item.
      if (!file) throw errors.unreadableDrop();
      return [{ file, path: file.name }];
    }),
  ).then((lists) => lists.flat());
}

async function readEntry(entry: FileSystemEntry): Promise<FileWithPath[]> {
  const path = entry.fullPath.replace(/^\//, '');
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    return [{ file, path }];
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const children: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    children.push(...batch);
  }
  return (await Promise.all(children.map(readEntry))).flat();
}
