import { roleKey, sessionTokenKey, ssoRoleKey } from './cache-key.js';

const ADMIN = 'arn:aws:iam::123456789012:role/admin';

describe('cache keys', () => {
  it('name the profile, MFA serial and duration of a GetSessionToken session', () => {
    expect(sessionTokenKey('read-only', undefined, 3600)).toBe('gst|read-only|-|3600');
    expect(sessionTokenKey('read-only', 'arn:aws:iam::1:mfa/a', 28800)).toBe('gst|read-only|arn:aws:iam::1:mfa/a|28800');
  });

  it('name every hop of a role session with the options that change it', () => {
    expect(roleKey('ar', 'read-only', undefined, [{ role: ADMIN, durationSeconds: 3600 }])).toBe(
      `ar|read-only|-|${ADMIN}#3600`,
    );
    expect(
      roleKey('arp', 'sso', 'm', [
        { role: ADMIN, durationSeconds: 3600, sessionName: 'alice' },
        { role: 'worker', durationSeconds: 900, externalId: 'e', sourceIdentity: 's' },
      ]),
    ).toBe(`arp|sso|m|${ADMIN}#3600#sn=alice|worker#900#ext=e#si=s`);
  });

  it('escape separators so distinct chains never share a key', () => {
    const a = roleKey('ar', 'p|q', undefined, [{ role: ADMIN, durationSeconds: 3600 }]);
    const b = roleKey('ar', 'p', 'q', [{ role: ADMIN, durationSeconds: 3600 }]);
    expect(a).toBe(`ar|p%7Cq|-|${ADMIN}#3600`);
    expect(a).not.toBe(b);
    const c = roleKey('ar', 'p', undefined, [{ role: 'r#1', durationSeconds: 900 }]);
    const d = roleKey('ar', 'p', undefined, [{ role: 'r', durationSeconds: 1, sessionName: '900' }]);
    expect(c).toBe('ar|p|-|r%231#900');
    expect(c).not.toBe(d);
    expect(sessionTokenKey('100%', undefined, 900)).toBe('gst|100%25|-|900');
  });
});

describe('ssoRoleKey', () => {
  it('keys an IAM Identity Center role by start URL, account and role, and apart for an overridden endpoint', () => {
    const plain = ssoRoleKey('https://example.awsapps.com/start', '123456789012', 'Admin');
    expect(plain).toBe('sso|https://example.awsapps.com/start|123456789012|Admin');
    const local = ssoRoleKey('https://example.awsapps.com/start', '123456789012', 'Admin', 'http://127.0.0.1:9000');
    expect(local).not.toBe(plain);
    expect(local.startsWith('sso@http://127.0.0.1:9000|')).toBe(true);
  });
});
