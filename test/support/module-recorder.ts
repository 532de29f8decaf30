// Preloaded into an application process (`node --require <this> …`): the files it loads, and
// whether a source map is registered for the file named by MODULE_RECORDER_MAPPED, written as
// JSON to MODULE_RECORDER_FILE when the process exits.
import { writeFileSync } from 'node:fs';
import { findSourceMap, registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

const loaded = new Set<string>();
registerHooks({
  load(url, context, nextLoad) {
    if (url.startsWith('file:')) loaded.add(fileURLToPath(url));
    return nextLoad(url, context);
  },
});

process.on('exit', () => {
  const target = process.env.MODULE_RECORDER_FILE;
  if (!target) return;
  const mapped = process.env.MODULE_RECORDER_MAPPED;
  writeFileSync(
    target,
    JSON.stringify({
      loaded: [...loaded],
      mapped: mapped ? findSourceMap(mapped) !== undefined : null,
    }),
  );
});
