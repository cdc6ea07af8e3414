// React 19: <ml-classifier> with typed properties and listeners.
import { useState } from 'react';
import type { PredictedDetail, TrainedDetail } from 'ml-classifier';
// Defines <ml-classifier>. Import it in the browser only (not during server rendering).
import 'ml-classifier';
// Types only: adds <ml-classifier> to React's JSX.IntrinsicElements.
import type {} from 'ml-classifier/react';

export function Classifier({ modelUrl }: { modelUrl?: string }) {
  const [trained, setTrained] = useState<TrainedDetail>();
  const [predictions, setPredictions] = useState<PredictedDetail[]>([]);
  const [error, setError] = useState('');

  return (
    <section>
      {/*
        React 19 sets `epochs` and `modelUrl` as properties; dashed names such as `wasm-path` as
        attributes. Listeners are `on` + the exact event name: `ontrained`, `ondata-loaded`
        (React keeps the case, so `onTrained` would wait for an event named "Trained").
      */}
      <ml-classifier
        modelUrl={modelUrl}
        wasm-path="/wasm/"
        epochs={20}
        validationSplit={0.2}
        ondata-loaded={(e) => console.log('labels', e.detail.labels, 'skipped', e.detail.skipped.length)}
        onprogress-changed={(e) => console.log(e.detail.phase, e.detail.done, '/', e.detail.total)}
        ontrained={(e) => {
          setTrained(e.detail);
          setPredictions([]);
        }}
        onpredicted={(e) => setPredictions((list) => [...list, e.detail])}
        onfailed={(e) => setError(`${e.detail.code}: ${e.detail.message}`)}
      />
      {trained && (
        <p>
          Validation accuracy: {trained.validationAccuracy === null ? 'n/a' : `${(trained.validationAccuracy * 100).toFixed(1)}%`} on {trained.labels.join(', ')}
        </p>
      )}
      <ul>
        {predictions.map((p, i) => (
          <li key={i}>
            {p.source}: {p.label} ({(p.confidence * 100).toFixed(0)}%)
          </li>
        ))}
      </ul>
      {error && <p role="alert">{error}</p>}
    </section>
  );
}
