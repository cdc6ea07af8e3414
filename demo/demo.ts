import { BASE_MODELS, DEFAULT_BASE_MODEL, MlClassifier } from '../src/ml-classifier.js';

/** `../shared/models`, served by the dev server: one folder per base (`BASE_MODELS[id].folder`). */
const SHARED_MODELS = '/shared/models/';
const element = document.querySelector('ml-classifier')!;
const themed = document.querySelector<HTMLElementTagNameMap['ml-classifier']>('ml-classifier.themed')!;
themed.strings = {
  chooseFolder: 'Choisir un dossier',
  chooseFiles: 'Choisir des fichiers',
  openModel: 'Ouvrir un modèle',
  trainingAccuracy: (a, c, n) => `Précision d’entraînement ${a} (${c} sur ${n})`,
  validationAccuracy: (a, c, n) => `précision de validation ${a} (${c} sur ${n})`,
  epochsDone: (d, n) => `époque ${d} sur ${n}`,
  advanced: 'Avancé',
  baseModel: 'Modèle de base',
  baseModelOption: (name, mb, speed, isDefault) => `${name} · ${mb} Mo · ${speed}${isDefault ? ' (par défaut)' : ''}`,
  slowerThanReference: (x) => `environ ${x}× le temps de v1 0.25`,
  fasterThanReference: (x) => `${x}× plus rapide que v1 0.25`,
  referenceSpeed: 'la vitesse d’origine',
  epochsSetting: 'Époques',
  augment: 'Copies modifiées de chaque image d’entraînement',
  augmentOff: 'aucune',
};
const log = document.querySelector('#log')!;

// Offline: every element on the page reads the bases from ../shared/models when the dev server
// has that folder (the page-wide models-path), else from their public URLs.
fetch(`${SHARED_MODELS}${BASE_MODELS[DEFAULT_BASE_MODEL].folder}/model.json`, { method: 'HEAD' }).then((response) => {
  if (response.ok) MlClassifier.modelsPath = SHARED_MODELS;
  append('models-path', MlClassifier.modelsPath ?? 'unset: public URLs');
});

for (const type of ['data-loaded', 'progress-changed', 'trained', 'predicted', 'model-loaded', 'failed'] as const) {
  element.addEventListener(type, (event) => append(type, (event as CustomEvent).detail));
}

function append(type: string, detail: unknown) {
  const line = `${new Date().toLocaleTimeString()} ${type} ${JSON.stringify(detail, (_, v) => (typeof v === 'number' ? +v.toFixed(4) : v))}\n`;
  log.textContent = line + log.textContent;
}
