import { clearSessions, listProfiles, type VaultData } from '@vault/core';
import { listProfileNames, readConfigFile, resolveProfile, suggestProfiles, UnknownProfileError } from '@vault/profiles';
import { ssoCacheKey } from '../credentials/sso/sign-in.js';
import type { Context } from '../io/context.js';
import { openVaultFile, unlockVault } from '../vault-access/vault-access.js';

export interface ClearArgs {
  /** Only the sessions derived from this profile; all sessions when absent. */
  profile?: string;
  /** With a profile: keep its IAM Identity Center sign-in (`remove --sessions-only`, as aws-vault's keeps it). */
  keepSignIn?: boolean;
}

/** Pure: the sentence `vault clear` ends with. */
export function clearedMessage(removed: number, profile: string | undefined): string {
  const what = `${removed} cached session${removed === 1 ? '' : 's'}`;
  return `Cleared ${what}${profile === undefined ? '' : ` of profile ${profile}`}.`;
}

/**
 * Drops cached sessions so the next command asks STS (and the MFA device) again. Long-lived keys stay. With a
 * profile, every session whose chain passes through it goes: `clear admin` also drops a session of a profile
 * assumed from admin, but keeps the base session of admin's source profile. An IAM Identity Center profile's own
 * sign-in goes with it, as under aws-vault (`clear my-sso` is how a fresh sign-in is forced).
 */
export async function clear(ctx: Context, args: ClearArgs): Promise<void> {
  const file = openVaultFile(ctx);
  if (!(await file.exists())) {
    if (args.profile !== undefined) await checkKnown(ctx, args.profile, undefined);
    ctx.info(clearedMessage(0, args.profile));
    return;
  }
  const vault = await unlockVault(ctx, file);
  const current = await vault.read();
  const signIn = args.profile === undefined || args.keepSignIn ? undefined : await ownSignIn(ctx, args.profile);
  if (clearSessions(current, args.profile, signIn).removed === 0) {
    // A typo must not look like a successful clear of nothing (and nothing changed needs no write).
    if (args.profile !== undefined) await checkKnown(ctx, args.profile, current);
    ctx.info(clearedMessage(0, args.profile));
    return;
  }
  let removed = 0;
  await vault.update((data) => {
    // Counted again under the lock: another vault process may have cached or cleared sessions meanwhile.
    const result = clearSessions(data, args.profile, signIn);
    removed = result.removed;
    return result.data;
  });
  ctx.info(clearedMessage(removed, args.profile));
}

/** The key of the sign-in an IAM Identity Center profile's own settings name (not one it reaches through a role). */
async function ownSignIn(ctx: Context, profile: string): Promise<string | undefined> {
  try {
    const chain = resolveProfile(await readConfigFile(ctx.configPath, 'config'), profile);
    return chain.hops.length === 0 && chain.base.kind === 'sso' && chain.base.profile === profile ? ssoCacheKey(chain.base.sso) : undefined;
  } catch (err) {
    // A profile that does not resolve has no sign-in to drop; its sessions are cleared all the same.
    ctx.debug(`no IAM Identity Center sign-in of ${profile} to clear: ${(err as Error).message}`);
    return undefined;
  }
}

async function checkKnown(ctx: Context, profile: string, data: VaultData | undefined): Promise<void> {
  const config = await readConfigFile(ctx.configPath, 'config');
  const known = [...listProfileNames(config), ...(data ? listProfiles(data) : [])];
  if (known.includes(profile)) return;
  throw new UnknownProfileError(profile, suggestProfiles(profile, known), { path: ctx.configPath });
}
