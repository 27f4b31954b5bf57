import { getCredentials, removeCredentials } from '@vault/core';
import { CliError } from '../errors/cli-error.js';
import type { Context } from '../io/context.js';
import { openVaultFile, unlockVault } from '../vault-access/vault-access.js';

export interface RemoveArgs {
  profile: string;
  force: boolean;
}

export async function remove(ctx: Context, args: RemoveArgs): Promise<void> {
  const file = openVaultFile(ctx);
  const vault = await unlockVault(ctx, file);
  if (!getCredentials(await vault.read(), args.profile)) {
    throw new CliError('NOT_STORED', `no keys are stored for "${args.profile}"`);
  }
  if (!args.force) {
    if (!ctx.interactive()) {
      throw new CliError('USAGE', `refusing to delete "${args.profile}" without confirmation; pass --force`, 2);
    }
    if (!(await ctx.prompter.confirm(`Delete the keys and sessions of "${args.profile}" from the vault?`, false))) {
      ctx.info('Nothing deleted.');
      return;
    }
  }
  await vault.update((d) => removeCredentials(d, args.profile));
  ctx.info(`Deleted credentials for "${args.profile}".`);
}
