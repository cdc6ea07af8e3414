import { expect } from '@open-wc/testing';
import { countLabels, organizeFolder, type FileWithPath } from '../../src/io/dataset.js';

const files = (...paths: string[]): FileWithPath[] => paths.map((path) => ({ file: new File([''], path.split('/').pop()!), path }));

describe('io: organizing a folder into labels', () => {
  it('reads train/validation folders in any case, with label folders at any depth below', () => {
    const data = organizeFolder(files('pets/Training/cat/1.jpg', 'pets/Training/cat/indoor/2.jpg', 'pets/TRAIN/dog/3.png', 'pets/Val/dog/4.jpg', 'pets/valid/cat/5.jpg'));
    expect(data.labels).to.deep.equal(['cat', 'dog']);
    expect(countLabels(data.labels, data.examples)).to.deep.equal({ cat: { train: 2, validation: 1 }, dog: { train: 1, validation: 1 } });
    expect(data.skipped).to.deep.equal([]);
  });

  it('ignores hidden and system files, and reports other files by path and reason', () => {
    const data = organizeFolder(files('d/train/a/1.jpg', 'd/train/b/2.jpg', 'd/train/a/.DS_Store', 'd/train/b/Thumbs.db', 'd/train/a/desktop.ini',
      'd/train/a/._1.jpg', 'd/.git/config', 'd/train/notes.txt', 'd/train/a/readme.md', 'd/validation/c/3.jpg', 'd/train/a/x.jpg.part'));
    expect(data.labels).to.deep.equal(['a', 'b']);
    expect(data.skipped).to.deep.equal([
      { path: 'd/train/notes.txt', reason: 'not an image file' },
      { path: 'd/train/a/readme.md', reason: 'not an image file' },
      { path: 'd/train/a/x.jpg.part', reason: 'not an image file' },
      { path: 'd/validation/c/3.jpg', reason: 'label "c" has no training images' },
    ]);
  });

  it('holds out a stratified, seeded ~15% of each label when there is no validation folder, never the last image', () => {
    const paths = [...Array.from({ length: 20 }, (_, i) => `f/cat/${i}.jpg`), ...Array.from({ length: 40 }, (_, i) => `f/dog/${i}.jpg`), 'f/owl/1.jpg'];
    const a = organizeFolder(files(...paths), { seed: 3 });
    expect(countLabels(a.labels, a.examples)).to.deep.equal({ cat: { train: 17, validation: 3 }, dog: { train: 34, validation: 6 }, owl: { train: 1, validation: 0 } });
    const validationOf = (d: typeof a) => d.examples.filter((e) => e.split === 'validation').map((e) => e.path).sort();
    expect(validationOf(organizeFolder(files(...[...paths].reverse()), { seed: 3 }))).to.deep.equal(validationOf(a));
    expect(validationOf(organizeFolder(files(...paths), { seed: 4 }))).not.to.deep.equal(validationOf(a));
    const half = organizeFolder(files(...paths), { validationSplit: 0.5 });
    expect(countLabels(half.labels, half.examples).cat).to.deep.equal({ train: 10, validation: 10 });
  });

  it('sorts labels and normalises them (trimmed, NFC)', () => {
    const data = organizeFolder(files('x/zebra/1.jpg', 'x/caf\u0065\u0301/2.jpg', 'x/café /3.jpg', 'x/Ant/4.jpg'));
    expect(data.labels).to.deep.equal(['Ant', 'café', 'zebra']);
    expect(countLabels(data.labels, data.examples)['café'].train + countLabels(data.labels, data.examples)['café'].validation).to.equal(2);
  });

  it('reports files outside any label folder', () => {
    const data = organizeFolder(files('a/1.jpg', 'b/2.jpg', 'loose.jpg'));
    expect(data.skipped).to.deep.equal([{ path: 'loose.jpg', reason: 'not inside a label folder' }]);
  });
});
