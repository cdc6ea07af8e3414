// The element's base-model settings: attributes, the page-wide models path, what reaches the
// engine, and the Advanced disclosure. No model is loaded: the element runs on a stub pipeline
// that records the options train() hands it.
import { expect, fixture, html } from '@open-wc/testing';
import { MlClassifier } from '../../src/ml-classifier.js';
import { BASE_MODELS, DEFAULT_BASE_MODEL } from '../../src/core/base-models.js';
import { gate, useStubEngine } from '../stub-engine.js';

let stub: ReturnType<typeof useStubEngine>;

/**
 * The options the element passes to its engine on `train()` of no files: the stub records them
 * and refuses (too-few-labels), so no worker starts and no model loads.
 */
async function optionsPassed(el: MlClassifier): Promise<Record<string, unknown>> {
  const error = await el.train([]).catch((e: Error) => e);
  expect((error as { code?: string }).code).to.equal('too-few-labels');
  const passed = stub.pipelines.at(-1)?.runs.at(-1);
  expect(passed, 'train() reached the engine').to.not.equal(undefined);
  return passed as Record<string, unknown>;
}

const shadow = (el: MlClassifier) => el.shadowRoot!;
const baseSelect = (el: MlClassifier) => shadow(el).querySelector<HTMLSelectElement>('select[name="base-model"]')!;
const augmentSelect = (el: MlClassifier) => shadow(el).querySelector<HTMLSelectElement>('select[name="augment"]')!;
const epochsInput = (el: MlClassifier) => shadow(el).querySelector<HTMLInputElement>('input[name="epochs"]')!;
const choose = (control: HTMLSelectElement | HTMLInputElement, value: string) => {
  control.value = value;
  control.dispatchEvent(new Event('change', { bubbles: true }));
};

