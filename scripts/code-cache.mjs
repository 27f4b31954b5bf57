// Writes packages/cli/bundle/bin.cjs.cache, the V8 code cache bin/bundle-script.cjs compiles the bundle with, by
// running the command that is run most (a `vault exec` of an unlocked vault with its session cached) once, in a
// throw-away HOME, and keeping what it compiled. A cache from compiling alone holds only the bundle's top level and
// saves about half as much (docs/benchmarks.md, "V8's code cache"). The keys in the throw-away vault are made up,
// and the cache holds compiled code, not a run's data. `npm run build` runs this after scripts/bundle.mjs.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { putCredentials, putSession, VaultFile, vaultFilePath, wipeKey } from '../packages/core/dist/index.js';
import { sessionTokenKey } from '../packages/cli/dist/credentials/cache-key.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const vaultBin = join(root, 'packages/cli/bin/vault.cjs');
const trainer = join(root, 'scripts/lib/train-code-cache.cjs');
const cacheFile = join(root, 'packages/cli/bundle/bin.cjs.cache');
const run = promisify(execFile);

// Argon2id at its cheapest: the vault is unlocked once, and the KDF is not what is being cached.
const CHEAP_KDF = { alg: 'argon2id13', opslimit: 1, memlimit: 8 * 1024 };
const PROFILE = 'code-cache';
const PASSPHRASE = 'code cache training';

const home = await mkdtemp(join(tmpdir(), 'vault-code-cache-'));
const env = {
  PATH: process.env.PATH,
  HOME: home,
  AWS_CONFIG_FILE: join(home, '.aws', 'config'),
  AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
  AWS_VAULT_FILE_DIR: join(home, 'vault'),
  XDG_RUNTIME_DIR: join(home, 'run'),
  // Nothing listens there: should the session below stop matching what `vault exec` looks up, the run fails here
  // instead of asking AWS.
  AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9',
};
let unlocked = false;
try {
  await mkdir(join(home, '.aws'), { mode: 0o700 });
  await mkdir(env.XDG_RUNTIME_DIR, { mode: 0o700 });
  await writeFile(env.AWS_CONFIG_FILE, `[profile ${PROFILE}]\nregion = us-east-1\n`);
  const file = new VaultFile(vaultFilePath(env.AWS_VAULT_FILE_DIR));
  const key = await file.create(PASSPHRASE, CHEAP_KDF);
  try {
    const now = new Date();
    const secretAccessKey = 'code-cache-training-not-a-real-secret-key';
    const stored = { accessKeyId: 'AKIACODECACHEEXAMPLE', secretAccessKey, addedAt: now.toISOString() };
    const session = {
      accessKeyId: 'ASIACODECACHEEXAMPLE',
      secretAccessKey,
      sessionToken: 'code-cache-training-not-a-real-session-token',
      expiration: new Date(now.getTime() + 3_600_000).toISOString(),
      profile: PROFILE,
      chain: PROFILE,
      profiles: [PROFILE],
    };
    const sessionKey = sessionTokenKey(PROFILE, undefined, 3600, env.AWS_ENDPOINT_URL_STS);
    await file.update(key, (data) => putSession(putCredentials(data, PROFILE, stored), sessionKey, session));
  } finally {
    wipeKey(key);
  }
  await rm(cacheFile, { force: true });
  await run(process.execPath, [vaultBin, 'unlock', '--ttl', '1m'], { env: { ...env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE } });
  unlocked = true;
  await run(process.execPath, [trainer, 'exec', PROFILE, '--', process.execPath, '-e', '0'], { env });
  await stat(cacheFile);
} finally {
  if (unlocked) await run(process.execPath, [vaultBin, 'lock'], { env }).catch(() => undefined);
  await rm(home, { recursive: true, force: true });
}
