// The findings of the security review (issue 15), each driven through the built binary: what an attacker on the
// same machine, or a hostile file, could do before, and what vault does now.
import { jest } from '@jest/globals';
import { chown, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { awsSetup, type Keys } from './support/aws-setup.js';
import { expectOneLineError, expectSuccess } from './support/expect-error.js';
import { startMoto, type Moto } from './support/moto.js';
import type { Env } from './support/process.js';
import { sandbox, type Sandbox } from './support/sandbox.js';
import { unlockInProcess } from './support/vault-state.js';
import { runVault } from './support/vault.js';

jest.setTimeout(120_000);

const PASSPHRASE = 'security review passphrase';

let moto: Moto;
let box: Sandbox;
let first: Keys;
let second: Keys;

beforeAll(async () => {
  moto = await startMoto();
  const setup = awsSetup(moto);
  await setup.createUser('reviewer');
  [first, second] = await Promise.all([setup.createAccessKey('reviewer'), setup.createAccessKey('reviewer')]);
});
afterAll(async () => {
  await moto?.stop();
});
beforeEach(async () => {
  box = await sandbox();
  await box.writeConfig('[profile dev]\n');
});
afterEach(async () => {
  await box.remove();
});

function env(extra: Env = {}): Env {
  return { ...box.env, AWS_ENDPOINT_URL: moto.url, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, ...extra };
}

function keyEnv(keys: Keys): Env {
  return env({ AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey });
}

describe('vault add --force', () => {
  it('drops every cached session made with the keys it replaces', async () => {
    expectSuccess(await runVault(['add', '--env', 'dev'], { env: keyEnv(first) }));
    expectSuccess(await runVault(['exec', 'dev', '--', 'true'], { env: env() }));
    const vault = await unlockInProcess(box.vaultFile, PASSPHRASE);
    expect(Object.values((await vault.read()).sessions).map((s) => s.profile)).toEqual(['dev']);

    expectSuccess(await runVault(['add', '--env', '--force', 'dev'], { env: keyEnv(second) }));
    const after = await vault.read();
    expect(after.credentials.dev?.accessKeyId).toBe(second.accessKeyId);
    expect(after.sessions).toEqual({});
  });
});

describe('bounded work from hostile input', () => {
  it('AWS_CONFIG_FILE=/dev/zero ends in one line within seconds', async () => {
    const started = Date.now();
    const result = await runVault(['exec', 'dev', '--', 'true'], { env: env({ AWS_CONFIG_FILE: '/dev/zero' }), timeoutMs: 20_000 });
    expectOneLineError(result, /^vault: cannot read \/dev\/zero: it is larger than 16 MiB/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

// Needs root to give the vault directory to another user; the ownership rule itself is unit-tested in core.
const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;
asRoot('another user running vault on a vault it does not own (root with sudo keeping HOME)', () => {
  it('refuses with one line naming the owner, and leaves nothing of its own behind', async () => {
    expectSuccess(await runVault(['add', '--env', 'dev'], { env: keyEnv(first) }));
    const nobody = 65534;
    for (const path of [box.vaultDir, box.vaultFile]) await chown(path, nobody, nobody);
    for (const args of [['exec', 'dev', '--no-session', '--', 'true'], ['add', '--env', '--force', 'dev'], ['list'], ['unlock']]) {
      const result = await runVault(args, { env: keyEnv(second) });
      expectOneLineError(result, /^vault: refusing to use \S+: the vault directory belongs to uid 65534, not to uid 0 running vault; run vault as the user who owns it \(not with sudo\)/);
    }
    expect(await readdir(box.vaultDir)).toEqual(['vault']);
    expect((await stat(join(box.vaultDir, 'vault'))).uid).toBe(nobody);
  });
});
