import type { Context } from '../io/context.js';
import { agentPlaces, openVaultFile, vaultAgent } from '../vault-access/vault-access.js';

/**
 * Tells the agent to wipe the vault key and exit. The agent listens where the environment of `vault unlock` said
 * (under XDG_RUNTIME_DIR, else beside the vault), which need not be this shell's (ssh, sudo -E, cron, an old tmux
 * server): every place it can be is told, so a lock never reports "not unlocked" beside a running agent.
 */
export async function lock(ctx: Context): Promise<void> {
  const file = openVaultFile(ctx);
  let locked = false;
  const told = new Set<string>();
  for (const env of agentPlaces(ctx.env)) {
    const agent = vaultAgent(ctx, file, env);
    // Without XDG_RUNTIME_DIR, this shell's place is the one beside the vault.
    if (told.has(agent.location.socket)) continue;
    told.add(agent.location.socket);
    if (await agent.lock()) locked = true;
  }
  ctx.info(locked ? 'Vault locked: the agent wiped the key and stopped.' : 'The vault was not unlocked.');
}
