import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyVaultData, putSsoTokens, type CachedSession, type SsoToken } from '@vault/core';
import { signInLock } from './sign-in-lock.js';

const KEY = 'corp';
const token = (accessToken: string): SsoToken => ({ startUrl: 'https://corp.awsapps.com/start', region: 'eu-west-1', accessToken, expiresAt: '2030-01-01T00:00:00Z' });

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vault-sign-in-lock-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** A vault holding `stored` for KEY, recording what is written to it. */
function vault(stored: SsoToken | undefined) {
  const written: Array<[string, SsoToken]> = [];
  return {
    written,
    reread: async () => (stored ? putSsoTokens(emptyVaultData(), [[KEY, stored]]) : emptyVaultData()),
    putSessions: async (_sessions: ReadonlyMap<string, CachedSession>, tokens: ReadonlyMap<string, SsoToken> = new Map()) => void written.push(...tokens),
  };
}

describe('signInLock', () => {
  it("writes the token obtain saved, and gives obtain the vault's token as stored under the lock", async () => {
    const v = vault(token('sealed'));
    const saved = new Map<string, SsoToken>();
    const seen = await signInLock(join(dir, 'vault'), v, saved)(KEY, async (latest) => {
      saved.set(KEY, token('new'));
      return latest?.accessToken;
    });
    expect(seen).toBe('sealed');
    expect(v.written).toEqual([[KEY, token('new')]]);
  });

  it("writes nothing when obtain takes another process's newer token: the run's own older one must not replace it", async () => {
    const v = vault(token('newer, from another process'));
    // This run refreshed the token earlier (its save is already in the vault), then was refused and came back here.
    const saved = new Map([[KEY, token('older, this run')]]);
    await signInLock(join(dir, 'vault'), v, saved)(KEY, async (latest) => latest);
    expect(v.written).toEqual([]);
  });
});
