import { KDF_PRESETS, type KdfPreset } from '@vault/core';
import type { Context } from '../io/context.js';
import { newPassphrase, openVaultFile, unlockVault } from '../vault-access/vault-access.js';

export interface PassphraseArgs {
  kdf?: KdfPreset;
}

export async function passphrase(ctx: Context, args: PassphraseArgs): Promise<void> {
  const file = openVaultFile(ctx);
  const key = await unlockVault(ctx, file);
  const next = await newPassphrase(ctx, 'AWS_VAULT_NEW_PASSPHRASE');
  ctx.redactor.add(next);
  await file.changePassphrase(key, next, args.kdf ? KDF_PRESETS[args.kdf] : undefined);
  ctx.info(`Passphrase changed${args.kdf ? ` (key derivation: ${args.kdf})` : ''}.`);
}
