// `npm run start:prod`: the application as one file, main.bundle.js, written beside this one by
// `npm run build` (scripts/bundle.mjs), or, in a tree built without it (`nest build`), as
// compiled. Source maps are turned on here, before the bundle is compiled, so that its map is
// registered: a stack trace names our TypeScript files. Not for node_modules, whose maps would
// be read at every start. The map is decoded when a trace first needs it.
import { existsSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';

// Missing before Node 22.14; main.js then says which Node it needs.
(Module as Partial<typeof Module>).setSourceMapsSupport?.(true, {
  nodeModules: false,
  generatedCode: false,
});
const bundle = join(__dirname, 'main.bundle.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
require(existsSync(bundle) ? bundle : './main');
