import { dirname, join } from 'node:path';
import { getSsoToken, withLock, type SsoToken } from '@vault/core';
import { pathId } from '../../agent/location.js';
import type { OpenedVault } from '../../vault-access/vault-access.js';

/**
 * Held while one vault process signs in to IAM Identity Center (or refreshes the sign-in) for a key, beside the
 * vault: the others wait rather than each open a device sign-in of their own. As long as a person may take to confirm
 * the code (the device code lives 10 minutes); a holder that died is taken over in seconds.
 */
const SIGN_IN_LOCK = { timeoutMs: 15 * 60_000, staleMs: 10_000 };

/**
 * The sign-in lock of a key (SsoDeps.tokens.signingIn): `obtain` is given the key's token as stored once the lock is
 * held, and a token it saves (into `saved`) is written to the vault before the lock goes, for the next in line. Only
 * a token saved by this `obtain`: one the run saved earlier may be older than the one `obtain` took from the vault.
 * Every save happens under this lock, so the run writes no token of its own at the end.
 */
export function signInLock(vaultPath: string, vault: Pick<OpenedVault, 'reread' | 'putSessions'>, saved: ReadonlyMap<string, SsoToken>, lockOptions = SIGN_IN_LOCK) {
  return <T>(key: string, obtain: (latest: SsoToken | undefined) => Promise<T>): Promise<T> =>
    withLock(join(dirname(vaultPath), `sso-${pathId(key)}`), lockOptions, async () => {
      const before = saved.get(key);
      const result = await obtain(getSsoToken(await vault.reread(), key));
      const token = saved.get(key);
      if (token && token !== before) await vault.putSessions(new Map(), new Map([[key, token]]));
      return result;
    });
}
