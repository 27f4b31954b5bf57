// Writes the V8 code caches bin/bundle-script.cjs compiles bundle/ with, by running vault's commands once each in a
// throw-away HOME and keeping what they compiled (a cache from compiling alone holds only a file's top level and
// saves about half as much; docs/benchmarks.md, "V8's code cache"):
// - a cold `vault exec` (passphrase from the environment, no session yet, GetSessionToken against a stand-in STS
//   served here) trains the STS client's sts.cjs and libsodium's sodium.cjs (proper-lockfile's lockfile.cjs, which the
//   session's write loads, gets none: 33 kB, its cache made no difference measured; docs/benchmarks.md, "Start-up,
//   round 6");
// - then, with the vault unlocked, the command run most, a `vault exec` of the session the first one cached, trains
//   bin.cjs.
// The keys in the throw-away vault and the stand-in's answer are made up, and a cache holds compiled code, not a
// run's data. `npm run build` runs this after scripts/bundle.mjs.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { putCredentials, VaultFile, vaultFilePath, wipeKey } from '../packages/core/dist/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const vaultBin = join(root, 'packages/cli/bin/vault.cjs');
const trainer = join(root, 'scripts/lib/train-code-cache.cjs');
const bundleDir = join(root, 'packages/cli/bundle');
const run = promisify(execFile);

// Argon2id at its cheapest: the KDF's cost is in libsodium's WebAssembly, not in the code being cached.
const CHEAP_KDF = { alg: 'argon2id13', opslimit: 1, memlimit: 8 * 1024 };
const PROFILE = 'code-cache';
const PASSPHRASE = 'code cache training';
const SECRET = 'code-cache-training-not-a-real-secret-key';

/** GetSessionToken's answer, as STS's query protocol gives it, for every request; counts the requests. */
function standInSts() {
  let requests = 0;
  const expiration = new Date(Date.now() + 3_600_000).toISOString();
  const server = createServer((req, res) => {
    requests += 1;
    req.resume().on('end', () => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(`<GetSessionTokenResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetSessionTokenResult><Credentials>
<AccessKeyId>ASIACODECACHEEXAMPLE</AccessKeyId><SecretAccessKey>${SECRET}</SecretAccessKey>
<SessionToken>code-cache-training-not-a-real-session-token</SessionToken><Expiration>${expiration}</Expiration>
</Credentials></GetSessionTokenResult><ResponseMetadata><RequestId>code-cache</RequestId></ResponseMetadata></GetSessionTokenResponse>`);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}`, requests: () => requests, close: () => server.close() }));
  });
}

const home = await mkdtemp(join(tmpdir(), 'vault-code-cache-'));
const sts = await standInSts();
const env = {
  PATH: process.env.PATH,
  HOME: home,
  AWS_CONFIG_FILE: join(home, '.aws', 'config'),
  AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
  AWS_VAULT_FILE_DIR: join(home, 'vault'),
  XDG_RUNTIME_DIR: join(home, 'run'),
  AWS_ENDPOINT_URL_STS: sts.url,
};
const command = ['exec', PROFILE, '--', process.execPath, '-e', '0'];
// What each run trains (above): the cold run the libraries it loads, the unlocked run the bundle itself.
const COLD_RUN = ['sts.cjs', 'sodium.cjs'];
const UNLOCKED_RUN = ['bin.cjs'];
/** The caches in bundle/, sorted. */
const cachesWritten = async () => (await readdir(bundleDir)).filter((name) => name.endsWith('.cache')).sort();
let unlocked = false;
try {
  await mkdir(join(home, '.aws'), { mode: 0o700 });
  await mkdir(env.XDG_RUNTIME_DIR, { mode: 0o700 });
  await writeFile(env.AWS_CONFIG_FILE, `[profile ${PROFILE}]\nregion = us-east-1\n`);
  const file = new VaultFile(vaultFilePath(env.AWS_VAULT_FILE_DIR));
  const key = await file.create(PASSPHRASE, CHEAP_KDF);
  try {
    const stored = { accessKeyId: 'AKIACODECACHEEXAMPLE', secretAccessKey: SECRET, addedAt: new Date().toISOString() };
    await file.update(key, (data) => putCredentials(data, PROFILE, stored));
  } finally {
    wipeKey(key);
  }
  await Promise.all((await cachesWritten()).map((name) => rm(join(bundleDir, name))));
  await run(process.execPath, [trainer, COLD_RUN.join(','), ...command], { env: { ...env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE } });
  await run(process.execPath, [vaultBin, 'unlock', '--ttl', '1m'], { env: { ...env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE } });
  unlocked = true;
  await run(process.execPath, [trainer, UNLOCKED_RUN.join(','), ...command], { env });
  // One GetSessionToken, by the cold run: the unlocked run took the session it cached, the path being trained.
  if (sts.requests() !== 1) throw new Error(`code-cache: expected 1 request to the stand-in STS, got ${sts.requests()}`);
  const written = await cachesWritten();
  const expected = [...COLD_RUN, ...UNLOCKED_RUN].map((file) => `${file}.cache`).sort();
  if (written.join() !== expected.join()) throw new Error(`code-cache: wrote ${written.join(', ')}, expected ${expected.join(', ')}`);
} finally {
  if (unlocked) await run(process.execPath, [vaultBin, 'lock'], { env }).catch(() => undefined);
  sts.close();
  await rm(home, { recursive: true, force: true });
}
