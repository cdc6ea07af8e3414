import { expect } from '@open-wc/testing';
import { countLabels, labelFromFileName, organizeFiles, type FileWithPath } from '../../src/io/dataset.js';

const files = (...paths: string[]): FileWithPath[] => paths.map((path) => ({ file: new File([''], path.split('/').pop()!), path }));

describe('io: organizing a folder into labels', async () => {
  it('reads train/validation folders in any case, with label folders at any depth below', async () => {
    const data = await organizeFiles(files('pets/Training/cat/1.jpg', 'pets/Training/cat/indoor/2.jpg', 'pets/TRAIN/dog/3.png', 'pets/Val/dog/4.jpg', 'pets/valid/cat/5.jpg'));
    expect(data.labels).to.deep.equal(['cat', 'dog']);
    expect(countLabels(data.labels, data.examples)).to.deep.equal({ cat: { train: 2, validation: 1 }, dog: { train: 1, validation: 1 } });
    expect(data.skipped).to.deep.equal([]);
  });

  it('ignores hidden and system files, and reports other files by path and reason', async () => {
    const data = await organizeFiles(
      files(
        'd/train/a/1.jpg',
        'd/train/b/2.jpg',
        'd/train/a/.DS_Store',
        'd/train/b/Thumbs.db',
        'd/train/a/desktop.ini',
        'd/train/a/._1.jpg',
        'd/.git/config',
        'd/train/notes.txt',
        'd/train/a/readme.md',
        'd/validation/c/3.jpg',
        'd/train/a/x.jpg.part',
      ),
    );
    expect(data.labels).to.deep.equal(['a', 'b']);
    expect(data.skipped).to.deep.equal([
      { path: 'd/train/notes.txt', reason: 'not an image file' },
      { path: 'd/train/a/readme.md', reason: 'not an image file' },
      { path: 'd/train/a/x.jpg.part', reason: 'not an image file' },
      { path: 'd/validation/c/3.jpg', reason: 'label "c" has no training images' },
    ]);
    expect(data.ignored).to.deep.equal(['d/train/a/.DS_Store', 'd/train/b/Thumbs.db', 'd/train/a/desktop.ini', 'd/train/a/._1.jpg', 'd/.git/config']);
  });

  it('holds out a stratified, seeded ~15% of each label when there is no validation folder, never the last image', async () => {
    const paths = [...Array.from({ length: 20 }, (_, i) => `f/cat/${i}.jpg`), ...Array.from({ length: 40 }, (_, i) => `f/dog/${i}.jpg`), 'f/owl/1.jpg'];
    const a = await organizeFiles(files(...paths), { seed: 3 });
    expect(countLabels(a.labels, a.examples)).to.deep.equal({ cat: { train: 17, validation: 3 }, dog: { train: 34, validation: 6 }, owl: { train: 1, validation: 0 } });
    const validationOf = (d: typeof a) =>
      d.examples
        .filter((e) => e.split === 'validation')
        .map((e) => e.path)
        .sort();
    expect(validationOf(await organizeFiles(files(...[...paths].reverse()), { seed: 3 }))).to.deep.equal(validationOf(a));
    expect(validationOf(await organizeFiles(files(...paths), { seed: 4 }))).not.to.deep.equal(validationOf(a));
    const half = await organizeFiles(files(...paths), { validationSplit: 0.5 });
    expect(countLabels(half.labels, half.examples).cat).to.deep.equal({ train: 10, validation: 10 });
  });

  it('sorts labels and normalises them (trimmed, NFC)', async () => {
    const data = await organizeFiles(files('x/zebra/1.jpg', 'x/caf\u0065\u0301/2.jpg', 'x/café /3.jpg', 'x/Ant/4.jpg'));
    expect(data.labels).to.deep.equal(['Ant', 'café', 'zebra']);
    expect(countLabels(data.labels, data.examples)['café'].train + countLabels(data.labels, data.examples)['café'].validation).to.equal(2);
  });

  it('reads a picked folder whose own name is hidden, and reports images directly inside train/validation', async () => {
    const data = await organizeFiles(files('.photos/train/a/1.jpg', '.photos/train/b/2.jpg', '.photos/train/3.jpg', '.photos/val/4.jpg'));
    expect(data.labels).to.deep.equal(['a', 'b']);
    expect(data.skipped).to.deep.equal([
      { path: '.photos/train/3.jpg', reason: 'not inside a label folder' },
      { path: '.photos/val/4.jpg', reason: 'not inside a label folder' },
    ]);
  });

  it('reports files outside any label folder', async () => {
    const data = await organizeFiles(files('a/1.jpg', 'b/2.jpg', 'loose.jpg'));
    expect(data.skipped).to.deep.equal([{ path: 'loose.jpg', reason: 'not inside a label folder' }]);
  });
});

const withText = (path: string, text: string): FileWithPath => ({ file: new File([text], path.split('/').pop()!, { type: 'text/csv' }), path });

