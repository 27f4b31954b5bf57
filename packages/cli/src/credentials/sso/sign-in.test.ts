import type { SsoToken } from '@vault/core';
import { SsoServiceError, type SsoApi } from './api.js';
import { ssoRoleCredentials, type SsoDeps } from './sign-in.js';

const NOW = Date.parse('2026-11-30T00:00:00Z');
const BASE = {
  kind: 'sso' as const,
  profile: 'dev',
  sso: { startUrl: 'https://corp.awsapps.com/start', region: 'eu-west-1', session: 'corp', scopes: ['sso:account:access'] },
  accountId: '123456789012',
  roleName: 'Dev',
};
const ROLE = { accessKeyId: 'ASIAROLE', secretAccessKey: 'role-secret', sessionToken: 'role-token', expiration: NOW + 3600_000 };

function fakeApi(options: { pending?: number; validTokens?: string[]; refusedClients?: string[] } = {}) {
  const calls: string[] = [];
  const refuse = (operation: string, clientId: string) => {
    if (options.refusedClients?.includes(clientId)) throw new SsoServiceError('InvalidClientException', 400, operation, '');
  };
  let pending = options.pending ?? 1;
  let issued = 0;
  const valid = new Set(options.validTokens ?? []);
  const api: SsoApi = {
    async registerClient() {
      calls.push('RegisterClient');
      return { clientId: 'client', clientSecret: 'secret', clientSecretExpiresAt: NOW / 1000 + 90 * 86400 };
    },
    async startDeviceAuthorization(p) {
      calls.push('StartDeviceAuthorization');
      refuse('StartDeviceAuthorization', p.clientId);
      return { deviceCode: 'device', userCode: 'ABCD-EFGH', verificationUri: 'https://device', verificationUriComplete: 'https://device?code=ABCD-EFGH', expiresIn: 600, interval: 1 };
    },
    async createToken(p) {
      calls.push(`CreateToken ${p.grantType}`);
      refuse('CreateToken', p.clientId);
      if (p.grantType !== 'refresh_token' && pending-- > 0) throw new SsoServiceError('AuthorizationPendingException', 400, 'CreateToken', '');
      const accessToken = `access-${++issued}`;
      valid.add(accessToken);
      return { accessToken, expiresIn: 28800, refreshToken: `refresh-${issued}` };
    },
    async getRoleCredentials(p) {
      calls.push(`GetRoleCredentials ${p.accessToken}`);
      if (!valid.has(p.accessToken)) throw new SsoServiceError('UnauthorizedException', 401, 'GetRoleCredentials', '');
      return ROLE;
    },
  };
  return { api, calls, valid };
}

function deps(api: SsoApi, sealed: Record<string, SsoToken> = {}, cli?: SsoToken) {
  const notes: string[] = [];
  const saved = new Map<string, SsoToken>();
  let now = NOW;
  const d: SsoDeps = {
    api: () => api,
    tokens: { get: (k) => saved.get(k) ?? sealed[k], save: (k, t) => void saved.set(k, t) },
    cliToken: async () => cli,
    openBrowser: async () => false,
    notify: (line) => notes.push(line),
    clock: () => new Date(now),
    sleep: async (ms) => void (now += ms),
    log: () => {},
  };
  return { d, notes, saved };
}

const token = (over: Partial<SsoToken> = {}): SsoToken => ({
  startUrl: BASE.sso.startUrl,
  region: 'eu-west-1',
  accessToken: 'sealed',
  expiresAt: new Date(NOW + 3600_000).toISOString(),
  ...over,
});

