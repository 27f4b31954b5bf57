import {
  getSsoToken,
  putSsoTokens,
  clearSessions,
  emptyVaultData,
  getCredentials,
  getSession,
  isVaultData,
  listProfiles,
  liveSessions,
  summarizeVault,
  isVaultSummary,
  putCredentials,
  diffVaultData,
  applyVaultPatch,
  isVaultPatch,
  putSession,
  removeCredentials,
  withCredentialsOf,
  storeNewSessions,
  isKeysBasis,
} from './payload.js';
import type { CachedSession, StoredCredentials, VaultData } from './types.js';

const NOW = new Date('2030-01-01T12:00:00Z');
const minutes = (m: number) => new Date(NOW.getTime() + m * 60_000).toISOString();

function creds(id: string): StoredCredentials {
  return { accessKeyId: `AKIA${id}`, secretAccessKey: `secret-${id}`, addedAt: '2029-01-01T00:00:00.000Z' };
}

function session(profile: string, expiresInMin: number, profiles = [profile]): CachedSession {
  return {
    accessKeyId: `ASIA${profile}`,
    secretAccessKey: 's',
    sessionToken: 't',
    expiration: minutes(expiresInMin),
    profile,
    chain: profiles.join(' -> '),
    profiles,
  };
}

function deepFreeze<T>(o: T): T {
  if (typeof o === 'object' && o !== null) {
    Object.values(o).forEach(deepFreeze);
    Object.freeze(o);
  }
  return o;
}

function sample(): VaultData {
  let d = emptyVaultData();
  d = putCredentials(d, 'dev', creds('dev'));
  d = putCredentials(d, 'base', creds('base'));
  d = putSession(d, 'k-dev', session('dev', 60));
  d = putSession(d, 'k-admin', session('admin', 30, ['base', 'admin']));
  d = putSession(d, 'k-old', session('base', -1));
  return deepFreeze(d);
}

describe('credentials', () => {
  it('puts, gets and lists sorted without touching the input', () => {
    const d = sample();
    const next = putCredentials(d, 'alpha', creds('a'));
    expect(getCredentials(next, 'alpha')).toEqual(creds('a'));
    expect(getCredentials(d, 'alpha')).toBeUndefined();
    expect(listProfiles(next)).toEqual(['alpha', 'base', 'dev']);
  });

  it('replaces an existing profile', () => {
    const next = putCredentials(sample(), 'dev', creds('new'));
    expect(getCredentials(next, 'dev')?.accessKeyId).toBe('AKIAnew');
  });

  it('treats names like __proto__ and constructor as ordinary profiles', () => {
    const d = emptyVaultData();
    expect(getCredentials(d, 'constructor')).toBeUndefined();
    expect(getCredentials(d, '__proto__')).toBeUndefined();
    const next = putCredentials(d, '__proto__', creds('p'));
    expect(getCredentials(next, '__proto__')).toEqual(creds('p'));
    expect(listProfiles(next)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(next.credentials)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(next)).credentials.__proto__).toEqual(creds('p'));
    expect(listProfiles(removeCredentials(next, '__proto__'))).toEqual([]);
  });

  it('withCredentialsOf keeps the named profiles\' keys and every session, without touching the input', () => {
    const d = putCredentials(putCredentials(putCredentials(emptyVaultData(), 'a', creds('A')), '__proto__', creds('P')), 'b', creds('B'));
    const withSession = putSession(d, 'k', session('b', 30));
    const picked = withCredentialsOf(withSession, ['__proto__', 'b', 'absent']);
    expect(listProfiles(picked)).toEqual(['__proto__', 'b']);
    expect(picked.sessions).toEqual(withSession.sessions);
    expect(listProfiles(withSession)).toEqual(['__proto__', 'a', 'b']);
  });

  it('remove drops the keys and every session derived from them', () => {
    const next = removeCredentials(sample(), 'base');
    expect(listProfiles(next)).toEqual(['dev']);
    expect(Object.keys(next.sessions)).toEqual(['k-dev']);
  });
});

