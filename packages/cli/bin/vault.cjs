#!/usr/bin/env node
// Kept as a committed shim so npm can link the bin before the build has produced bundle/ (scripts/bundle.mjs).
// CommonJS, as the bundle is: no ES module loader on the path of every command. The bundle runs from V8's code
// cache where the build left one (bundle-script.cjs).
const { compileBundle, readCache, runBundle } = require('./bundle-script.cjs');

runBundle(compileBundle(readCache()));
