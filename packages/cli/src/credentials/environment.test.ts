import type { Chain } from '@vault/profiles';
import { applyEnvironment, durationVariable, readCredentialEnvironment } from './environment.js';
import { InvalidEnvironmentError } from './errors.js';

const ADMIN = 'arn:aws:iam::123456789012:role/admin';
const OTHER = 'arn:aws:iam::210987654321:role/other';
const MFA = 'arn:aws:iam::123456789012:mfa/alice';

const KEYS_ONLY: Chain = { profile: 'dev', base: { kind: 'vault-keys', profile: 'dev' }, hops: [], path: ['dev'] };
const ROLE: Chain = {
  profile: 'admin',
  base: { kind: 'vault-keys', profile: 'base', mfaSerial: 'arn:aws:iam::123456789012:mfa/old' },
  hops: [{ profile: 'admin', roleArn: ADMIN, roleSessionName: 'from-config', sessionTags: { team: 'config' } }],
  path: ['base', 'admin'],
};

describe('readCredentialEnvironment', () => {
  it('reads nothing from an environment without aws-vault variables (empty ones count as unset)', () => {
    expect(readCredentialEnvironment({ PATH: '/bin', AWS_ROLE_ARN: '', AWS_SESSION_TOKEN_TTL: '' })).toEqual({ target: {} });
  });

  it('reads the TTLs in aws-vault (Go) duration syntax', () => {
    expect(
      readCredentialEnvironment({
        AWS_SESSION_TOKEN_TTL: '12h',
        AWS_CHAINED_SESSION_TOKEN_TTL: '1h30m',
        AWS_ASSUME_ROLE_TTL: '900s',
        AWS_MIN_TTL: '10m',
      }),
    ).toMatchObject({
      sessionSeconds: 43200,
      chainedSessionSeconds: 5400,
      assumeRoleSeconds: 900,
      minTtlSeconds: 600,
    });
    expect(readCredentialEnvironment({ AWS_SESSION_TOKEN_TTL: '1.5h', AWS_ASSUME_ROLE_TTL: '0' })).toEqual({ sessionSeconds: 5400, target: {} });
  });

  it('refuses a number without a unit, which aws-vault (Go) ignores, naming the fix; 0 is unset', () => {
    expect(() => readCredentialEnvironment({ AWS_MIN_TTL: '72000' })).toThrow(
      'AWS_MIN_TTL="72000" is not valid: a duration needs a unit (72000s, or 1h, 15m, 1h30m), as aws-vault reads it (Go\'s syntax, which has no bare numbers)',
    );
    expect(() => durationVariable({ AWS_VAULT_DURATION: '3600' }, 'AWS_VAULT_DURATION')).toThrow(/needs a unit \(3600s/);
    expect(readCredentialEnvironment({ AWS_SESSION_TOKEN_TTL: '0', AWS_MIN_TTL: '+0' })).toEqual({ target: {} });
  });

  it("leaves AWS_VAULT_DURATION and AWS_FEDERATION_TOKEN_TTL, which only `vault login` reads (as in aws-vault), to it: a bad one does not stop exec", () => {
    expect(readCredentialEnvironment({ AWS_FEDERATION_TOKEN_TTL: 'abc', AWS_VAULT_DURATION: '12h' })).toEqual({ target: {} });
    expect(durationVariable({ AWS_VAULT_DURATION: '1.5h' }, 'AWS_VAULT_DURATION')).toBe(5400);
    expect(durationVariable({ AWS_FEDERATION_TOKEN_TTL: '36h' }, 'AWS_FEDERATION_TOKEN_TTL')).toBe(129600);
    expect(() => durationVariable({ AWS_FEDERATION_TOKEN_TTL: 'abc' }, 'AWS_FEDERATION_TOKEN_TTL')).toThrow(InvalidEnvironmentError);
  });

  it('reads the role variables for the target profile', () => {
    expect(
      readCredentialEnvironment({
        AWS_ROLE_ARN: ADMIN,
        AWS_ROLE_SESSION_NAME: 'alice',
        AWS_SESSION_TAGS: 'team=platform,cost=42',
        AWS_TRANSITIVE_TAGS: 'team',
        AWS_SOURCE_IDENTITY: 'alice',
        AWS_MFA_SERIAL: MFA,
        AWS_STS_REGIONAL_ENDPOINTS: 'legacy',
      }),
    ).toEqual({
      mfaSerial: MFA,
      stsRegionalEndpoints: 'legacy',
      target: {
        roleArn: ADMIN,
        roleSessionName: 'alice',
        sessionTags: { team: 'platform', cost: '42' },
        transitiveTagKeys: ['team'],
        sourceIdentity: 'alice',
      },
    });
  });

  it.each([
    ['AWS_SESSION_TOKEN_TTL', 'forever', /duration/],
    ['AWS_ASSUME_ROLE_TTL', '1d', /duration/],
    ['AWS_MIN_TTL', '-5m', /duration/],
    ['AWS_CHAINED_SESSION_TOKEN_TTL', '1.5d', /duration/],
    ['AWS_SESSION_TAGS', 'team', /key=value/],
    ['AWS_TRANSITIVE_TAGS', ',', /tag keys/],
    ['AWS_ROLE_ARN', 'arn:aws:iam::1234:role/x', /12/],
    ['AWS_ROLE_SESSION_NAME', 'a b', /letters/],
    ['AWS_SOURCE_IDENTITY', 'x', /2 to 64/],
    ['AWS_STS_REGIONAL_ENDPOINTS', 'global', /regional or legacy/],
  ])('%s=%j is a one-line error naming the variable', (name, value, reason) => {
    let error: unknown;
    try {
      readCredentialEnvironment({ [name]: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    const message = (error as Error).message;
    expect(message.startsWith(`${name}=`)).toBe(true);
    expect(message).toMatch(reason);
    expect(message).not.toContain('\n');
  });
});

describe('applyEnvironment', () => {
  it('changes nothing without variables', () => {
    expect(applyEnvironment(ROLE, { target: {} })).toEqual(ROLE);
  });

  it('overrides the target hop, as aws-vault lets the variables beat the profile', () => {
    const chain = applyEnvironment(ROLE, {
      target: { roleArn: OTHER, roleSessionName: 'from-env', sessionTags: { team: 'env' }, transitiveTagKeys: ['team'], sourceIdentity: 'alice' },
    });
    expect(chain.hops).toEqual([
      { profile: 'admin', roleArn: OTHER, roleSessionName: 'from-env', sessionTags: { team: 'env' }, transitiveTagKeys: ['team'], sourceIdentity: 'alice' },
    ]);
  });

  it('makes a profile without a role assume AWS_ROLE_ARN with its credentials', () => {
    const chain = applyEnvironment(KEYS_ONLY, { target: { roleArn: ADMIN, sessionTags: { a: 'b' } } });
    expect(chain.hops).toEqual([{ profile: 'dev', roleArn: ADMIN, sessionTags: { a: 'b' } }]);
  });

  it("gives that role the profile's own MFA device, as aws-vault does", () => {
    const keys: Chain = { ...KEYS_ONLY, base: { kind: 'vault-keys', profile: 'dev', mfaSerial: MFA } };
    expect(applyEnvironment(keys, { target: { roleArn: ADMIN } }).hops).toEqual([{ profile: 'dev', roleArn: ADMIN, mfaSerial: MFA }]);
    // A profile borrowing the keys becomes a role profile: no longer one of the borrowers.
    const borrower: Chain = {
      profile: 'mid',
      base: { kind: 'vault-keys', profile: 'dev', mfaSerial: MFA, passThrough: [{ profile: 'mid', mfaSerial: MFA }] },
      hops: [],
      path: ['dev', 'mid'],
    };
    const applied = applyEnvironment(borrower, { target: { roleArn: ADMIN } });
    expect(applied.base).toEqual({ kind: 'vault-keys', profile: 'dev', mfaSerial: MFA });
    expect(applied.hops).toEqual([{ profile: 'mid', roleArn: ADMIN, mfaSerial: MFA }]);
  });

  it('ignores tags for a profile that assumes no role, as there is no AssumeRole to carry them', () => {
    expect(applyEnvironment(KEYS_ONLY, { target: { sessionTags: { a: 'b' } } }).hops).toEqual([]);
  });

  it('leaves the hops of source profiles alone: the role variables are for the target only', () => {
    const chain: Chain = { ...ROLE, profile: 'leaf', path: ['base', 'admin', 'leaf'] };
    expect(applyEnvironment(chain, { target: { sourceIdentity: 'alice' } }).hops).toEqual(ROLE.hops);
  });

  it("AWS_MFA_SERIAL replaces every profile's MFA device, as in aws-vault (so a chain on keys starts from one session)", () => {
    const applied = applyEnvironment(ROLE, { mfaSerial: MFA, target: {} });
    expect(applied.base).toEqual({ kind: 'vault-keys', profile: 'base', mfaSerial: MFA });
    expect(applied.hops.map((h) => h.mfaSerial)).toEqual([MFA]);
    const processChain: Chain = { ...ROLE, base: { kind: 'credential_process', profile: 'base', command: 'x' } };
    expect(applyEnvironment(processChain, { mfaSerial: MFA, target: {} }).hops[0]?.mfaSerial).toBe(MFA);
  });
});

describe('AWS_WEB_IDENTITY_TOKEN_FILE', () => {
  const chain = {
    profile: 'ci',
    base: { kind: 'vault-keys' as const, profile: 'ci' },
    hops: [],
    path: ['ci'],
  };
  const ROLE = 'arn:aws:iam::123456789012:role/ci';

  it('with AWS_ROLE_ARN, the target role is assumed with the token (as aws-vault reads the two together)', () => {
    const env = readCredentialEnvironment({ AWS_WEB_IDENTITY_TOKEN_FILE: '/var/token', AWS_ROLE_ARN: ROLE, AWS_ROLE_SESSION_NAME: 'ci-run' });
    expect(applyEnvironment(chain, env)).toMatchObject({
      base: { kind: 'web-identity', profile: 'ci', roleArn: ROLE, tokenFile: '/var/token', roleSessionName: 'ci-run' },
      hops: [],
    });
  });

  it("the profile's own role keeps its duration_seconds for the token's AssumeRoleWithWebIdentity", () => {
    const withRole = { ...chain, base: { kind: 'vault-keys' as const, profile: 'base' }, hops: [{ profile: 'ci', roleArn: ROLE, durationSeconds: 7200 }], path: ['base', 'ci'] };
    expect(applyEnvironment(withRole, readCredentialEnvironment({ AWS_WEB_IDENTITY_TOKEN_FILE: '/var/token' })).base).toEqual({
      kind: 'web-identity',
      profile: 'ci',
      roleArn: ROLE,
      tokenFile: '/var/token',
      durationSeconds: 7200,
    });
  });

  it('without any role it is an error naming the variable', () => {
    expect(() => applyEnvironment(chain, readCredentialEnvironment({ AWS_WEB_IDENTITY_TOKEN_FILE: '/var/token' }))).toThrow(/AWS_WEB_IDENTITY_TOKEN_FILE.*AWS_ROLE_ARN/);
  });
});
