// Child process for the concurrency test: adds one profile to a shared vault through the built package.
// Usage: node add-profile.mjs VAULT_PATH PASSPHRASE PROFILE
import { VaultFile, putCredentials, wipeKey } from '../dist/index.js';

const [path, passphrase, profile] = process.argv.slice(2);
const file = new VaultFile(path, { lockTimeoutMs: 60_000 });
const key = await file.unlock(passphrase);
const creds = { accessKeyId: `AKIA${profile}`, secretAccessKey: `secret-${profile}`, addedAt: new Date(0).toISOString() };
await file.update(key, (d) => putCredentials(d, profile, creds));
wipeKey(key);
