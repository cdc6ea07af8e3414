import '../src/ml-classifier.js';

const SHARED_MODEL = '/shared/models/mobilenet_v1_0.25_224/model.json';
const element = document.querySelector('ml-classifier')!;
const themed = document.querySelector<HTMLElementTagNameMap['ml-classifier']>('ml-classifier.themed')!;
themed.strings = {
  chooseFolder: 'Choisir un dossier',
  chooseFiles: 'Choisir des fichiers',
  openModel: 'Ouvrir un modèle',
  trainingAccuracy: (a, c, n) => `Précision d’entraînement ${a} (${c} sur ${n})`,
  validationAccuracy: (a, c, n) => `précision de validation ${a} (${c} sur ${n})`,
  epochsDone: (d, n) => `époque ${d} sur ${n}`,
};
const log = document.querySelector('#log')!;

// Offline: use the MobileNet copy in ../shared when the dev server has it, else the default URL.
fetch(SHARED_MODEL, { method: 'HEAD' }).then((response) => {
  if (response.ok) element.modelUrl = themed.modelUrl = SHARED_MODEL;
  append('model-url', element.modelUrl);
});

for (const type of ['data-loaded', 'progress-changed', 'trained', 'predicted', 'model-loaded', 'failed'] as const) {
  element.addEventListener(type, (event) => append(type, (event as CustomEvent).detail));
}

function append(type: string, detail: unknown) {
  const line = `${new Date().toLocaleTimeString()} ${type} ${JSON.stringify(detail, (_, v) => (typeof v === 'number' ? +v.toFixed(4) : v))}\n`;
  log.textContent = line + log.textContent;
}