describe('<ml-classifier>: base model settings', () => {
  beforeEach(() => {
    stub = useStubEngine();
  });
  afterEach(() => {
    MlClassifier.modelsPath = undefined;
    stub.restore();
  });

  it('maps base-model, models-path, model-url, cut-layer, input-range, pooling and augment to properties, with unset defaults', async () => {
    const el = await fixture<MlClassifier>(
      html`<ml-classifier base-model="mobilenet-v1-0.75" models-path="/models/" model-url="/m/model.json" cut-layer="out_relu" input-range="0,1" pooling="average" augment="2"></ml-classifier>`,
    );
    expect([el.baseModel, el.modelsPath, el.modelUrl, el.cutLayer, el.inputRange, el.pooling, el.augment]).to.deep.equal([
      'mobilenet-v1-0.75',
      '/models/',
      '/m/model.json',
      'out_relu',
      [0, 1],
      'average',
      2,
    ]);

    el.setAttribute('input-range', ' -1 , 1 ');
    expect(el.inputRange).to.deep.equal([-1, 1]);
    // Not two numbers: kept as written, for the engine's invalid-option to quote.
    el.setAttribute('input-range', '0..1');
    expect(el.inputRange).to.equal('0..1');
    el.setAttribute('input-range', '0,1,2');
    expect(el.inputRange).to.equal('0,1,2');
    el.removeAttribute('input-range');
    expect(el.inputRange).to.equal(undefined);

    const defaults = document.createElement('ml-classifier');
    expect([defaults.baseModel, defaults.modelsPath, defaults.modelUrl, defaults.cutLayer, defaults.inputRange, defaults.pooling, defaults.augment]).to.deep.equal([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(MlClassifier.modelsPath).to.equal(undefined);
  });

  it('reflects baseModel and augment to their attributes', async () => {
    const el = await fixture<MlClassifier>(html`<ml-classifier></ml-classifier>`);
    expect(el.hasAttribute('base-model')).to.equal(false);
    el.baseModel = 'mobilenet-v2-1.00';
    el.augment = 3;
    await el.updateComplete;
    expect(el.getAttribute('base-model')).to.equal('mobilenet-v2-1.00');
    expect(el.getAttribute('augment')).to.equal('3');
    el.baseModel = undefined;
    await el.updateComplete;
    expect(el.hasAttribute('base-model')).to.equal(false);
  });

  it('passes every base setting to the engine as set', async () => {
    const el = await fixture<MlClassifier>(
      html`<ml-classifier base-model="mobilenet-v2-0.50-96" models-path="/own/" cut-layer="conv_pw_13_relu" input-range="0,1" pooling="none" augment="4"></ml-classifier>`,
    );
    expect(await optionsPassed(el)).to.deep.include({
      baseModel: 'mobilenet-v2-0.50-96',
      modelsPath: '/own/',
      modelUrl: undefined,
      cutLayer: 'conv_pw_13_relu',
      inputRange: [0, 1],
      pooling: 'none',
      augment: 4,
    });

    // Unset: nothing chosen, so the engine applies its defaults (the default base, its pooling).
    const unset = await fixture<MlClassifier>(html`<ml-classifier></ml-classifier>`);
    expect(await optionsPassed(unset)).to.deep.include({
      baseModel: undefined,
      modelsPath: undefined,
      modelUrl: undefined,
      cutLayer: undefined,
      inputRange: undefined,
      pooling: undefined,
      augment: undefined,
    });

    // Wrong values reach the engine as written, for its invalid-option to name them.
    const wrong = await fixture<MlClassifier>(html`<ml-classifier base-model="resnet" input-range="zero to one" augment="-1"></ml-classifier>`);
    expect(await optionsPassed(wrong)).to.deep.include({ baseModel: 'resnet', inputRange: 'zero to one', augment: -1 });
  });

  it('uses the page-wide MlClassifier.modelsPath when models-path is unset; the attribute wins when set', async () => {
    MlClassifier.modelsPath = '/page-models/';
    const el = await fixture<MlClassifier>(html`<ml-classifier></ml-classifier>`);
    expect((await optionsPassed(el)).modelsPath).to.equal('/page-models/');

    el.setAttribute('models-path', '/own-models/');
    expect((await optionsPassed(el)).modelsPath).to.equal('/own-models/');
    // An empty attribute is set too: the page-wide folder is not used (public URLs).
    el.setAttribute('models-path', '');
    expect((await optionsPassed(el)).modelsPath).to.equal('');
    el.removeAttribute('models-path');
    expect((await optionsPassed(el)).modelsPath).to.equal('/page-models/');

    // Read at each train(): a later page-wide change applies.
    MlClassifier.modelsPath = '/other/';
    expect((await optionsPassed(el)).modelsPath).to.equal('/other/');
  });

  it('lists every base in the Advanced disclosure, in BASE_MODELS order, with size and speed; choosing one sets base-model', async () => {
    const el = await fixture<MlClassifier>(html`<ml-classifier lang="en"></ml-classifier>`);
    const details = shadow(el).querySelector<HTMLDetailsElement>('details[part~="advanced"]')!;
    expect(details.closest('[part~="dropzone"]'), 'inside the training drop zone').to.not.equal(null);
    expect(details.open).to.equal(false);
    expect(details.querySelector('summary')!.textContent!.trim()).to.equal('Advanced');

    const select = baseSelect(el);
    const options = [...select.options];
    expect(options.map((o) => o.value)).to.deep.equal(Object.keys(BASE_MODELS));
    // Unset: the default base is the one shown, and the only one marked.
    expect(select.value).to.equal(DEFAULT_BASE_MODEL);
    expect(options.filter((o) => o.textContent!.includes('(default)')).map((o) => o.value)).to.deep.equal([DEFAULT_BASE_MODEL]);
    const text = (id: string) => options.find((o) => o.value === id)!.textContent!.trim();
    expect(text('mobilenet-v1-0.25')).to.equal('MobileNet v1 0.25 224 · 1.9 MB · the original speed');
    expect(text('mobilenet-v2-0.35')).to.equal('MobileNet v2 0.35 224 · 1.6 MB · about 1.7× the time of v1 0.25 (default)');
    expect(text('mobilenet-v1-0.75')).to.equal('MobileNet v1 0.75 224 · 10.4 MB · about 4× the time of v1 0.25');
    expect(text('mobilenet-v2-0.50-96')).to.equal('MobileNet v2 0.50 96 · 2.7 MB · 5× faster than v1 0.25');
    expect(select.labels![0].textContent).to.contain('Base model');

    choose(select, 'mobilenet-v1-0.25');
    expect(el.baseModel).to.equal('mobilenet-v1-0.25');
    await el.updateComplete;
    expect(el.getAttribute('base-model')).to.equal('mobilenet-v1-0.25');
    expect(baseSelect(el).value).to.equal('mobilenet-v1-0.25');

    // Set by script (or attribute): the list follows.
    el.setAttribute('base-model', 'mobilenet-v2-0.75');
    await el.updateComplete;
    expect(baseSelect(el).value).to.equal('mobilenet-v2-0.75');
  });

  it('shows the base a model-url is a copy of, and a custom model-url as such', async () => {
    const el = await fixture<MlClassifier>(html`<ml-classifier model-url="/shared/models/mobilenet_v1_0.25_224/model.json"></ml-classifier>`);
    expect(baseSelect(el).value).to.equal('mobilenet-v1-0.25');
    expect(el.baseModel).to.equal(undefined);

    el.modelUrl = '/custom/model.json';
    await el.updateComplete;
    const select = baseSelect(el);
    expect(select.selectedOptions[0].textContent!.trim()).to.equal('Custom: /custom/model.json');
    expect(select.selectedOptions[0].disabled).to.equal(true);
    expect([...select.options].slice(1).map((o) => o.value)).to.deep.equal(Object.keys(BASE_MODELS));
    // base-model set: that base is shown, the custom entry goes.
    el.baseModel = 'mobilenet-v2-0.50';
    await el.updateComplete;
    expect(baseSelect(el).value).to.equal('mobilenet-v2-0.50');
    expect(baseSelect(el).options).to.have.length(Object.keys(BASE_MODELS).length);
  });

  it('sets augment and epochs from their controls, and shows values set by script', async () => {
    const el = await fixture<MlClassifier>(html`<ml-classifier lang="en"></ml-classifier>`);
    const augment = augmentSelect(el);
    expect([...augment.options].map((o) => [o.value, o.textContent!.trim()])).to.deep.equal([
      ['0', 'none'],
      ['1', '1'],
      ['2', '2'],
      ['3', '3'],
      ['4', '4'],
    ]);
    expect(augment.value).to.equal('0');
    expect(augment.labels![0].textContent).to.contain('Augmented copies of each training image');
    choose(augment, '3');
    expect(el.augment).to.equal(3);
    await el.updateComplete;
    expect(el.getAttribute('augment')).to.equal('3');

    const epochs = epochsInput(el);
    // Unset: the core's defaults, 20 for the flatten head and 50 for a pooled one, shown as the hint.
    expect(epochs.value).to.equal('');
    expect(epochs.placeholder).to.equal('20 / 50');
    expect(epochs.labels![0].textContent).to.contain('Epochs');
    choose(epochs, '7');
    expect(el.epochs).to.equal(7);
    expect((await optionsPassed(el)).epochs).to.equal(7);

    el.augment = 1;
    el.epochs = 12;
    await el.updateComplete;
    expect(augmentSelect(el).value).to.equal('1');
    expect(epochsInput(el).value).to.equal('12');
    // A value outside the list is shown, not replaced by another.
    el.augment = 6;
    await el.updateComplete;
    expect(augmentSelect(el).value).to.equal('6');
  });

  it('disables the Advanced controls while a run is in progress', async () => {
    const el = await fixture<MlClassifier>(html`<ml-classifier></ml-classifier>`);
    const controls = () => [baseSelect(el), augmentSelect(el), epochsInput(el)];
    expect(controls().map((c) => c.disabled)).to.deep.equal([false, false, false]);
    const held = (stub.config.hold = gate());
    const files = ['a/1.png', 'b/1.png'].map((path) => ({ file: new File(['x'], path.split('/')[1], { type: 'image/png' }), path }));
    const run = el.train(files);
    await el.updateComplete;
    expect(controls().map((c) => c.disabled)).to.deep.equal([true, true, true]);
    held.release();
    expect((await run).labels).to.deep.equal(['a', 'b']);
    await el.updateComplete;
    expect(controls().map((c) => c.disabled)).to.deep.equal([false, false, false]);
  });

  it('is accessible, open and closed, and its texts can be replaced', async () => {
    const el = await fixture<MlClassifier>(html`<ml-classifier></ml-classifier>`);
    await expect(el).shadowDom.to.be.accessible();
    const details = shadow(el).querySelector<HTMLDetailsElement>('details[part~="advanced"]')!;
    details.open = true;
    await expect(el).shadowDom.to.be.accessible();
    // A custom model-url adds the disabled entry; still accessible.
    el.modelUrl = '/custom/model.json';
    await el.updateComplete;
    await expect(el).shadowDom.to.be.accessible();

    el.strings = { advanced: 'Avancé', baseModel: 'Modèle de base', augmentOff: 'aucune', baseModelOption: (name, mb, _speed, isDefault) => `${name} (${mb} Mo)${isDefault ? ' par défaut' : ''}` };
    el.lang = 'fr';
    await el.updateComplete;
    expect(details.querySelector('summary')!.textContent!.trim()).to.equal('Avancé');
    expect(baseSelect(el).labels![0].textContent).to.contain('Modèle de base');
    expect(augmentSelect(el).options[0].textContent!.trim()).to.equal('aucune');
    expect(baseSelect(el).options[1].textContent!.trim()).to.equal('MobileNet v1 0.25 224 (1,9 Mo)');
  });
});
