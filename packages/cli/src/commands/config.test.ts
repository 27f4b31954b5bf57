import { roleSettings } from './config.js';

const ARN = 'arn:aws:iam::123456789012:role/admin';

test('writes role_arn and source_profile, then mfa_serial and region when given', () => {
  expect(roleSettings({ name: 'admin', source: 'read-only', roleArn: ARN })).toEqual([
    ['role_arn', ARN],
    ['source_profile', 'read-only'],
  ]);
  expect(
    roleSettings({ name: 'admin', source: 'admin', roleArn: ` ${ARN} `, mfaSerial: 'arn:aws:iam::123456789012:mfa/me', region: 'eu-west-2' }),
  ).toEqual([
    ['role_arn', ARN],
    ['source_profile', 'admin'],
    ['mfa_serial', 'arn:aws:iam::123456789012:mfa/me'],
    ['region', 'eu-west-2'],
  ]);
});

test.each([
  [{ roleArn: 'arn:aws:iam::1234567890:role/iam_role' }, /--role-arn "arn:aws:iam::1234567890:role\/iam_role" is not valid: the account id has 10 digits/],
  [{ roleArn: 'arn:aws:iam::123456789012:user/admin' }, /--role-arn .* expected an IAM role ARN/],
  [{ roleArn: `${ARN} # prod` }, /--role-arn .* it contains whitespace/],
  [{ region: 'Europe' }, /--region "Europe" is not valid: expected a region name like us-east-1/],
  [{ mfaSerial: 'short' }, /--mfa-serial "short" is not valid: expected an MFA device ARN/],
  [{ mfaSerial: '' }, /--mfa-serial "" is not valid: it is empty/],
])('refuses %j', (override, message) => {
  const run = () => roleSettings({ name: 'admin', source: 'read-only', roleArn: ARN, ...override });
  expect(run).toThrow(message);
  expect(run).toThrow(expect.objectContaining({ code: 'INVALID_OPTION_VALUE', exitCode: 2 }));
});

test('a source profile name that would break the file is a usage error', () => {
  expect(() => roleSettings({ name: 'admin', source: 'a]b', roleArn: ARN })).toThrow(expect.objectContaining({ code: 'USAGE' }));
});
