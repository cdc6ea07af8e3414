// The training drop zone's Advanced disclosure: the base model, the epochs and the augmentation.
import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import { BASE_MODELS, DEFAULT_BASE_MODEL, isBaseModelId, type BaseModelId, type BaseModelSpec } from '../core/base-models.js';
import { DEFAULT_TRAIN_OPTIONS, POOLED_TRAIN_DEFAULTS } from '../core/train-options.js';
import type { Formats, Strings } from './strings.js';

/** The choices of the augmentation list: 0 (off) to 4 extra copies per image. */
const AUGMENT_CHOICES = [0, 1, 2, 3, 4];

/** What the disclosure shows, and where a choice goes. */
export interface AdvancedSettings {
  baseModel?: BaseModelId;
  modelUrl?: string;
  epochs?: number;
  augment?: number;
  /** Disables the controls (a run or a load is in progress). */
  busy: boolean;
  onBaseModel(id: BaseModelId): void;
  onEpochs(epochs: number | undefined): void;
  onAugment(copies: number): void;
}

/** The Advanced disclosure, showing the settings' values and setting them. */
export function renderAdvanced(s: AdvancedSettings, t: Strings, f: Formats) {
  const shown = s.baseModel || (s.modelUrl ? recogniseBase(s.modelUrl) : DEFAULT_BASE_MODEL);
  // A custom `model-url`, or a `base-model` that is not listed: shown as such, not as another base.
  const other = shown && isBaseModelId(shown) ? undefined : (shown ?? t.customBaseModel(s.modelUrl!));
  const augment = s.augment ?? 0;
  const augments = AUGMENT_CHOICES.includes(augment) ? AUGMENT_CHOICES : [...AUGMENT_CHOICES, augment];
  return html`<details part="advanced" class="advanced">
    <summary>${t.advanced}</summary>
    <div class="settings">
      <label
        >${t.baseModel}
        <select name="base-model" ?disabled=${s.busy} @change=${(e: Event) => s.onBaseModel((e.target as HTMLSelectElement).value as BaseModelId)}>
          ${other === undefined ? nothing : html`<option value="" disabled .selected=${live(true)}>${other}</option>`}
          ${Object.values(BASE_MODELS).map(
            (spec) =>
              html`<option value=${spec.id} .selected=${live(spec.id === shown)}>
                ${t.baseModelOption(shortName(spec), f.decimal(spec.downloadBytes / 1e6, 1), speedHint(spec.relativeCost, t, f), spec.id === DEFAULT_BASE_MODEL)}
              </option>`,
          )}
        </select>
      </label>
      <label
        >${t.epochsSetting}
        <input
          type="number"
          name="epochs"
          min="1"
          step="1"
          .value=${live(s.epochs === undefined ? '' : String(s.epochs))}
          ?disabled=${s.busy}
          placeholder=${`${DEFAULT_TRAIN_OPTIONS.epochs} / ${POOLED_TRAIN_DEFAULTS.epochs}`}
          @change=${(e: Event) => {
            const value = (e.target as HTMLInputElement).valueAsNumber;
            s.onEpochs(Number.isNaN(value) ? undefined : value);
          }}
        />
      </label>
      <label
        >${t.augment}
        <select name="augment" ?disabled=${s.busy} @change=${(e: Event) => s.onAugment(Number((e.target as HTMLSelectElement).value))}>
          ${augments.map((n) => html`<option value=${String(n)} .selected=${live(n === augment)}>${n === 0 ? t.augmentOff : t.augmentCopies(f.count(n))}</option>`)}
        </select>
      </label>
    </div>
  </details>`;
}

/** A base's speed next to MobileNet v1 0.25's from its `relativeCost` (its time per image over v1 0.25's). */
function speedHint(relativeCost: number, t: Strings, f: Formats): string {
  const times = (x: number) => (Number.isInteger(Math.round(x * 10) / 10) ? f.decimal(x, 0) : f.decimal(x, 1));
  if (Math.abs(relativeCost - 1) < 0.05) return t.referenceSpeed;
  return relativeCost > 1 ? t.slowerThanReference(times(relativeCost)) : t.fasterThanReference(times(1 / relativeCost));
}

/** A base's name without its parenthesis: `MobileNet v2 0.35 224`. */
function shortName(spec: BaseModelSpec): string {
  return spec.name.replace(/\s*\(.*\)\s*$/, '');
}

/**
 * The listed base a `model-url` is a copy of (its public URL, or a path ending in its folder and
 * `model.json`), for the Advanced list only; undefined for a custom base. The engine decides what it loads.
 */
function recogniseBase(url: string): BaseModelId | undefined {
  const path = url.split(/[?#]/)[0];
  return Object.values(BASE_MODELS).find((spec) => url === spec.url || path.endsWith(`/${spec.folder}/model.json`))?.id;
}
