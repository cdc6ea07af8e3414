/**
 * `npm run analyze` (part of `npm run build`): writes custom-elements.json from the doc comments in
 * src/. The manifest is a build output (git-ignored, shipped in the package), so it cannot go stale.
 */
export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.d.ts', 'src/jsx/**'],
  outdir: '.',
  litelement: true,
  // The analyzer would otherwise rewrite package.json on every run; "customElements" is set there by hand.
  packagejson: false,
  plugins: [
    {
      // Private members are implementation, not API. Events: the class lists each one with
      // `@fires {Type} name - ...`; the ones the analyzer infers from `dispatchEvent(new
      // TrainedEvent(detail))` are named after the argument (`detail`), so only documented ones stay.
      name: 'public-api-only',
      moduleLinkPhase({ moduleDoc }) {
        for (const declaration of moduleDoc.declarations ?? []) {
          if (declaration.members) declaration.members = declaration.members.filter((m) => m.privacy !== 'private');
          if (declaration.events) declaration.events = declaration.events.filter((e) => e.name && e.description);
        }
      },
    },
    {
      // The package ships dist/esm/, not src/: point module paths at the files a user can import.
      name: 'paths-to-dist',
      packageLinkPhase({ customElementsManifest }) {
        const toDist = (p) => p.replace(/^src\/(.*)\.ts$/, 'dist/esm/$1.js');
        const visit = (value) => {
          if (Array.isArray(value)) return value.forEach(visit);
          if (!value || typeof value !== 'object') return;
          for (const key of ['path', 'module']) {
            if (typeof value[key] === 'string') value[key] = toDist(value[key]);
          }
          Object.values(value).forEach(visit);
        };
        visit(customElementsManifest.modules);
      },
    },
  ],
};
