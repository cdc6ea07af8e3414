// `npm run test:fast`: the tests that need no base model and no photos (io, the head on made-up
// activations, the engine, the element's controllers and layout on the stub pipeline), under a minute.
import config from './web-test-runner.config.mjs';

export default {
  ...config,
  files: [
    'test/io/**/*.test.ts',
    'test/core/classifier-odd-sets.test.ts',
    'test/core/backend.test.ts',
    'test/engine/engine.test.ts',
    'test/elements/training-controller.test.ts',
    'test/elements/base-model-settings.test.ts',
    'test/elements/layout.test.ts',
  ],
};
