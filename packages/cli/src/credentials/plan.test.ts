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