describe('io: flat and CSV layouts', () => {
  it('flat: takes the label from the file name without its trailing number', async () => {
    const data = await organizeFiles(files('x/drum-1.jpg', 'x/drum_2.png', 'x/saxophone 3.jpg', 'x/saxophone.jpg', 'x/Flute-10.webp'));
    expect(data.labels).to.deep.equal(['drum', 'Flute', 'saxophone']);
    expect(data.examples.map((e) => e.label).sort()).to.deep.equal(['Flute', 'drum', 'drum', 'saxophone', 'saxophone']);
    expect(labelFromFileName('a-b-12.jpg')).to.equal('a-b');
    expect(labelFromFileName('2024.jpg')).to.equal('2024');
  });

  it('flat: a custom rule overrides the default, and train/validation folders give the split', async () => {
    const data = await organizeFiles(files('x/train/cat.1.jpg', 'x/train/dog.1.jpg', 'x/validation/cat.2.jpg', 'x/validation/dog.2.jpg'), {
      layout: 'flat',
      labelFromFileName: (name) => name.split('.')[0],
    });
    expect(countLabels(data.labels, data.examples)).to.deep.equal({ cat: { train: 1, validation: 1 }, dog: { train: 1, validation: 1 } });
  });

  it('csv: reads spreadsheet CSV (BOM, header, quotes, CRLF, semicolons), reports missing files and images without a row', async () => {
    const csv = '\uFEFF"File";"Label"\r\nimg/a.jpg;cat\r\n"b.jpg";" dog "\r\nc.jpg;cat\r\n"gone.jpg";dog\r\n';
    const data = await organizeFiles([withText('set/labels.csv', csv), ...files('set/img/a.jpg', 'set/img/b.jpg', 'set/img/c.jpg', 'set/img/d.jpg')]);
    expect(data.labels).to.deep.equal(['cat', 'dog']);
    expect(data.examples.map((e) => `${e.path}=${e.label}`).sort()).to.deep.equal(['set/img/a.jpg=cat', 'set/img/b.jpg=dog', 'set/img/c.jpg=cat']);
    expect(data.skipped).to.deep.equal([
      { path: 'gone.jpg', reason: 'listed in labels.csv (line 5) but not among the files given' },
      { path: 'set/img/d.jpg', reason: 'has no row in labels.csv' },
    ]);
  });

  it('csv: cells and file names match whatever Unicode form each was written in (NFC and NFD), and paths are reported as given', async () => {
    const nfc = 'crème'.normalize('NFC');
    const nfd = 'crème'.normalize('NFD');
    const csv = `file,label\n${nfc}0.jpg,${nfc}\n${nfc}1.jpg,${nfd}\nplain.jpg,other\nplain2.jpg,other\n`;
    const data = await organizeFiles([withText('set/labels.csv', csv), ...files(`set/${nfd}0.jpg`, `set/${nfd}1.jpg`, 'set/plain.jpg', 'set/plain2.jpg')]);
    expect(data.labels).to.deep.equal(['crème'.normalize('NFC'), 'other']);
    expect(data.skipped).to.deep.equal([]);
    expect(data.examples.map((e) => e.path).sort()).to.deep.equal([`set/${nfd}0.jpg`, `set/${nfd}1.jpg`, 'set/plain.jpg', 'set/plain2.jpg']);
  });

  it('csv: commas, a quoted comma in a file name, blank lines (counted in line numbers), extra columns', async () => {
    const csv = 'file,label,notes\n"x, 1.jpg",cat,first\n\nb.jpg, dog\n\n"gone, too.jpg",dog\n';
    const data = await organizeFiles([withText('s/labels.csv', csv), ...files('s/x, 1.jpg', 's/b.jpg')]);
    expect(data.examples.map((e) => `${e.path}=${e.label}`).sort()).to.deep.equal(['s/b.jpg=dog', 's/x, 1.jpg=cat']);
    expect(data.skipped).to.deep.equal([{ path: 'gone, too.jpg', reason: 'listed in labels.csv (line 6) but not among the files given' }]);
  });

  it('csv: a TSV without header, with train/validation folders', async () => {
    const tsv = 'train/1.png\tred\ntrain/2.png\tblue\nvalidation/3.png\tred\nvalidation/4.png\tblue\n';
    const data = await organizeFiles([withText('d/labels.tsv', tsv), ...files('d/train/1.png', 'd/train/2.png', 'd/validation/3.png', 'd/validation/4.png')]);
    expect(countLabels(data.labels, data.examples)).to.deep.equal({ blue: { train: 1, validation: 1 }, red: { train: 1, validation: 1 } });
    expect(data.skipped).to.deep.equal([]);
  });

  it('csv: layout "csv" without a CSV file fails with no-label-file', async () => {
    const error = await organizeFiles(files('a/1.jpg'), { layout: 'csv' }).catch((e) => e);
    expect(error.code).to.equal('no-label-file');
  });
});