describe('ssoRoleCredentials', () => {
  it('signs in with the device flow (polling through authorization_pending), prints the code and URL, seals the token with its registration', async () => {
    const { api, calls } = fakeApi({ pending: 2 });
    const { d, notes, saved } = deps(api);
    const creds = await ssoRoleCredentials(BASE, d);
    expect(creds).toEqual({ accessKeyId: 'ASIAROLE', secretAccessKey: 'role-secret', sessionToken: 'role-token', expiration: new Date(ROLE.expiration) });
    expect(calls.filter((c) => c.startsWith('CreateToken'))).toHaveLength(3);
    expect(notes.join('\n')).toContain('confirm the code ABCD-EFGH');
    expect(notes.join('\n')).toContain('open this URL to sign in: https://device?code=ABCD-EFGH');
    expect(saved.get('corp')).toMatchObject({ accessToken: 'access-1', refreshToken: 'refresh-1', clientId: 'client', clientSecret: 'secret', region: 'eu-west-1' });
  });

  it('uses a valid sealed token, then a valid AWS CLI token, without a sign-in', async () => {
    const sealed = fakeApi({ validTokens: ['sealed'] });
    await ssoRoleCredentials(BASE, deps(sealed.api, { corp: token() }).d);
    expect(sealed.calls).toEqual(['GetRoleCredentials sealed']);
    const cli = fakeApi({ validTokens: ['cli'] });
    await ssoRoleCredentials(BASE, deps(cli.api, {}, token({ accessToken: 'cli' })).d);
    expect(cli.calls).toEqual(['GetRoleCredentials cli']);
  });

  it('refreshes an expired sealed token with its refresh token and registration', async () => {
    const { api, calls } = fakeApi();
    const expired = token({
      expiresAt: new Date(NOW - 1000).toISOString(),
      refreshToken: 'r',
      clientId: 'client',
      clientSecret: 'secret',
      registrationExpiresAt: new Date(NOW + 86400_000).toISOString(),
    });
    const { d, saved } = deps(api, { corp: expired });
    await ssoRoleCredentials(BASE, d);
    expect(calls).toEqual(['CreateToken refresh_token', 'GetRoleCredentials access-1']);
    expect(saved.get('corp')?.accessToken).toBe('access-1');
  });

  it('a sealed client registration the service no longer accepts is registered again, once, instead of failing every sign-in', async () => {
    const { api, calls } = fakeApi({ pending: 0, refusedClients: ['revoked'] });
    const expired = token({
      expiresAt: new Date(NOW - 1000).toISOString(),
      refreshToken: 'r',
      clientId: 'revoked',
      clientSecret: 'secret',
      registrationExpiresAt: new Date(NOW + 30 * 86400_000).toISOString(),
    });
    const { d, saved } = deps(api, { corp: expired });
    await ssoRoleCredentials(BASE, d);
    expect(calls).toEqual([
      'CreateToken refresh_token',
      'StartDeviceAuthorization',
      'RegisterClient',
      'StartDeviceAuthorization',
      'CreateToken urn:ietf:params:oauth:grant-type:device_code',
      'GetRoleCredentials access-1',
    ]);
    expect(saved.get('corp')).toMatchObject({ clientId: 'client', accessToken: 'access-1' });
    // A registration made just now and refused is the service's answer: no loop of registrations.
    const fresh = fakeApi({ pending: 0, refusedClients: ['client'] });
    await expect(ssoRoleCredentials(BASE, deps(fresh.api).d)).rejects.toThrow(/signing in to IAM Identity Center .* failed/);
    expect(fresh.calls).toEqual(['RegisterClient', 'StartDeviceAuthorization']);
  });

  it('an expired token without a refresh token means a new sign-in, and says so', async () => {
    const { api, calls } = fakeApi({ pending: 0 });
    const { d, notes } = deps(api, {}, token({ accessToken: 'cli', expiresAt: '2026-11-29T22:00:00.000Z' }));
    await ssoRoleCredentials(BASE, d);
    expect(notes[0]).toBe('The IAM Identity Center sign-in for https://corp.awsapps.com/start expired at 2026-11-29T22:00:00.000Z; signing in again.');
    expect(calls).toContain('StartDeviceAuthorization');
  });

  it('ignores a token of another region and signs in; a revoked token (401) means a new sign-in', async () => {
    const region = fakeApi({ pending: 0 });
    const other = deps(region.api, {}, token({ accessToken: 'cli', region: 'us-west-2' }));
    await ssoRoleCredentials(BASE, other.d);
    expect(region.calls).toContain('StartDeviceAuthorization');
    expect(other.notes[0]).toBe('The IAM Identity Center sign-in for https://corp.awsapps.com/start is for region us-west-2, not sso_region eu-west-1; signing in again.');
    const revoked = fakeApi({ pending: 0 });
    const { d, notes } = deps(revoked.api, { corp: token() });
    await ssoRoleCredentials(BASE, d);
    expect(revoked.calls).toEqual(['GetRoleCredentials sealed', 'RegisterClient', 'StartDeviceAuthorization', expect.stringMatching(/^CreateToken/), 'GetRoleCredentials access-1']);
    expect(notes[0]).toContain('is no longer valid; signing in again');
  });

  it("a revoked sealed token gives way to the AWS CLI's newer sign-in (`aws sso login`) before a sign-in of vault's own", async () => {
    const { api, calls } = fakeApi({ validTokens: ['cli-new'] });
    const { d, notes } = deps(api, { corp: token() }, token({ accessToken: 'cli-new' }));
    expect(await ssoRoleCredentials(BASE, d)).toMatchObject({ accessKeyId: 'ASIAROLE' });
    expect(calls).toEqual(['GetRoleCredentials sealed', 'GetRoleCredentials cli-new']);
    expect(notes).toEqual([]);
    // The same token as the refused one, or an expired one, is not tried again: a sign-in follows.
    const same = fakeApi({ pending: 0 });
    const again = deps(same.api, { corp: token() }, token());
    await ssoRoleCredentials(BASE, again.d);
    expect(same.calls).toEqual(['GetRoleCredentials sealed', 'RegisterClient', 'StartDeviceAuthorization', expect.stringMatching(/^CreateToken/), 'GetRoleCredentials access-1']);
  });

  it('signs in under the lock of its key, taking the token another process sealed meanwhile instead of a sign-in of its own', async () => {
    const { api, calls } = fakeApi({ validTokens: ['by-another'] });
    const { d, notes } = deps(api);
    const locked: string[] = [];
    d.tokens.signingIn = async (key, obtain) => {
      locked.push(key);
      return obtain(token({ accessToken: 'by-another' }));
    };
    await ssoRoleCredentials(BASE, d);
    expect(locked).toEqual(['corp']);
    expect(calls).toEqual(['GetRoleCredentials by-another']);
    expect(notes).toEqual([]);
    // Nothing usable stored meanwhile (an expired token): the sign-in happens, under the lock.
    const second = fakeApi({ pending: 0 });
    const next = deps(second.api);
    next.d.tokens.signingIn = async (_key, obtain) => obtain(token({ accessToken: 'old', expiresAt: new Date(NOW - 1000).toISOString() }));
    await ssoRoleCredentials(BASE, next.d);
    expect(second.calls).toContain('StartDeviceAuthorization');
  });

  it('says so when the sign-in has no such role, and when the code is not confirmed in time', async () => {
    const { api } = fakeApi({ validTokens: ['sealed'] });
    api.getRoleCredentials = async () => {
      throw new SsoServiceError('ForbiddenException', 403, 'GetRoleCredentials', 'No access');
    };
    await expect(ssoRoleCredentials(BASE, deps(api, { corp: token() }).d)).rejects.toMatchObject({
      code: 'SSO_FAILED',
      message: expect.stringContaining('no role Dev in account 123456789012 (profile dev)'),
    });
    const slow = fakeApi({ pending: 10_000 });
    await expect(ssoRoleCredentials(BASE, deps(slow.api).d)).rejects.toMatchObject({ code: 'SSO_FAILED', message: expect.stringContaining('the code expired') });
  });
});
