/** Debian's Chromium, or CHROME_PATH: the one browser the tests, the benchmark and the end-to-end run drive. */
export const chromiumPath = process.env.CHROME_PATH || '/usr/bin/chromium';

/** Flags every headless run of it shares. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // WebGL through SwiftShader where there is no GPU; guards against Chromium restricting
  // its automatic software fallback further.
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];
