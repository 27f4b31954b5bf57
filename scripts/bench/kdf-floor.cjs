'use strict';
// The least a command that opens the vault with a passphrase can cost, timed from outside as a whole process: Node
// starts, libsodium loads from vault's bundle as vault loads it (bundle/sodium.cjs with its code cache, the
// WebAssembly from sodium.wasm), one Argon2id derivation with vault's default parameters, exit. No vault code, no
// config, no STS. A cold `vault exec` pays all of this before it can decrypt anything, so the bench reports it beside
// the cold row: what the cold exec spends above it is what vault's own code can still change.
const { join } = require('node:path');
const { compileBundle, readCache, runBundle } = require('../../packages/cli/bin/bundle-script.cjs');

const SODIUM = join(__dirname, '..', '..', 'packages', 'cli', 'bundle', 'sodium.cjs');
// vault's default preset (KDF_PRESETS.interactive in packages/core/src/kdf.ts), written out: importing @vault/core
// would add its loading to the floor. test/e2e/bench-report.test.ts holds the two together.
const PARAMS = { opslimit: 2, memlimit: 64 * 1024 * 1024 };
const ALG_ARGON2ID13 = 2;

if (require.main === module) {
  const sodium = runBundle(compileBundle(readCache(SODIUM), SODIUM), SODIUM).default;
  sodium.ready.then(() => {
    const salt = new Uint8Array(16).fill(7);
    const key = sodium.crypto_pwhash(32, 'bench floor', salt, PARAMS.opslimit, PARAMS.memlimit, ALG_ARGON2ID13);
    if (key.length !== 32) throw new Error('the derivation gave no key');
  });
}

module.exports = { PARAMS };
