// No environment variable can weaken a user's vault or change when credentials are renewed: the variables that once
// did (VAULT_TEST_KDF, VAULT_TEST_REFRESH_MARGIN) are set here and must change nothing, and the shipped bundle reads
// no VAULT_TEST_* variable at all. Tests get cheap vaults and short lives another way: fixture vaults sealed through
// @vault/core (support/sandbox.ts) and cached sessions edited through it (server.test.ts).
import { jest } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { putSession, wipeKey } from '@vault/core';
import { awsSetup } from './support/aws-setup.js';
import { expectSuccess } from './support/expect-error.js';
import { fakeKeys } from './support/fake-keys.js';
import { sharedMoto, type SharedMoto } from './support/moto.js';
import type { Env } from './support/process.js';
import { sandbox, type Sandbox } from './support/sandbox.js';
import { runVault } from './support/vault.js';
import { unlockInProcess } from './support/vault-state.js';

jest.setTimeout(120_000);

const PASSPHRASE = 'no test hooks passphrase';
const MiB = 1024 * 1024;
const boxes: Sandbox[] = [];

afterAll(async () => {
  await Promise.all(boxes.map((b) => b.remove()));
});

async function newBox(options: { passphrase?: string } = {}): Promise<Sandbox> {
  const box = await sandbox(options);
  boxes.push(box);
  return box;
}

it('the bundle users run reads no VAULT_TEST_* variable', async () => {
  const bundle = fileURLToPath(new URL('../../packages/cli/bundle/', import.meta.url));
  const files = (await readdir(bundle, { recursive: true })).filter((f) => /\.c?js$/.test(f));
  expect(files.length).toBeGreaterThan(0);
  const hooked = [];
  for (const f of files) if ((await readFile(join(bundle, f), 'utf8')).includes('VAULT_TEST_')) hooked.push(f);
  expect(hooked).toEqual([]);
});

it('VAULT_TEST_KDF=fast does not weaken a new vault: it is sealed with the default Argon2id cost', async () => {
  const box = await newBox();
  await box.writeConfig('[profile p]\n');
  const keys = fakeKeys();
  expectSuccess(
    await runVault(['add', '--env', 'p'], {
      env: { ...box.env, VAULT_TEST_KDF: 'fast', AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey },
    }),
  );
  // The header's Argon2id parameters: opslimit and memlimit, big-endian at bytes 6 and 10 (docs/security.md).
  const header = await readFile(box.vaultFile);
  expect({ opslimit: header.readUInt32BE(6), memlimit: header.readUInt32BE(10) }).toEqual({ opslimit: 2, memlimit: 64 * MiB });
});

describe('VAULT_TEST_REFRESH_MARGIN', () => {
  let moto: SharedMoto;
  let box: Sandbox;
  const env = (extra: Env = {}): Env => ({ ...box.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, AWS_ENDPOINT_URL_STS: moto.url, ...extra });

  beforeAll(async () => {
    moto = await sharedMoto();
    const setup = awsSetup(moto);
    await setup.createUser('hooked');
    const [keys, role] = await Promise.all([setup.createAccessKey('hooked'), setup.createRole('hooked-role')]);
    box = await newBox({ passphrase: PASSPHRASE });
    await box.writeConfig(`[profile base]\n\n[profile admin]\nsource_profile = base\nrole_arn = ${role}\n`);
    expectSuccess(await runVault(['add', '--env', 'base'], { env: env({ AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey }) }));
  });

  it('does not make vault exec --server renew a session with more than its 5-minute margin left', async () => {
    expectSuccess(await runVault(['exec', '--duration', '15m', 'admin', '--', 'true'], { env: env() }));
    // Ten minutes left: inside the 15 minutes the variable asks for, outside vault's own 5.
    const vault = await unlockInProcess(box.vaultFile, PASSPHRASE);
    let cachedKey = '';
    try {
      await vault.file.update(vault.key, (data) => {
        const [cacheKey, session] = Object.entries(data.sessions).find(([, s]) => s.profile === 'admin')!;
        cachedKey = session.accessKeyId;
        return putSession(data, cacheKey, { ...session, expiration: new Date(Date.now() + 10 * 60_000).toISOString() });
      });
    } finally {
      wipeKey(vault.key);
    }
    // The child asks the endpoint once and prints the access key id it was served.
    const fetchKey =
      'fetch(process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI, { headers: { Authorization: process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN } })' +
      '.then((r) => r.json()).then((c) => process.stdout.write(c.AccessKeyId))';
    const served = await runVault(['exec', '--server', '--duration', '15m', 'admin', '--', process.execPath, '-e', fetchKey], {
      env: env({ VAULT_TEST_REFRESH_MARGIN: '900' }),
    });
    expectSuccess(served);
    expect(served.stdout).toBe(cachedKey);
  });
});
