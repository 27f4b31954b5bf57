import type { Chain } from '@vault/profiles';
import { InvalidAssumeError } from './errors.js';
import { planChain } from './plan.js';

// planChain is otherwise exercised through resolveCredentials (chain.test.ts); these cases are about what it refuses
// before anything is asked of the user or of AWS.

const READ_ONLY: Chain = { profile: 'read-only', base: { kind: 'vault-keys', profile: 'read-only' }, hops: [], path: ['read-only'] };

function plan(assume: string[]) {
  return planChain(READ_ONLY, { noSession: false, durationSeconds: undefined, assume });
}

function refusal(assume: string[]): InvalidAssumeError {
  try {
    plan(assume);
  } catch (err) {
    if (err instanceof InvalidAssumeError) return err;
    throw err;
  }
  throw new Error(`expected --assume ${JSON.stringify(assume)} to be refused`);
}

describe('--assume values', () => {
  it('takes role names (with an IAM path) and role ARNs in any partition', () => {
    const roles = plan(['ec2-worker', 'service-role/deployer', 'arn:aws-cn:iam::555555555555:role/ops/backup']).hops.map((h) => h.role);
    expect(roles).toEqual([
      { kind: 'name', name: 'ec2-worker', accountOf: undefined },
      { kind: 'name', name: 'service-role/deployer', accountOf: undefined },
      { kind: 'arn', arn: 'arn:aws-cn:iam::555555555555:role/ops/backup' },
    ]);
  });

  it.each([
    ['', /give a role name/],
    ['bad name!', /give a role name \(1 to 64 letters/],
    ['a'.repeat(65), /give a role name/],
    ['arn:aws:iam::12:role/x', /the account id has 2 digits; AWS account ids have 12/],
    ['arn:aws:iam::123456789012:user/bob', /expected an IAM role ARN/],
    ['arn:aws:sts::123456789012:assumed-role/admin/s', /expected an IAM role ARN/],
  ])('refuses %j, naming the value, as a usage error', (value, reason) => {
    const err = refusal(['ec2-worker', value]);
    expect(err.code).toBe('INVALID_ASSUME');
    expect(err.message.startsWith(`--assume ${JSON.stringify(value)} is not valid: `)).toBe(true);
    expect(err.message).toMatch(reason);
  });
});

describe("aws-vault's TTL variables, tags and endpoints in the plan", () => {
  const ADMIN_ARN = 'arn:aws:iam::123456789012:role/admin';
  const ADMIN: Chain = {
    profile: 'admin',
    base: { kind: 'vault-keys', profile: 'read-only' },
    hops: [{ profile: 'admin', roleArn: ADMIN_ARN, durationSeconds: 7200 }],
    path: ['read-only', 'admin'],
  };
  // The keys and the role name one device, so the chain starts from a GetSessionToken session (aws-vault's rule).
  const MFA = 'arn:aws:iam::123456789012:mfa/alice';
  const SHARED: Chain = { ...ADMIN, base: { ...ADMIN.base, mfaSerial: MFA } as Chain['base'], hops: [{ ...ADMIN.hops[0]!, mfaSerial: MFA }] };
  const base = { noSession: false, assume: [] };

  it('AWS_SESSION_TOKEN_TTL sets a no-role session; --duration beats it', () => {
    expect(planChain(READ_ONLY, { ...base, sessionSeconds: 43200 }).session?.durationSeconds).toBe(43200);
    expect(planChain(READ_ONLY, { ...base, sessionSeconds: 43200, durationSeconds: 900 }).session?.durationSeconds).toBe(900);
  });

  it('AWS_CHAINED_SESSION_TOKEN_TTL sets the base session of a role chain, AWS_ASSUME_ROLE_TTL every hop', () => {
    const plan = planChain(SHARED, { ...base, chainedSessionSeconds: 4 * 3600, assumeRoleSeconds: 1800 });
    expect(plan.session?.durationSeconds).toBe(4 * 3600);
    expect(plan.hops[0]?.durationSeconds).toBe(1800);
    expect(planChain(ADMIN, { ...base, assumeRoleSeconds: 1800, durationSeconds: 900 }).hops[0]?.durationSeconds).toBe(900);
  });

  it('names the variable a duration out of range came from', () => {
    expect(() => planChain(READ_ONLY, { ...base, sessionSeconds: 60 })).toThrow(/^AWS_SESSION_TOKEN_TTL 1m .* GetSessionToken/);
    const oneHour: Chain = { ...SHARED, hops: [{ profile: 'admin', roleArn: ADMIN_ARN, mfaSerial: MFA }] };
    expect(() => planChain(oneHour, { ...base, chainedSessionSeconds: 48 * 3600 })).toThrow(/^AWS_CHAINED_SESSION_TOKEN_TTL 48h/);
    expect(() => planChain(ADMIN, { ...base, assumeRoleSeconds: 60 })).toThrow(/^AWS_ASSUME_ROLE_TTL 1m .* AssumeRole/);
    expect(() => planChain(READ_ONLY, { ...base, durationSeconds: 60, durationSource: 'AWS_VAULT_DURATION' })).toThrow(/^AWS_VAULT_DURATION 1m/);
  });

  it('carries session tags to the hop, and keys sessions with different tags, source identity or endpoint apart', () => {
    const tagged = (tags: Record<string, string>, extra = {}): Chain => ({ ...ADMIN, hops: [{ ...ADMIN.hops[0]!, sessionTags: tags, ...extra }] });
    const a = planChain(tagged({ team: 'a' }, { transitiveTagKeys: ['team'] }), base);
    expect(a.hops[0]).toMatchObject({ tags: { team: 'a' }, transitiveTagKeys: ['team'] });
    const keys = [
      planChain(ADMIN, base).hops[0]?.key,
      a.hops[0]?.key,
      planChain(tagged({ team: 'a' }), base).hops[0]?.key,
      planChain(tagged({ team: 'b' }), base).hops[0]?.key,
      planChain(tagged({ team: 'a' }, { sourceIdentity: 'alice' }), base).hops[0]?.key,
      planChain(ADMIN, { ...base, endpoint: 'http://127.0.0.1:5000' }).hops[0]?.key,
      planChain(ADMIN, { ...base, endpoint: 'http://127.0.0.1:5001' }).hops[0]?.key,
    ];
    expect(new Set(keys).size).toBe(keys.length);
    // Tag order in the config changes nothing.
    expect(planChain(tagged({ a: '1', b: '2' }), base).hops[0]?.key).toBe(planChain(tagged({ b: '2', a: '1' }), base).hops[0]?.key);
  });

  it("never serves AWS's sessions for another endpoint, even to an any-length lookup", () => {
    const aws = planChain(READ_ONLY, base).session;
    const local = planChain(READ_ONLY, { ...base, endpoint: 'http://127.0.0.1:5000' }).session;
    expect(local?.key.startsWith(aws?.anyLengthKeyPrefix as string)).toBe(false);
    expect(aws?.key.startsWith(local?.anyLengthKeyPrefix as string)).toBe(false);
  });
});
