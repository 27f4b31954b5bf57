import { KDF_PRESETS, VaultFile, type KdfParams, type VaultKey } from '@vault/core';
import { CliError } from './cli-error.js';
import type { Context } from './context.js';

/**
 * KDF parameters for a new vault. VAULT_TEST_KDF=fast exists only so end-to-end tests can create many vaults
 * quickly; it weakens nothing already sealed, because the parameters of an existing vault come from its header.
 */
export function newVaultKdf(env: NodeJS.ProcessEnv): KdfParams {
  if (env.VAULT_TEST_KDF === 'fast') return { alg: 'argon2id13', opslimit: 1, memlimit: 8 * 1024 * 1024 };
  return KDF_PRESETS.interactive;
}

export function openVaultFile(ctx: Context): VaultFile {
  return new VaultFile(ctx.vaultPath);
}

async function currentPassphrase(ctx: Context): Promise<string> {
  const fromEnv = ctx.env.AWS_VAULT_FILE_PASSPHRASE;
  if (fromEnv !== undefined) return fromEnv;
  if (!ctx.interactive()) {
    throw new CliError('NO_TTY', 'the vault passphrase is needed but there is no terminal to ask on');
  }
  return ctx.prompter.secret('Vault passphrase:');
}

/** Asks for a new passphrase twice (or takes it from `envName`), refusing empty or mismatched input. */
export async function newPassphrase(ctx: Context, envName: string): Promise<string> {
  const fromEnv = ctx.env[envName];
  if (fromEnv !== undefined) {
    if (!fromEnv) throw new CliError('EMPTY_PASSPHRASE', `${envName} is set but empty`);
    return fromEnv;
  }
  if (!ctx.interactive()) {
    throw new CliError('NO_TTY', `a new vault passphrase is needed but there is no terminal; set ${envName}`);
  }
  const first = await ctx.prompter.secret('New vault passphrase:');
  if (!first) throw new CliError('EMPTY_PASSPHRASE', 'the passphrase is empty');
  const second = await ctx.prompter.secret('Confirm vault passphrase:');
  if (first !== second) throw new CliError('PASSPHRASE_MISMATCH', 'the passphrases do not match');
  return first;
}

/** Unlocks an existing vault (VaultNotFoundError when there is none). */
export async function unlockVault(ctx: Context, file: VaultFile): Promise<VaultKey> {
  // Fail on a missing file before asking for a passphrase that could not be checked.
  if (!(await file.exists())) await file.readKeyInfo();
  const passphrase = await currentPassphrase(ctx);
  ctx.redactor.add(passphrase);
  return file.unlock(passphrase);
}

/** Unlocks the vault, creating it (new passphrase asked twice) when it does not exist yet. */
export async function unlockOrCreateVault(ctx: Context, file: VaultFile): Promise<{ key: VaultKey; created: boolean }> {
  if (await file.exists()) return { key: await unlockVault(ctx, file), created: false };
  const passphrase = await newPassphrase(ctx, 'AWS_VAULT_FILE_PASSPHRASE');
  ctx.redactor.add(passphrase);
  return { key: await file.create(passphrase, newVaultKdf(ctx.env)), created: true };
}
