import type { Context } from '../io/context.js';
import { openVaultFile, vaultAgent } from '../vault-access/vault-access.js';

/** Tells the agent to wipe the vault key and exit. */
export async function lock(ctx: Context): Promise<void> {
  const locked = await vaultAgent(ctx, openVaultFile(ctx)).lock();
  ctx.info(locked ? 'Vault locked: the agent wiped the key and stopped.' : 'The vault was not unlocked.');
}
