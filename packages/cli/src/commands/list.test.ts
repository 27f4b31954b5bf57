import { emptyVaultData, putCredentials, putSession, summarizeVault, type CachedSession } from '@vault/core';
import fc from 'fast-check';
import { listRows, signInLines } from './list.js';

const NOW = new Date('2026-01-01T12:00:00Z');

function session(chain: string[], minutesLeft: number): CachedSession {
  return {
    accessKeyId: 'ASIAEXAMPLE',
    secretAccessKey: 'secret',
    sessionToken: 'token',
    expiration: new Date(NOW.getTime() + minutesLeft * 60_000).toISOString(),
    profile: chain.at(-1) as string,
    chain: chain.join(' -> '),
    profiles: chain,
  };
}

describe('listRows', () => {
  const data = summarizeVault([
    ['gst|read-only', session(['read-only'], 8 * 60)],
    ['ar|read-only|admin', session(['read-only', 'admin'], 52)],
    ['ar|read-only|admin|old', session(['read-only', 'admin'], -1)],
  ].reduce(
    (d, [key, s]) => putSession(d, key as string, s as CachedSession),
    putCredentials(emptyVaultData(), 'read-only', { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x', addedAt: '2026-01-01T00:00:00Z' }),
  ));

  it("shows each live session under its profile, with its chain and the seconds left", () => {
    expect(listRows(['admin', 'read-only'], data, NOW)).toEqual([
      {
        profile: 'admin',
        inConfig: true,
        credentials: false,
        sessions: [{ chain: 'read-only -> admin', expiration: '2026-01-01T12:52:00.000Z', secondsLeft: 52 * 60 }],
      },
      {
        profile: 'read-only',
        inConfig: true,
        credentials: true,
        sessions: [{ chain: 'read-only', expiration: '2026-01-01T20:00:00.000Z', secondsLeft: 8 * 3600 }],
      },
    ]);
  });

  it("keeps a profile's sessions in cache-key order, each row with its own", () => {
    const two = summarizeVault(
      [
        ['b|admin', session(['read-only', 'admin'], 30)],
        ['a|admin', session(['other', 'admin'], 20)],
        ['c|read-only', session(['read-only'], 10)],
      ].reduce((d, [key, s]) => putSession(d, key as string, s as CachedSession), emptyVaultData()),
    );
    const rows = listRows(['admin', 'read-only', 'none'], two, NOW);
    expect(rows.map((r) => [r.profile, r.sessions.map((s) => s.chain)])).toEqual([
      ['admin', ['other -> admin', 'read-only -> admin']],
      ['none', []],
      ['read-only', ['read-only']],
    ]);
  });

  it('leaves the vault columns unknown (null, no sessions) when the vault was not opened', () => {
    expect(listRows(['admin'], undefined, NOW)).toEqual([{ profile: 'admin', inConfig: true, credentials: null, sessions: [] }]);
  });

  it('lists every config profile and every stored one once, sorted, each marked with where it comes from', () => {
    const name = fc.constantFrom('a', 'b', 'B', 'admin', 'z', 'é', '\u{1F600}', '-', '');
    fc.assert(
      fc.property(fc.array(name, { maxLength: 8 }), fc.uniqueArray(name, { maxLength: 6 }), fc.boolean(), (config, stored, opened) => {
        const summary = opened ? { stored, sessions: [] } : undefined;
        const inConfig = new Set(config);
        const expected = [...new Set([...config, ...(summary?.stored ?? [])])].sort().map((profile) => ({
          profile,
          inConfig: inConfig.has(profile),
          credentials: summary ? stored.includes(profile) : null,
          sessions: [],
        }));
        expect(listRows(config, summary, NOW)).toEqual(expected);
        // The config's names as listProfileNames gives them (sorted, distinct) take the path without a set.
        expect(listRows([...inConfig].sort(), summary, NOW)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe('signInLines', () => {
  it('names each IAM Identity Center sign-in with its start URL and the time left, or says it expired', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(
      signInLines(
        [
          { key: 'corp', startUrl: 'https://corp.awsapps.com/start', expiresAt: '2026-01-01T07:52:00Z' },
          { key: 'https://old.awsapps.com/start', startUrl: 'https://old.awsapps.com/start', expiresAt: '2025-12-31T00:00:00Z' },
        ],
        now,
      ),
    ).toBe(
      '\nIAM Identity Center sign-ins:\n  corp (https://corp.awsapps.com/start): 7h52m left\n' +
        '  https://old.awsapps.com/start: expired (the next command refreshes it or signs in)\n',
    );
  });
});
