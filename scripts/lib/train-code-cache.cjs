'use strict';
// Run by scripts/code-cache.mjs in a throw-away HOME: `train-code-cache.cjs FILE[,FILE...] VAULT-ARGS...` runs
// bin.cjs as bin/vault.cjs does, every file from a fresh compile, and when the command exits writes V8's code cache
// of each FILE (bin.cjs, or a library's file that bundle-script.cjs required from bundle/, such as sts.cjs), which
// then holds every function the command compiled of it.
const { writeFileSync } = require('node:fs');
const { join, dirname } = require('node:path');
const { BUNDLE, bundled, cacheOf, compileBundle, runBundle } = require('../../packages/cli/bin/bundle-script.cjs');

const [names, ...args] = process.argv.slice(2);
const files = names.split(',').map((name) => join(dirname(BUNDLE), name));
// bin.cjs reads its command line from process.argv after the script's own path.
process.argv.splice(2, process.argv.length, ...args);
const script = compileBundle(undefined);
process.on('exit', () => {
  for (const file of files) {
    const trained = file === BUNDLE ? script : bundled.get(file)?.script;
    // A command that did not load the file trains nothing: the build checks which caches it has.
    if (trained) writeFileSync(cacheOf(file), trained.createCachedData(), { mode: 0o644 });
  }
});
runBundle(script);
