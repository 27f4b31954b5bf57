import { checkValue } from './validate.js';

const ROLE_ARN_EXPECTED = 'expected an IAM role ARN like arn:aws:iam::123456789012:role/NAME';
const ROLE_NAME_EXPECTED = 'the role name after "role/" must be 1 to 64 letters, digits or +=,.@_- (after an optional path)';
const DURATION_EXPECTED = 'expected a whole number of seconds from 900 (15 minutes) to 43200 (12 hours)';
const REGION_EXPECTED = 'expected a region name like us-east-1';

describe('checkValue', () => {
  test.each([
    ['role_arn', 'arn:aws:iam::123456789012:role/iam_role'],
    ['role_arn', 'arn:aws:iam::987654321098:role/backup-role'],
    ['role_arn', 'arn:aws-cn:iam::123456789012:role/r'],
    ['role_arn', 'arn:aws-us-gov:iam::123456789012:role/service-role/My.Role+=,@_-'],
    ['role_arn', 'arn:aws-iso-b:iam::123456789012:role/a/b/c/r'],
    ['role_arn', `arn:aws:iam::123456789012:role/${'r'.repeat(64)}`],
    ['duration_seconds', '900'],
    ['duration_seconds', '3600'],
    ['duration_seconds', '43200'],
    ['region', 'us-east-1'],
    ['region', 'cn-north-1'],
    ['region', 'us-gov-west-1'],
    ['region', 'ap-southeast-2'],
    ['region', 'us-isob-east-1'],
    ['region', 'eusc-de-east-1'],
    ['mfa_serial', 'arn:aws:iam::123456789012:mfa/me'],
    ['mfa_serial', 'GAHT12345678'],
    ['role_session_name', 'alice'],
    ['role_session_name', 'a.b@c=d,e+f_g-h'],
    ['external_id', 'ab'],
    ['external_id', 'urn:x/y:z'],
    ['source_identity', 'alice@corp'],
    ['source_profile', 'x'],
    ['include_profile', 'x'],
    ['credential_process', 'x'],
    ['unchecked_key', ''],
    ['aws_secret_access_key', 'anything'],
  ])('%s = %j is fine', (key, value) => {
    expect(checkValue(key, value)).toBeUndefined();
  });

  test.each([
    ['role_arn', '', ROLE_ARN_EXPECTED],
    ['role_arn', 'iam_role', ROLE_ARN_EXPECTED],
    ['role_arn', 'arn:aws:iam::123456789012:user/bob', ROLE_ARN_EXPECTED],
    ['role_arn', 'arn:aws:sts::123456789012:assumed-role/r/s', ROLE_ARN_EXPECTED],
    ['role_arn', 'arn:aws:iam:us-east-1:123456789012:role/r', ROLE_ARN_EXPECTED],
    ['role_arn', 'arn:azure:iam::123456789012:role/r', '"azure" is not an AWS partition (aws, aws-cn, aws-us-gov, ...)'],
    ['role_arn', 'arn:aws:iam::1234567890:role/iam_role', 'the account id has 10 digits; AWS account ids have 12'],
    ['role_arn', 'arn:aws:iam::987654321:role/backup-role', 'the account id has 9 digits; AWS account ids have 12'],
    ['role_arn', 'arn:aws:iam::<admin_account-id>:role/x', 'the account id must be 12 digits'],
    ['role_arn', 'arn:aws:iam::123456789012:role/', ROLE_NAME_EXPECTED],
    ['role_arn', 'arn:aws:iam::123456789012:role/has space', ROLE_NAME_EXPECTED],
    ['role_arn', 'arn:aws:iam::123456789012:role//r', ROLE_NAME_EXPECTED],
    ['role_arn', `arn:aws:iam::123456789012:role/${'r'.repeat(65)}`, ROLE_NAME_EXPECTED],
    [
      'role_arn',
      'arn:aws:iam::123456789012:role/r # admin',
      `${ROLE_NAME_EXPECTED} (comments must be on their own line)`,
    ],
    ['duration_seconds', '899', DURATION_EXPECTED],
    ['duration_seconds', '43201', DURATION_EXPECTED],
    ['duration_seconds', '1h', DURATION_EXPECTED],
    ['duration_seconds', '3600.5', DURATION_EXPECTED],
    ['duration_seconds', '-3600', DURATION_EXPECTED],
    ['duration_seconds', '', DURATION_EXPECTED],
    ['duration_seconds', '0000003600', DURATION_EXPECTED],
    ['region', '', REGION_EXPECTED],
    ['region', 'Europe', REGION_EXPECTED],
    ['region', 'us-east', REGION_EXPECTED],
    ['region', 'US-EAST-1', REGION_EXPECTED],
    ['region', 'us-east-1a', REGION_EXPECTED],
    ['region', 'us-east-1 ; main', `${REGION_EXPECTED} (comments must be on their own line)`],
    ['mfa_serial', '', 'it is empty'],
    ['source_profile', '', 'it is empty'],
    ['include_profile', '', 'it is empty'],
    ['credential_process', '', 'it is empty'],
    ['role_session_name', 'a', 'expected 2 to 64 letters, digits or +=,.@_-'],
    ['role_session_name', 'has space', 'expected 2 to 64 letters, digits or +=,.@_-'],
    ['external_id', 'x', 'expected 2 to 1224 letters, digits or +=,.@:/_-'],
    ['source_identity', 'a b', 'expected 2 to 64 letters, digits or +=,.@_-'],
  ])('%s = %j: %s', (key, value, reason) => {
    expect(checkValue(key, value)).toBe(reason);
  });
});
