// The KDF cost a vault is sealed with: at least 64 MiB by default, raised (or lowered again) with
// `vault passphrase --kdf`, and always read back from the header. `sensitive` (1 GiB) is left out: too heavy for
// the test machines; it is the same code path with other numbers.
import { jest } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { expectOneLineError, expectSuccess } from './support/expect-error.js';
import { fakeKeys } from './support/fake-keys.js';
import type { Env } from './support/process.js';
import { runInProcess } from './support/in-process.js';
import { sandbox, type Sandbox } from './support/sandbox.js';
import { runVault } from './support/vault.js';

jest.setTimeout(180_000);

const MiB = 1024 * 1024;

/** The header's Argon2id parameters: opslimit and memlimit, big-endian at bytes 6 and 10 (docs/security.md). */
async function headerKdf(path: string): Promise<{ opslimit: number; memlimit: number }> {
  const bytes = await readFile(path);
  return { opslimit: bytes.readUInt32BE(6), memlimit: bytes.readUInt32BE(10) };
}

let box: Sandbox;
beforeAll(async () => {
  // No fixture vault: `vault add` creates it, with the real default.
  box = await sandbox();
  await box.writeConfig('[profile p]\n');
  const keys = fakeKeys();
  const added = await runVault(['add', '--env', 'p'], {
    env: env('first passphrase', { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey }),
  });
  expectSuccess(added);
});
afterAll(async () => {
  await box?.remove();
});

function env(passphrase: string, extra: Env = {}): Env {
  return { ...box.env, AWS_VAULT_FILE_PASSPHRASE: passphrase, ...extra };
}

async function changePassphrase(from: string, to: string, kdf: string) {
  const result = await runVault(['passphrase', '--kdf', kdf], { env: env(from, { AWS_VAULT_NEW_PASSPHRASE: to }) });
  expectSuccess(result);
  expect(result.stderr).toContain(`key derivation: ${kdf}`);
}

/** In-process: what is listed is logic; the derivation it pays is the same. */
async function storedProfiles(passphrase: string): Promise<unknown> {
  const result = await runInProcess(['list', '--json'], { env: env(passphrase) });
  expectSuccess(result);
  return JSON.parse(result.stdout);
}

describe('KDF presets', () => {
  it('seals a new vault with Argon2id at 64 MiB, 2 passes (libsodium INTERACTIVE)', async () => {
    expect(await headerKdf(box.vaultFile)).toEqual({ opslimit: 2, memlimit: 64 * MiB });
  });

  it('raises the cost with --kdf moderate, and the vault still opens', async () => {
    await changePassphrase('first passphrase', 'second passphrase', 'moderate');
    expect(await headerKdf(box.vaultFile)).toEqual({ opslimit: 3, memlimit: 256 * MiB });
    // Opened at that cost (256 MiB x 3, the dearest derivation of the suite) once, by the next change, which must
    // unlock it with the second passphrase before re-sealing; its profiles are listed after that.
  });

  it('can lower it back to interactive, opening the moderate vault to do so, its keys kept through both', async () => {
    expect(await headerKdf(box.vaultFile)).toEqual({ opslimit: 3, memlimit: 256 * MiB });
    await changePassphrase('second passphrase', 'third passphrase', 'interactive');
    expect(await headerKdf(box.vaultFile)).toEqual({ opslimit: 2, memlimit: 64 * MiB });
    expect(await storedProfiles('third passphrase')).toEqual([expect.objectContaining({ profile: 'p', credentials: true })]);
  });

  it('refuses an unknown preset as a usage error, leaving the vault alone', async () => {
    const before = await readFile(box.vaultFile);
    const result = await runInProcess(['passphrase', '--kdf', 'extreme'], { env: env('third passphrase', { AWS_VAULT_NEW_PASSPHRASE: 'x' }) });
    expectOneLineError(result, /extreme/, 2);
    expect(await readFile(box.vaultFile)).toEqual(before);
  });
});
