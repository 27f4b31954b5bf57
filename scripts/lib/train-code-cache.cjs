'use strict';
// Run by scripts/code-cache.mjs in a throw-away HOME: runs bin.cjs as bin/vault.cjs does, from a fresh compile,
// and when the command exits writes V8's code cache of it, which then holds every function that command compiled.
const { writeFileSync } = require('node:fs');
const { CACHE, compileBundle, runBundle } = require('../../packages/cli/bin/bundle-script.cjs');

const script = compileBundle(undefined);
process.on('exit', () => writeFileSync(CACHE, script.createCachedData(), { mode: 0o644 }));
runBundle(script);
