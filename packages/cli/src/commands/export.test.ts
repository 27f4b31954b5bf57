import { renderExport } from './export.js';

const creds = {
  accessKeyId: 'ASIAEXAMPLEEXAMPLE12',
  secretAccessKey: "se/cr+et'x",
  sessionToken: 'tok==',
  expiration: new Date('2026-11-23T10:00:00.500Z'),
};

test('env: KEY=VALUE lines, as docker --env-file reads them (no quoting)', () => {
  expect(renderExport('env', 'admin', creds, 'eu-west-1')).toBe(
    [
      'AWS_ACCESS_KEY_ID=ASIAEXAMPLEEXAMPLE12',
      "AWS_SECRET_ACCESS_KEY=se/cr+et'x",
      'AWS_SESSION_TOKEN=tok==',
      'AWS_CREDENTIAL_EXPIRATION=2026-11-23T10:00:00Z',
      'AWS_REGION=eu-west-1',
      'AWS_DEFAULT_REGION=eu-west-1',
      '',
    ].join('\n'),
  );
});

test('export-env quotes what the shell would mangle', () => {
  const out = renderExport('export-env', 'admin', creds, undefined);
  expect(out).toContain(`export AWS_SECRET_ACCESS_KEY='se/cr+et'\\''x'\n`);
  expect(out).toContain('export AWS_SESSION_TOKEN=tok==\n');
});

test('ini is a credentials-file section, as aws-vault writes it (with the expiry, which the AWS CLI and SDKs read)', () => {
  expect(renderExport('ini', 'admin', creds, 'eu-west-1')).toBe(
    "[admin]\naws_access_key_id=ASIAEXAMPLEEXAMPLE12\naws_secret_access_key=se/cr+et'x\naws_session_token=tok==\n" +
      'aws_credential_expiration=2026-11-23T10:00:00Z\nregion=eu-west-1\n',
  );
  // aws-vault's own example (cli/export_test.go): `[llamas]`, `aws_access_key_id=ABC`, `aws_secret_access_key=XYZ`.
  expect(renderExport('ini', 'llamas', { accessKeyId: 'ABC', secretAccessKey: 'XYZ' }, undefined)).toBe(
    '[llamas]\naws_access_key_id=ABC\naws_secret_access_key=XYZ\n',
  );
});

test('json is the credential_process format', () => {
  expect(JSON.parse(renderExport('json', 'admin', creds, undefined))).toEqual({
    Version: 1,
    AccessKeyId: 'ASIAEXAMPLEEXAMPLE12',
    SecretAccessKey: "se/cr+et'x",
    SessionToken: 'tok==',
    Expiration: '2026-11-23T10:00:00Z',
  });
  const longLived = JSON.parse(renderExport('json', 'a', { accessKeyId: 'AKIAX', secretAccessKey: 's' }, undefined));
  expect(longLived).toEqual({ Version: 1, AccessKeyId: 'AKIAX', SecretAccessKey: 's' });
});

test('env formats carry AWS_ACCOUNT_ID for an IAM Identity Center profile, as aws-vault does', () => {
  const creds = { accessKeyId: 'ASIAX', secretAccessKey: 's', sessionToken: 't' };
  expect(renderExport('env', 'sso', creds, undefined, '123456789012')).toContain('AWS_ACCOUNT_ID=123456789012\n');
  expect(renderExport('export-env', 'sso', creds, undefined, '123456789012')).toContain('export AWS_ACCOUNT_ID=123456789012\n');
  expect(renderExport('env', 'keys', creds, undefined)).not.toContain('AWS_ACCOUNT_ID');
});
