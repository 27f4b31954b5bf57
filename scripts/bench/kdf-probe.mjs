// Prints how long one Argon2id derivation with vault's default parameters takes in a fresh process, as `vault` pays
// it: after libsodium has loaded, including the first call's growth of WebAssembly memory to the KDF's 64 MiB.
import { randomBytes } from 'node:crypto';

const core = await import('../../packages/core/dist/index.js');
// Loads libsodium (not counted): a derivation with the cheapest parameters the header allows.
await core.deriveKey('warm-up', { kdf: { alg: 'argon2id13', opslimit: 1, memlimit: 8192 }, salt: randomBytes(16) });
const started = process.hrtime.bigint();
const key = await core.deriveKey(`probe ${randomBytes(6).toString('hex')}`, { kdf: core.KDF_PRESETS.interactive, salt: randomBytes(16) });
const ms = Number(process.hrtime.bigint() - started) / 1e6;
key.fill(0);
process.stdout.write(`${ms}\n`);
