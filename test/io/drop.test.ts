import { expect } from '@open-wc/testing';
import { readDrop } from '../../src/io/drop.js';

/**
 * Fakes of the File System API entries a drop gives. Directory readers return at most 100
 * entries per `readEntries()` call, as Chromium's do.
 */
function fileEntry(fullPath: string): FileSystemFileEntry {
  const name = fullPath.split('/').pop()!;
  return { isFile: true, isDirectory: false, name, fullPath, file: (ok: (f: File) => void) => setTimeout(() => ok(new File(['x'], name))) } as unknown as FileSystemFileEntry;
}
function dirEntry(fullPath: string, children: FileSystemEntry[]): FileSystemDirectoryEntry {
  return {
    isFile: false,
    isDirectory: true,
    name: fullPath.split('/').pop()!,
    fullPath,
    createReader: () => {
      let offset = 0;
      return { readEntries: (ok: (e: FileSystemEntry[]) => void) => setTimeout(() => ok(children.slice(offset, (offset += 100)))) };
    },
  } as unknown as FileSystemDirectoryEntry;
}
/** A DataTransfer-like object whose items vanish after the drop handler's first await, as the browser's do. */
function dataTransfer(entries: (FileSystemEntry | File)[]): DataTransfer {
  let live = true;
  queueMicrotask(() => (live = false));
  const items = entries.map((e) => ({
    kind: 'file',
    webkitGetAsEntry: () => (live && !(e instanceof File) ? e : null),
    getAsFile: () => (live ? (e instanceof File ? e : null) : null),
  }));
  return { items } as unknown as DataTransfer;
}
const folder = (name: string, count: number) =>
  dirEntry(
    `/${name}`,
    Array.from({ length: count }, (_, i) => fileEntry(`/${name}/${i}.jpg`)),
  );

describe('io: reading a drop', () => {
  it('reads a folder of 250 files to the end (three readEntries batches)', async () => {
    const files = await readDrop(dataTransfer([folder('cats', 250)]));
    expect(files).to.have.length(250);
    expect(new Set(files.map((f) => f.path)).size).to.equal(250);
    expect(files[0].path).to.match(/^cats\/\d+\.jpg$/);
  });

  it('reads several folders dropped together, nested folders, and loose files', async () => {
    const nested = dirEntry('/pets', [dirEntry('/pets/train', [folder('pets/train/cat', 3), folder('pets/train/dog', 2)]), fileEntry('/pets/notes.txt')]);
    const files = await readDrop(dataTransfer([folder('cat', 120), folder('dog', 7), nested, new File(['x'], 'loose.jpg')]));
    const paths = files.map((f) => f.path);
    expect(paths.filter((p) => p.startsWith('cat/'))).to.have.length(120);
    expect(paths.filter((p) => p.startsWith('dog/'))).to.have.length(7);
    expect(paths.filter((p) => p.startsWith('pets/train/'))).to.have.length(5);
    expect(paths).to.include('pets/notes.txt').and.to.include('loose.jpg');
    expect(files).to.have.length(134);
  });

  it('says to use the folder button where the browser gives no entries for dropped folders', async () => {
    const items = [{ kind: 'file', webkitGetAsEntry: () => null, getAsFile: () => null }];
    const error = await readDrop({ items } as unknown as DataTransfer).catch((e) => e);
    expect(error.message).to.contain('Choose training folder');
  });
});
