import { GetCallerIdentityCommand, GetFederationTokenCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { ALLOW_ALL_POLICY, federatedUserName, federationToken } from './federation-token.js';

const KEYS = { accessKeyId: 'AKIAUSERKEY000000001', secretAccessKey: 'user-secret-abcdefghijklmnopqrstuvwxyz01' };
const sts = mockClient(STSClient);
const originalEmitWarning = process.emitWarning;
// The SDK's Node-version warning would otherwise reach the test output.
process.emitWarning = (() => undefined) as typeof process.emitWarning;

beforeEach(() => sts.reset());
afterAll(() => {
  sts.restore();
  process.emitWarning = originalEmitWarning;
});

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
  it('asks GetFederationToken as the IAM user, with the allow-all policy and the duration', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Arn: 'arn:aws:iam::123456789012:user/alice', Account: '123456789012', UserId: 'AIDA' });
    const expiration = new Date('2026-11-23T12:00:00Z');
    sts.on(GetFederationTokenCommand).resolves({
      Credentials: { AccessKeyId: 'ASIAFED', SecretAccessKey: 'fed-secret', SessionToken: 'fed-token', Expiration: expiration },
    });
    const logs: string[] = [];
    const creds = await federationToken(KEYS, 'eu-west-1', 7200, (m) => logs.push(m));
    expect(creds).toEqual({ accessKeyId: 'ASIAFED', secretAccessKey: 'fed-secret', sessionToken: 'fed-token', expiration });
    expect(sts.commandCalls(GetFederationTokenCommand)[0]!.args[0].input).toEqual({
      Name: 'alice',
      DurationSeconds: 7200,
      Policy: ALLOW_ALL_POLICY,
    });
    expect(JSON.parse(ALLOW_ALL_POLICY).Statement).toEqual([{ Effect: 'Allow', Action: '*', Resource: '*' }]);
    expect(logs.join('\n')).toContain('GetFederationToken as alice');
    expect(logs.join('\n')).not.toContain(KEYS.secretAccessKey);
  });

  it('turns a refusal into an STS error without the secret', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Arn: 'arn:aws:iam::123456789012:user/alice' });
    sts.on(GetFederationTokenCommand).rejects(
      new STSServiceException({
        name: 'AccessDenied',
        message: `User is not authorized to perform: sts:GetFederationToken (${KEYS.secretAccessKey})`,
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const err = (await federationToken(KEYS, undefined, 3600, () => {}).catch((e: unknown) => e)) as Error & { code: string };
    expect(err.code).toBe('STS_ERROR');
    expect(err.message).toMatch(/^STS GetFederationToken failed: AccessDenied: /);
    expect(err.message).not.toContain(KEYS.secretAccessKey);
  });
});
