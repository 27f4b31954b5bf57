// Child process for the crash test: rewrites the vault as fast as it can until killed, printing the count of
// finished writes, so the parent can SIGKILL it in the middle of one.
// Usage: node write-loop.mjs VAULT_PATH PASSPHRASE STALE_LOCK_MS
import { VaultFile, putCredentials } from '../dist/index.js';

const [path, passphrase, staleLockMs] = process.argv.slice(2);
const file = new VaultFile(path, { staleLockMs: Number(staleLockMs), lockTimeoutMs: 60_000 });
const key = await file.unlock(passphrase);
// A few KiB of payload makes each write long enough to be caught half-way.
const filler = 'x'.repeat(4096);
for (let i = 0; ; i++) {
  const creds = { accessKeyId: `AKIA${i}`, secretAccessKey: filler, addedAt: new Date(i).toISOString() };
  await file.update(key, (d) => putCredentials(d, `p${i % 50}`, creds));
  process.stdout.write(`${i}\n`);
}
