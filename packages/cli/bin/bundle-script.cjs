'use strict';
// Compiles and runs the files in bundle/: bin.cjs, and the libraries the build bundles into files of their own,
// required on first use (libsodium's sodium.cjs, the STS client's sts.cjs; scripts/bundle.mjs), each with V8's code
// cache `FILE.cache` where the build wrote one (scripts/code-cache.mjs: bin.cjs, sts.cjs and sodium.cjs). Node 20
// has no compile cache of its own (module.enableCompileCache is Node 22), and compiling these files is a fixed cost
// of every command that runs them (docs/benchmarks.md, "V8's code cache"). A cache V8 cannot use (another Node
// version, other V8 flags, a file rebuilt without one) is rejected by V8 itself and the file compiles as it would
// without it. Nothing here writes a cache: only the build does, so no run's data can reach one.
const { readFileSync } = require('node:fs');
const { basename, dirname, join } = require('node:path');
const { Script } = require('node:vm');

const BUNDLE_DIR = join(__dirname, '..', 'bundle');
const BUNDLE = join(BUNDLE_DIR, 'bin.cjs');
const CACHE = cacheOf(BUNDLE);

function cacheOf(file) {
  return `${file}.cache`;
}

/** The cache the build wrote for `file` (bin.cjs by default), or undefined where there is none. */
function readCache(file = BUNDLE) {
  try {
    return readFileSync(cacheOf(file));
  } catch {
    return undefined;
  }
}

/**
 * `file` (bin.cjs by default) as a CommonJS module function, given `cachedData` (V8 says whether it took it in
 * cachedDataRejected). `__vaultImport` stands for import(): V8 loses a script's dynamic-import callback when the
 * script comes from the code cache, so the bundle's import() calls (scripts/bundle.mjs rewrites them) are made here
 * instead, in a file Node compiles itself. `__vaultRequire` is requireBundled below.
 */
function compileBundle(cachedData, file = BUNDLE) {
  const source = readFileSync(file, 'utf8');
  const wrapped = `(function (exports, require, module, __filename, __dirname, __vaultImport, __vaultRequire) {${source}\n})`;
  return new Script(wrapped, { filename: scriptName(file), cachedData });
}

/**
 * The name stack traces give the file: the same wherever vault is installed, since V8 keeps the name a cache was
 * made under, which is the build machine's checkout (`--debug` traces named it, whatever the running copy's path).
 */
function scriptName(file) {
  return `vault/bundle/${basename(file)}`;
}

/**
 * Runs a compiled file as Node would run it as a CommonJS module, and returns its exports. Its `require` is this
 * file's: the files in bundle/ require only Node's built-ins (npm packages come through __vaultImport), which
 * resolve the same from anywhere, and a require of its own for each file (createRequire) is ~3 kB of what a cached
 * `vault exec` allocates, close to the amount at which V8 starts collecting (docs/benchmarks.md, "Round 8").
 */
function runBundle(script, file = BUNDLE) {
  const module = { exports: {}, filename: file, id: file, loaded: false };
  const vaultImport = (specifier) => import(specifier);
  script.runInThisContext().call(module.exports, module.exports, require, module, file, dirname(file), vaultImport, requireBundled);
  module.loaded = true;
  return module.exports;
}

/** What requireBundled compiled in this process, by file: the build's trainer writes their caches from it. */
const bundled = new Map();

/** `./NAME.cjs` from bundle/, compiled with its cache and run once per process, as require() would. */
function requireBundled(specifier) {
  const file = join(BUNDLE_DIR, specifier);
  let entry = bundled.get(file);
  if (!entry) {
    const script = compileBundle(readCache(file), file);
    entry = { script, exports: runBundle(script, file) };
    bundled.set(file, entry);
  }
  return entry.exports;
}

module.exports = { BUNDLE, CACHE, bundled, cacheOf, readCache, compileBundle, runBundle };
