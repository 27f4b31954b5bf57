import { fakeSts } from '../credentials/fake-sts.fixture.js';
import { ALLOW_ALL_POLICY, federatedUserName, federationToken } from './federation-token.js';

const KEYS = { accessKeyId: 'AKIAUSERKEY000000001', secretAccessKey: 'user-secret-abcdefghijklmnopqrstuvwxyz01' };

describe('federatedUserName', () => {
  it("is the IAM user's name, cut to what GetFederationToken accepts", () => {
    expect(federatedUserName('arn:aws:iam::123456789012:user/alice')).toBe('alice');
    expect(federatedUserName('arn:aws:iam::123456789012:user/team/ops/bob')).toBe('bob');
    expect(federatedUserName(`arn:aws:iam::123456789012:user/${'x'.repeat(40)}`)).toBe('x'.repeat(32));
    expect(federatedUserName('arn:aws-cn:iam::123456789012:user/名前')).toBe('--');
  });

  it('is "vault" for a caller that is not an IAM user, or a name too short', () => {
    expect(federatedUserName('arn:aws:iam::123456789012:root')).toBe('vault');
    expect(federatedUserName('arn:aws:iam::123456789012:user/a')).toBe('vault');
    expect(federatedUserName('')).toBe('vault');
  });
});

describe('federationToken', () => {
  it('asks GetFederationToken as the IAM user the keys belong to, with the allow-all policy and the duration', async () => {
    const sts = fakeSts(() => Date.parse('2026-11-23T10:00:00Z'), { identityArn: 'arn:aws:iam::123456789012:user/alice' });
    const logs: string[] = [];
    const creds = await federationToken(sts.factory(KEYS, 'eu-west-1'), 7200, (m) => logs.push(m));
    expect(creds.sessionToken).toBe('issued-token-1');
    expect(sts.calls.map((c) => [c.op, c.with, c.region])).toEqual([
      ['GetCallerIdentity', KEYS.secretAccessKey, 'eu-west-1'],
      ['GetFederationToken', KEYS.secretAccessKey, 'eu-west-1'],
    ]);
    expect(sts.calls[1]?.params).toEqual({ name: 'alice', durationSeconds: 7200, policy: ALLOW_ALL_POLICY });
    expect(JSON.parse(ALLOW_ALL_POLICY).Statement).toEqual([{ Effect: 'Allow', Action: '*', Resource: '*' }]);
    expect(logs.join('\n')).toContain('GetFederationToken as alice');
    expect(logs.join('\n')).not.toContain(KEYS.secretAccessKey);
  });

  it('names a caller that is not an IAM user "vault"', async () => {
    const sts = fakeSts(() => 0, { identityArn: 'arn:aws:iam::123456789012:root' });
    await federationToken(sts.factory(KEYS, undefined), 3600, () => {});
    expect(sts.calls[1]?.params).toMatchObject({ name: 'vault' });
  });
});
