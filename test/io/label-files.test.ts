// organizeFiles with a labels.csv or labels.tsv: quoting, delimiters and the line numbers its messages give.
import { expect } from '@open-wc/testing';
import { countLabels, organizeFiles, type FileWithPath } from '../../src/io/dataset.js';

const files = (...paths: string[]): FileWithPath[] => paths.map((path) => ({ file: new File([''], path.split('/').pop()!), path }));
const withText = (path: string, text: string): FileWithPath => ({ file: new File([text], path.split('/').pop()!, { type: 'text/csv' }), path });

describe('organizeFiles: CSV and TSV label files', () => {
  it('a space after the delimiter before a quoted field (hand-written CSV): the quotes are not part of the label, a quoted comma stays inside', async () => {
    const csv = 'file, label\n"a, 1.jpg", "big cat"\nb.jpg, "dog, small"\nc.jpg,  "big cat"  \n';
    const data = await organizeFiles([withText('s/labels.csv', csv), ...files('s/a, 1.jpg', 's/b.jpg', 's/c.jpg')], { validationSplit: 0 });
    expect(data.skipped).to.deep.equal([]);
    expect(data.labels).to.deep.equal(['big cat', 'dog, small']);
    expect(countLabels(data.labels, data.examples)).to.deep.equal({ 'big cat': { train: 2, validation: 0 }, 'dog, small': { train: 1, validation: 0 } });
  });

  it('line numbers in messages count the lines a quoted newline adds', async () => {
    const csv = 'file,label\na.jpg,"cat\nindoor"\r\nb.jpg,dog\r\ngone.jpg,dog\n';
    const data = await organizeFiles([withText('s/labels.csv', csv), ...files('s/a.jpg', 's/b.jpg')], { validationSplit: 0 });
    expect(data.labels).to.deep.equal(['cat\nindoor', 'dog']);
    expect(data.skipped).to.deep.equal([{ path: 'gone.jpg', reason: 'listed in labels.csv (line 5) but not among the files given' }]);
  });

  it('a .tsv without header whose first file name holds a comma is split on tabs', async () => {
    const tsv = 'a, b.jpg\tcat\nc.jpg\tdog\n';
    const data = await organizeFiles([withText('s/labels.tsv', tsv), ...files('s/a, b.jpg', 's/c.jpg')], { validationSplit: 0 });
    expect(data.skipped).to.deep.equal([]);
    expect(data.labels).to.deep.equal(['cat', 'dog']);
  });
});
