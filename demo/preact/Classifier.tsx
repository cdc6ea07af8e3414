// Preact: <ml-classifier> with typed properties and listeners (tsconfig: "jsxImportSource": "preact").
import { useState } from 'preact/hooks';
import type { TrainedDetail } from 'ml-classifier';
// Defines <ml-classifier>.
import 'ml-classifier';
// Types only: adds <ml-classifier> to Preact's JSX.IntrinsicElements.
import type {} from 'ml-classifier/preact';

export function Classifier() {
  const [trained, setTrained] = useState<TrainedDetail>();
  const [last, setLast] = useState('');
  return (
    <section>
      {/* Listeners are `on` + the exact event name, as in React 19. */}
      <ml-classifier
        model-url="/models/mobilenet_v1_0.25_224/model.json"
        epochs={20}
        ontrained={(e) => setTrained(e.detail)}
        onpredicted={(e) => setLast(`${e.detail.source}: ${e.detail.label}`)}
        onfailed={(e) => setLast(e.detail.message)}
      />
      {trained && <p>Training accuracy {(trained.accuracy * 100).toFixed(1)}%</p>}
      <p>{last}</p>
    </section>
  );
}
