import { wipeKey } from '@vault/core';
import { launchAgent } from '../agent/launch.js';
import type { Context } from '../io/context.js';
import { formatDuration } from '../credentials/duration.js';
import { CliError } from '../errors/cli-error.js';
import { openVaultFile, unlockWithPassphrase, vaultAgent } from '../vault-access/vault-access.js';

export const DEFAULT_UNLOCK_TTL_SECONDS = 15 * 60;
/** An unlocked vault is a standing risk; a day covers any working session. */
export const MAX_UNLOCK_TTL_SECONDS = 24 * 3600;

export interface UnlockArgs {
  /** Idle time after which the agent wipes the key (default 15 minutes). */
  ttlSeconds?: number;
}

/** Asks for the passphrase (always: unlocking must prove it) and hands the key to a new agent. */
export async function unlock(ctx: Context, args: UnlockArgs): Promise<void> {
  const ttl = args.ttlSeconds ?? DEFAULT_UNLOCK_TTL_SECONDS;
  if (ttl > MAX_UNLOCK_TTL_SECONDS) {
    throw new CliError('USAGE', `--ttl ${formatDuration(ttl)} is longer than the ${formatDuration(MAX_UNLOCK_TTL_SECONDS)} a vault may stay unlocked: give ${formatDuration(MAX_UNLOCK_TTL_SECONDS)} or less`, 2);
  }
  const file = openVaultFile(ctx);
  const key = await unlockWithPassphrase(ctx, file, false);
  try {
    const agent = vaultAgent(ctx, file);
    if (await agent.lock()) ctx.debug('stopped the agent that held the vault key before');
    const pid = await launchAgent(agent.location, key, ttl * 1000);
    ctx.debug(`vault agent ${pid} listens on ${agent.location.socket}`);
  } finally {
    wipeKey(key);
  }
  ctx.info(`Vault unlocked: no passphrase is asked until it has been idle for ${formatDuration(ttl)}. \`vault lock\` locks it now.`);
}