describe('sessions', () => {
  it('returns a session only while it stays valid past the minimum validity', () => {
    const d = sample();
    expect(getSession(d, 'k-dev', NOW)).toEqual(session('dev', 60));
    expect(getSession(d, 'k-dev', NOW, 60 * 60_000)).toBeUndefined();
    expect(getSession(d, 'k-dev', NOW, 60 * 60_000 - 1)).toBeDefined();
    expect(getSession(d, 'k-old', NOW, 0)).toBeUndefined();
    expect(getSession(d, 'missing', NOW)).toBeUndefined();
    expect(getSession(d, 'toString', NOW)).toBeUndefined();
  });

  it('uses 5 minutes as the default minimum validity', () => {
    const d = putSession(emptyVaultData(), 'k', session('p', 5));
    expect(getSession(d, 'k', NOW)).toBeUndefined();
    expect(getSession(d, 'k', new Date(NOW.getTime() - 1))).toBeDefined();
  });

  it('treats an unparseable expiration as expired', () => {
    const d = putSession(emptyVaultData(), 'k', { ...session('p', 60), expiration: 'soon' });
    expect(getSession(d, 'k', NOW, 0)).toBeUndefined();
    expect(liveSessions(summarizeVault(d), NOW)).toEqual([]);
  });

  it('clears all sessions or those derived from one profile, counting them', () => {
    const d = sample();
    const all = clearSessions(d);
    expect(all.removed).toBe(3);
    expect(all.data.sessions).toEqual({});
    expect(all.data.credentials).toEqual(d.credentials);
    const base = clearSessions(d, 'base');
    expect(base.removed).toBe(2);
    expect(Object.keys(base.data.sessions)).toEqual(['k-dev']);
    expect(clearSessions(d, 'nobody').removed).toBe(0);
  });

  it('lists live sessions sorted by profile', () => {
    let d = sample();
    d = putSession(d, 'k-dev-2', session('dev', 10));
    const live = liveSessions(summarizeVault(d), NOW);
    expect(live.map((l) => l.key)).toEqual(['k-admin', 'k-dev', 'k-dev-2']);
    expect(live[0]?.profile).toBe('admin');
  });

  it('summarizes a vault as its stored profiles and its sessions, with no secret of either', () => {
    const d = sample();
    const summary = summarizeVault(d);
    expect(summary.stored).toEqual(listProfiles(d));
    expect(summary.sessions.map((s) => s.key).sort()).toEqual(Object.keys(d.sessions).sort());
    expect(isVaultSummary(summary)).toBe(true);
    const text = JSON.stringify(summary);
    for (const c of Object.values(d.credentials)) expect(text).not.toContain(c.secretAccessKey);
    // A session's summary is these four fields: no key id, secret or token.
    for (const s of summary.sessions) expect(Object.keys(s).sort()).toEqual(['chain', 'expiration', 'key', 'profile']);
  });

  it('accepts only summary-shaped values as a summary', () => {
    expect(isVaultSummary({ stored: [], sessions: [] })).toBe(true);
    expect(isVaultSummary({ stored: [1], sessions: [] })).toBe(false);
    expect(isVaultSummary({ stored: [], sessions: [{ key: 'k', profile: 'p', chain: 'p' }] })).toBe(false);
    expect(isVaultSummary(null)).toBe(false);
  });

  it('copies stored sessions so later changes to the argument do not leak in', () => {
    const s = session('p', 60);
    const d = putSession(emptyVaultData(), 'k', s);
    s.profiles.push('other');
    expect(d.sessions.k?.profiles).toEqual(['p']);
  });
});

const SSO = { startUrl: 'https://corp.awsapps.com/start', region: 'eu-west-1', accessToken: 'a', expiresAt: '2026-01-01T00:00:00Z', refreshToken: 'r' };

describe('isVaultData', () => {
  it('accepts what the functions produce', () => {
    expect(isVaultData(sample())).toBe(true);
    expect(isVaultData(JSON.parse(JSON.stringify(sample())))).toBe(true);
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['another version', { ...emptyVaultData(), version: 2 }],
    ['no sessions', { version: 1, credentials: {} }],
    ['credentials as an array', { version: 1, credentials: [], sessions: {} }],
    ['a secret that is not a string', { version: 1, credentials: { p: { ...creds('p'), secretAccessKey: 1 } }, sessions: {} }],
    ['a session without profiles', { version: 1, credentials: {}, sessions: { k: { ...session('p', 1), profiles: undefined } } }],
    ['a session with a non-string profile', { version: 1, credentials: {}, sessions: { k: { ...session('p', 1), profiles: [1] } } }],
    ['an SSO token without its access token', { version: 1, credentials: {}, sessions: {}, ssoTokens: { corp: { ...SSO, accessToken: undefined } } }],
  ])('rejects %s', (_, value) => {
    expect(isVaultData(value)).toBe(false);
  });
});

describe('diffVaultData / applyVaultPatch', () => {
  it('turns the base into the next payload, and carries only what changed', () => {
    const base = sample();
    const next = removeCredentials(putCredentials(putSession(base, 'k-new', session('dev', 10)), '__proto__', creds('p')), 'base');
    const patch = diffVaultData(base, next);
    expect(patch.credentials).toEqual({ set: JSON.parse(JSON.stringify({ ['__proto__']: creds('p') })), drop: ['base'] });
    expect(Object.keys(patch.sessions.set)).toEqual(['k-new']);
    expect(patch.sessions.drop.sort()).toEqual(['k-admin', 'k-old']);
    expect(applyVaultPatch(base, patch)).toEqual(next);
    expect(isVaultPatch(JSON.parse(JSON.stringify(patch)))).toBe(true);
  });

  it('applies to a payload changed meanwhile without undoing the other change', () => {
    const base = sample();
    const patch = diffVaultData(base, putCredentials(base, 'mine', creds('m')));
    const theirs = putCredentials(base, 'theirs', creds('t'));
    expect(listProfiles(applyVaultPatch(theirs, patch))).toEqual(['base', 'dev', 'mine', 'theirs']);
  });

  it('recognises only well-formed patches', () => {
    for (const bad of [null, {}, { credentials: { set: {}, drop: [1] }, sessions: { set: {}, drop: [] } }, { credentials: { set: [], drop: [] }, sessions: { set: {}, drop: [] } }]) {
      expect(isVaultPatch(bad)).toBe(false);
    }
  });
});

