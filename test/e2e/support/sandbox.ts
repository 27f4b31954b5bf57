import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { putCredentials, VaultFile, wipeKey, type KdfParams } from '@vault/core';
import type { Keys } from './aws-setup.js';
import { cleanEnv } from './clean-env.mjs';
import type { Env } from './process.js';

export { cleanEnv };

export interface Sandbox {
  home: string;
  configFile: string;
  credentialsFile: string;
  /** AWS_VAULT_FILE_DIR; without a fixture vault not created, so the CLI's own mkdir (and its mode) is what tests see. */
  vaultDir: string;
  vaultFile: string;
  /** PATH, HOME and the AWS file locations; no inherited AWS_* variable. */
  env: Env;
  /** Replaces the AWS config file. */
  writeConfig(text: string): Promise<void>;
  remove(): Promise<void>;
}

/**
 * Argon2id at its minimum cost (1 pass, 8 KiB), the lowest the vault header accepts: unlocking a vault sealed with
 * it takes well under a millisecond, where the default (64 MiB, 2 passes) takes about a second on the test machines
 * and the e2e suite unlocks vaults thousands of times. Fixture vaults only: vault itself cannot create one.
 */
export const FIXTURE_KDF: KdfParams = { alg: 'argon2id13', opslimit: 1, memlimit: 8 * 1024 };

/**
 * A vault at `path` sealed with `passphrase` at FIXTURE_KDF (or `kdf`), through @vault/core, holding `stored`
 * (profile -> keys) as `vault add` stores them: a test that only needs keys in the vault pays no `vault add` process.
 */
export async function createFixtureVault(
  path: string,
  passphrase: string,
  stored: Record<string, Keys> = {},
  kdf: KdfParams = FIXTURE_KDF,
): Promise<void> {
  const file = new VaultFile(path);
  const key = await file.create(passphrase, kdf);
  try {
    const addedAt = new Date().toISOString();
    const entries = Object.entries(stored);
    if (entries.length > 0) await file.update(key, (d) => entries.reduce((v, [profile, k]) => putCredentials(v, profile, { ...k, addedAt }), d));
  } finally {
    wipeKey(key);
  }
}

/**
 * A throw-away HOME with an empty `.aws/`; call remove() when done. With `passphrase`, the vault exists already,
 * sealed with that passphrase at FIXTURE_KDF through @vault/core (vault keeps a vault's own KDF parameters when it
 * rewrites it), empty or holding `stored`; without, the CLI creates it at its real cost.
 */
export async function sandbox(options: { passphrase?: string; stored?: Record<string, Keys> } = {}): Promise<Sandbox> {
  const home = await mkdtemp(join(tmpdir(), 'vault-e2e-'));
  const awsDir = join(home, '.aws');
  await mkdir(awsDir, { mode: 0o700 });
  const configFile = join(awsDir, 'config');
  const credentialsFile = join(awsDir, 'credentials');
  const vaultDir = join(home, 'vault-dir');
  const env: Env = {
    ...cleanEnv(),
    HOME: home,
    AWS_CONFIG_FILE: configFile,
    AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
    AWS_VAULT_FILE_DIR: vaultDir,
    // Keeps the AWS CLI and SDKs from probing the EC2 metadata service when a test has no credentials.
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  if (options.passphrase !== undefined) await createFixtureVault(join(vaultDir, 'vault'), options.passphrase, options.stored);
  return {
    home,
    configFile,
    credentialsFile,
    vaultDir,
    vaultFile: join(vaultDir, 'vault'),
    env,
    async writeConfig(text) {
      await writeFile(configFile, text);
      await chmod(configFile, 0o600);
    },
    async remove() {
      await rm(home, { recursive: true, force: true });
    },
  };
}
