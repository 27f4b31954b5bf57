'use strict';
// Run by scripts/code-cache.mjs in a throw-away HOME: `train-code-cache.cjs WHAT VAULT-ARGS...` runs bin.cjs as
// bin/vault.cjs does, every file from a fresh compile, and when the command exits writes V8's code cache of what it
// trained, which then holds every function the command compiled: `bin` for bin.cjs, `libraries` for the files
// bundle-script.cjs required from bundle/ (libsodium, the STS client).
const { writeFileSync } = require('node:fs');
const { BUNDLE, bundled, cacheOf, compileBundle, runBundle } = require('../../packages/cli/bin/bundle-script.cjs');

const [what, ...args] = process.argv.slice(2);
// bin.cjs reads its command line from process.argv after the script's own path.
process.argv.splice(2, process.argv.length, ...args);
const script = compileBundle(undefined);
process.on('exit', () => {
  const trained = what === 'bin' ? [[BUNDLE, script]] : [...bundled].map(([file, entry]) => [file, entry.script]);
  for (const [file, compiled] of trained) writeFileSync(cacheOf(file), compiled.createCachedData(), { mode: 0o644 });
});
runBundle(script);
