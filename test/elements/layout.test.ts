// What people saw when they tried the element, measured on the rendered page at a desktop and a
// phone width, light and dark: labels readable in full, buttons apart, every table with a heading,
// plot titles clear of the lines. On the stub pipeline (no model), so the layout is all that is tested.
import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia, setViewport } from '@web/test-runner-commands';
import '../../src/ml-classifier.js';
import type { MlClassifier } from '../../src/ml-classifier.js';
import { useStubEngine } from '../stub-engine.js';

const LONG = 'wood-grain-on-an-old-oak-table';
const labels = ['wood', 'not-wood', LONG];
const folder = labels.flatMap((label) => [1, 2, 3, 4].map((i) => ({ file: new File(['x'], `${i}.png`, { type: 'image/png' }), path: `set/${label}/${i}.png` })));

/** Whether two boxes overlap or sit closer than `gap` px, horizontally and vertically. */
const tooClose = (a: DOMRect, b: DOMRect, gap: number) => a.left < b.right + gap && b.left < a.right + gap && a.top < b.bottom + gap && b.top < a.bottom + gap;

let stub: ReturnType<typeof useStubEngine>;

describe('<ml-classifier> layout', () => {
  beforeEach(() => (stub = useStubEngine()));
  afterEach(async () => {
    stub.restore();
    await emulateMedia({ colorScheme: 'light' });
    await setViewport({ width: 800, height: 600 });
  });

  for (const width of [1100, 390]) {
    for (const colorScheme of ['light', 'dark'] as const) {
      it(`at ${width} px, ${colorScheme}: labels in full, buttons apart, tables headed, plot titles clear of the lines`, async () => {
        await setViewport({ width, height: 900 });
        await emulateMedia({ colorScheme });
        const el = await fixture<MlClassifier>(html`<ml-classifier style="display: block; max-width: 100%"></ml-classifier>`);
        await el.train(folder);
        const training = (el as unknown as { training: { classifyFiles(files: File[]): Promise<void> } }).training;
        await training.classifyFiles([new File(['x'], 'query.png', { type: 'image/png' })]);
        await el.updateComplete;
        const root = el.shadowRoot!;

        // Every label shown with a score is readable in full: not cut, and in its title too.
        const shown = [...root.querySelectorAll<HTMLElement>('.scores .label')];
        expect(shown.map((l) => l.textContent)).to.include(LONG);
        for (const label of shown) {
          expect(label.scrollWidth, `"${label.textContent}" is cut`).to.be.at.most(label.clientWidth);
          expect(label.title).to.equal(label.textContent);
        }

        // Buttons never touch, however they wrap.
        const buttons = [...root.querySelectorAll('button')].filter((b) => b.getClientRects().length > 0).map((b) => b.getBoundingClientRect());
        expect(buttons.length).to.be.at.least(4);
        for (let i = 0; i < buttons.length; i++) {
          for (let j = i + 1; j < buttons.length; j++) expect(tooClose(buttons[i], buttons[j], 4), `buttons ${i} and ${j} touch`).to.equal(false);
        }

        // Every table of the results has a visible heading.
        const tables = [...root.querySelectorAll('[part="results"] table')].filter((t) => !t.closest('details:not([open])'));
        expect(tables.length).to.be.at.least(2);
        for (const table of tables) {
          const caption = table.querySelector('caption');
          expect(caption?.textContent?.trim(), 'a table without a heading').to.not.equal(undefined);
          expect(caption!.getBoundingClientRect().height).to.be.greaterThan(5);
        }

        // Each plot's title sits above its plot area (whose top is where 100% accuracy is drawn).
        for (const plot of root.querySelectorAll<SVGSVGElement>('[part~="chart"] svg')) {
          const title = plot.querySelector<SVGTextElement>('text.title')!.getBBox();
          const top = Math.min(...[...plot.querySelectorAll<SVGLineElement>('line.frame')].map((l) => Math.min(l.y1.baseVal.value, l.y2.baseVal.value)));
          expect(title.y + title.height, `${plot.querySelector('title')!.textContent} title over the plot`).to.be.at.most(top);
        }
      });
    }
  }
});
