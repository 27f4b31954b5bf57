'use strict';
// Compiles and runs bundle/bin.cjs with V8's code cache (bundle/bin.cjs.cache, written by the build:
// scripts/code-cache.mjs). Node 20 has no compile cache of its own (module.enableCompileCache is Node 22), and
// compiling the ~220 KB bundle is a fixed cost of every command (docs/benchmarks.md, "V8's code cache"). A cache
// V8 cannot use (another Node version, other V8 flags, a bundle rebuilt without one) is rejected by V8 itself and
// the bundle compiles as it would without it. Nothing here writes the cache: only the build does, so no run's data
// can reach it.
const { readFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

const BUNDLE = join(__dirname, '..', 'bundle', 'bin.cjs');
const CACHE = `${BUNDLE}.cache`;

/** The cache the build wrote, or undefined where there is none. */
function readCache() {
  try {
    return readFileSync(CACHE);
  } catch {
    return undefined;
  }
}

/**
 * bin.cjs as a CommonJS module function, given `cachedData` (V8 says whether it took it in cachedDataRejected).
 * `__vaultImport` stands for import(): V8 loses a script's dynamic-import callback when the script comes from the
 * code cache, so the bundle's import() calls (scripts/bundle.mjs rewrites them) are made here instead, in a file
 * Node compiles itself.
 */
function compileBundle(cachedData) {
  const source = readFileSync(BUNDLE, 'utf8');
  const wrapped = `(function (exports, require, module, __filename, __dirname, __vaultImport) {${source}\n})`;
  return new Script(wrapped, { filename: BUNDLE, cachedData });
}

/** Runs the compiled bundle as Node would run bin.cjs itself. */
function runBundle(script) {
  const module = { exports: {}, filename: BUNDLE, id: BUNDLE, loaded: false };
  const vaultImport = (specifier) => import(specifier);
  script.runInThisContext().call(module.exports, module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE), vaultImport);
}

module.exports = { BUNDLE, CACHE, readCache, compileBundle, runBundle };
