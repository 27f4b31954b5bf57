import { KDF_PRESETS, type KdfPreset } from '@vault/core';
import type { Context } from '../io/context.js';
import { newPassphrase, openVaultFile, unlockWithPassphrase } from '../vault-access/vault-access.js';

export interface PassphraseArgs {
  kdf?: KdfPreset;
}

export async function passphrase(ctx: Context, args: PassphraseArgs): Promise<void> {
  const file = openVaultFile(ctx);
  // Always the current passphrase, even while the agent is unlocked: whoever can reach the agent (any process of
  // the user) must not be able to lock the owner out by choosing a new one.
  const key = await unlockWithPassphrase(ctx, file, false);
  const next = await newPassphrase(ctx, 'AWS_VAULT_NEW_PASSPHRASE');
  ctx.redactor.add(next);
  await file.changePassphrase(key, next, args.kdf ? KDF_PRESETS[args.kdf] : undefined);
  ctx.info(`Passphrase changed${args.kdf ? ` (key derivation: ${args.kdf})` : ''}.`);
}
