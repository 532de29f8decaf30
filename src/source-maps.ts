import { getSourceMapsSupport, setSourceMapsSupport } from 'node:module';

// Imported by main.ts before any dependency loads, for a start of the compiled tree with
// `--enable-source-maps` (`npm run start:prod` turns source maps on in start.js instead, before
// the bundle loads). The flag reads and parses the map of every file that names one,
// node_modules included: thousands of files, a fifth of the start-up and tens of MB kept for the
// process's life. Stack traces keep the source lines of our own code; a dependency's frames show
// its published JavaScript.
if (getSourceMapsSupport().enabled) {
  setSourceMapsSupport(true, { nodeModules: false, generatedCode: false });
}
