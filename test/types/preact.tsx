// Compiled by demo/preact/tsconfig.json: what the Preact typings accept and refuse.
import type { PredictedEvent, TrainedEvent } from 'ml-classifier';
import type {} from 'ml-classifier/preact';

export const accepted = (
  <ml-classifier
    model-url="/m/model.json"
    epochs={20}
    batch-size={16}
    backend="wasm"
    layout="csv"
    labelFromFileName={(name) => name.split('_')[0]}
    ontrained={(e) => {
      const event: TrainedEvent = e;
      const accuracy: number | null = e.detail.validationAccuracy;
      return [event, accuracy];
    }}
    onpredicted={(e: PredictedEvent) => e.detail.scores[0].probability}
    ondata-loaded={(e) => e.detail.counts}
    onprogress-changed={(e) => e.detail.phase === 'training'}
    onfailed={(e) => e.detail.code === 'not-trained'}
    ref={(el) => el?.abort()}
  />
);

export const refused = [
  // @ts-expect-error not typed, to match React 19 (where it would listen for "Trained").
  <ml-classifier onTrained={() => {}} />,
  // @ts-expect-error `epochs` is set as a property: a number, not a string.
  <ml-classifier epochs="20" />,
  // @ts-expect-error no such backend.
  <ml-classifier backend="gpu" />,
  // @ts-expect-error the `trained` detail has no `label`.
  <ml-classifier ontrained={(e) => e.detail.label} />,
  // @ts-expect-error `status` is read-only.
  <ml-classifier status="idle" />,
];