describe('SSO sign-ins', () => {
  it('a vault from before them (no ssoTokens) is valid, and they are put, got and patched like sessions', () => {
    const old = sample();
    expect(isVaultData(old)).toBe(true);
    expect(getSsoToken(old, 'corp')).toBeUndefined();
    const next = putSsoTokens(old, [['corp', SSO]]);
    expect(isVaultData(next)).toBe(true);
    expect(getSsoToken(next, 'corp')).toEqual(SSO);
    expect(getSsoToken(next, 'constructor')).toBeUndefined();
    const patch = diffVaultData(old, next);
    expect(patch.ssoTokens).toEqual({ set: { corp: SSO }, drop: [] });
    expect(isVaultPatch(JSON.parse(JSON.stringify(patch)))).toBe(true);
    expect(applyVaultPatch(old, patch)).toEqual(next);
    // A patch without them (an older client's) leaves them alone.
    expect(diffVaultData(old, putCredentials(old, 'x', creds('x'))).ssoTokens).toBeUndefined();
  });

  it('are summarized by key, start URL and expiry, without the token, refresh token or client secret', () => {
    const token = { ...SSO, accessToken: 'access-secret', refreshToken: 'refresh-secret', clientSecret: 'client-secret' };
    const summary = summarizeVault(putSsoTokens(sample(), [['corp', token]]));
    expect(summary.signIns).toEqual([{ key: 'corp', startUrl: SSO.startUrl, expiresAt: SSO.expiresAt }]);
    expect(JSON.stringify(summary)).not.toMatch(/access-secret|refresh-secret|client-secret/);
    expect(isVaultSummary(summary)).toBe(true);
    expect(isVaultSummary({ ...summary, signIns: [{ key: 'corp' }] })).toBe(false);
  });

  it("clear without a profile forgets them (counted); clear PROFILE forgets only the profile's own sign-in", () => {
    const d = putSsoTokens(sample(), [['corp', SSO], ['other', SSO]]);
    const all = clearSessions(d);
    expect(all.data.ssoTokens).toBeUndefined();
    expect(all.removed).toBe(Object.keys(d.sessions).length + 2);
    expect(clearSessions(d, 'dev').data.ssoTokens).toEqual({ corp: SSO, other: SSO });
    const own = clearSessions(d, 'dev', 'corp');
    expect(own.data.ssoTokens).toEqual({ other: SSO });
    expect(own.removed).toBe(clearSessions(d, 'dev').removed + 1);
    expect(clearSessions(putSsoTokens(sample(), [['corp', SSO]]), 'dev', 'corp').data.ssoTokens).toBeUndefined();
  });
});

describe('storeNewSessions', () => {
  const fresh: Array<[string, CachedSession]> = [['k-new', session('admin', 60, ['base', 'admin'])]];
  const basis = { profile: 'base', accessKeyId: 'AKIAbase', addedAt: '2029-01-01T00:00:00.000Z' };

  it('writes the sessions and sign-ins while the keys they were made with are still stored', () => {
    const d = storeNewSessions(sample(), fresh, [['corp', SSO]], basis);
    expect(getSession(d, 'k-new', NOW)).toBeDefined();
    expect(getSsoToken(d, 'corp')).toEqual(SSO);
    expect(getSession(storeNewSessions(sample(), fresh, []), 'k-new', NOW)).toBeDefined();
  });

  it.each([
    ['replaced by other keys', (d: VaultData) => putCredentials(d, 'base', creds('other'))],
    ['stored again (add --force with the same key id)', (d: VaultData) => putCredentials(d, 'base', { ...creds('base'), addedAt: '2029-06-01T00:00:00.000Z' })],
    ['removed', (d: VaultData) => removeCredentials(d, 'base')],
  ])('drops the sessions (not the sign-ins) when the keys were %s meanwhile', (_, change) => {
    const d = storeNewSessions(change(sample()), fresh, [['corp', SSO]], basis);
    expect(getSession(d, 'k-new', NOW)).toBeUndefined();
    expect(getSsoToken(d, 'corp')).toEqual(SSO);
  });

  it('isKeysBasis checks the shape the agent receives', () => {
    expect(isKeysBasis(basis)).toBe(true);
    expect(isKeysBasis({ ...basis, addedAt: 1 })).toBe(false);
    expect(isKeysBasis(null)).toBe(false);
  });
});
