// <ml-classifier> for the page it sits in: axe and the keyboard in every state, replaced strings,
// the page language's number format, and slots.
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/ml-classifier.js';
import type { MlClassifier, ProgressChangedEvent } from '../../src/ml-classifier.js';
import { COLORS, MODEL_URL, WASM_PATH, sharedFolder } from '../helpers.js';

/** Resolves on the first `progress-changed` of `phase`, after the element has rendered it. */
const reached = (el: MlClassifier, phase: string) =>
  new Promise<void>((resolve) =>
    el.addEventListener('progress-changed', function on({ detail }: ProgressChangedEvent) {
      if (detail.phase !== phase) return;
      el.removeEventListener('progress-changed', on);
      el.updateComplete.then(() => resolve());
    }),
  );

describe('<ml-classifier>: accessibility in every state', () => {
  it('passes axe when empty, loading the model, training, trained and in error, with one polite live region', async () => {
    // main-thread: the loading state is held by holding the page's own fetch (a worker has its own).
    const el = await fixture<MlClassifier>(html`<ml-classifier model-url=${MODEL_URL} wasm-path=${WASM_PATH} epochs="60" main-thread></ml-classifier>`);
    await expect(el).shadowDom.to.be.accessible();
    const root = el.shadowRoot!;
    expect(root.querySelectorAll('[aria-live]')).to.have.length(1);
    expect(root.querySelector('[aria-live]')!.getAttribute('aria-live')).to.equal('polite');

    // Hold the model's files back, to look at the loading state for as long as axe needs.
    const realFetch = window.fetch;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    window.fetch = async (...args) => (String(args[0] instanceof Request ? args[0].url : args[0]).includes('/models/') ? held.then(() => realFetch(...args)) : realFetch(...args));
    const files = await sharedFolder(COLORS);
    const loading = reached(el, 'loading-model');
    const training = reached(el, 'training');
    const run = el.train(files);
    await loading;
    expect(el.status).to.equal('loading-model');
    expect(root.querySelector('[aria-live]')!.textContent).to.equal('Loading the base model');
    const bar = root.querySelector('[part~="progress"] progress')!;
    expect([bar.getAttribute('aria-label'), bar.getAttribute('max')]).to.deep.equal(['Loading the base model', '1']);
    await expect(el).shadowDom.to.be.accessible();
    window.fetch = realFetch;
    release();

    await training;
    expect(el.status).to.equal('training');
    expect(root.querySelector('[aria-live]')!.textContent).to.equal('Training');
    await expect(el).shadowDom.to.be.accessible();
    const detail = await run;
    await el.updateComplete;
    expect(root.querySelector('[aria-live]')!.textContent).to.equal(`Training finished: training accuracy ${percent(detail.accuracy)}, validation accuracy ${percent(detail.validationAccuracy!)}.`);
    await expect(el).shadowDom.to.be.accessible();

    // A failed retrain keeps the model (status trained, with the message); a first run that fails is an error.
    await el.train(files.filter((f) => f.path.includes('/red/'))).catch(() => {});
    await el.updateComplete;
    expect(el.status).to.equal('trained');
    expect(root.querySelector('[role="alert"]')!.textContent).to.contain('at least two labels');
    const fresh = await fixture<MlClassifier>(html`<ml-classifier model-url=${MODEL_URL} wasm-path=${WASM_PATH}></ml-classifier>`);
    await fresh.train(files.filter((f) => f.path.includes('/red/'))).catch(() => {});
    await fresh.updateComplete;
    expect(fresh.status).to.equal('error');
    await expect(fresh).shadowDom.to.be.accessible();
  });

  it('works from the keyboard: Tab reaches every button, Enter opens a confusion-matrix cell', async () => {
    const el = await fixture<MlClassifier>(html`<ml-classifier model-url=${MODEL_URL} wasm-path=${WASM_PATH} epochs="5"></ml-classifier>`);
    await el.train(await sharedFolder(COLORS));
    await el.updateComplete;
    const root = el.shadowRoot!;
    const before = document.createElement('button');
    before.textContent = 'before';
    el.before(before);
    before.focus();
    const reachedTexts: string[] = [];
    for (let i = 0; i < 14 && !reachedTexts.includes('1'); i++) {
      await sendKeys({ press: 'Tab' });
      reachedTexts.push((root.activeElement as HTMLElement | null)?.textContent?.trim() ?? '');
    }
    // The Advanced disclosure's summary comes after the training buttons; its controls stay closed.
    expect(reachedTexts.slice(0, 5)).to.deep.equal(['Choose training folder', 'Choose training files', 'Open saved model', 'Advanced', 'Save model']);
    // The first matrix number: one "blue" validation image, predicted blue.
    expect(reachedTexts).to.include('1');
    const cell = root.activeElement as HTMLButtonElement;
    expect(cell.classList.contains('cell')).to.equal(true);
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(cell.getAttribute('aria-pressed')).to.equal('true');
    expect(root.querySelectorAll('.cell-images img')).to.have.length(1);
    before.remove();
  });
});

describe('<ml-classifier>: text, language and slots', () => {
  it('uses replaced strings and formats numbers in the page language', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div lang="de"><ml-classifier model-url=${MODEL_URL} wasm-path=${WASM_PATH} epochs="3"></ml-classifier></div>`);
    const el = wrapper.querySelector('ml-classifier')!;
    el.strings = { chooseFolder: 'Trainingsordner wählen', trainingAccuracy: (a, c, n) => `Trainingsgenauigkeit ${a} (${c} von ${n})` };
    await el.updateComplete;
    const buttons = [...el.shadowRoot!.querySelectorAll('button')].map((b) => b.textContent);
    expect(buttons).to.include('Trainingsordner wählen');
    expect(buttons).to.include('Choose training files'); // not replaced: English default
    const detail = await el.train(await sharedFolder(COLORS));
    await el.updateComplete;
    const headline = el.shadowRoot!.querySelector('[part~="results"] strong')!.textContent!;
    const german = new Intl.NumberFormat('de', { style: 'percent', maximumFractionDigits: 1 }).format(detail.accuracy);
    expect(headline).to.equal(`Trainingsgenauigkeit ${german} (4 von 4)`);
    expect(german).to.match(/\u00a0%$/); // German puts a no-break space before %
  });

  it('lets the page replace the empty-state text and the actions through slots', async () => {
    const el = await fixture<MlClassifier>(
      html`<ml-classifier>
        <p slot="empty-state">Glissez vos photos ici</p>
        <button slot="actions" type="button">Mon bouton</button>
      </ml-classifier>`,
    );
    const root = el.shadowRoot!;
    const assigned = (name: string) => (root.querySelector(`slot[name="${name}"]`) as HTMLSlotElement).assignedElements().map((e) => e.textContent);
    expect(assigned('empty-state')).to.deep.equal(['Glissez vos photos ici']);
    expect(assigned('actions')).to.deep.equal(['Mon bouton']);
    // The fallback buttons are not shown when the slot is filled.
    expect([...root.querySelectorAll('button')].filter((b) => b.checkVisibility())).to.have.length(0);
    await expect(el).to.be.accessible();
  });
});

function percent(value: number) {
  return new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 }).format(value);
}
