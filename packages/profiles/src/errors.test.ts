import {
  ConfigParseError,
  ConfigReadError,
  InvalidProfileValueError,
  MissingSourceError,
  NoCredentialsError,
  ProfileCycleError,
  ProfileError,
  UnknownProfileError,
  UnsupportedProfileError,
} from './errors.js';

describe('error classes', () => {
  test.each<[ProfileError, string, string, string]>([
    [new ConfigParseError('/c', 7, 'bad'), 'ConfigParseError', 'CONFIG_PARSE', 'cannot parse /c, line 7: bad'],
    [new ConfigReadError('/c', 'permission denied'), 'ConfigReadError', 'CONFIG_READ', 'cannot read /c: permission denied'],
    [
      new UnknownProfileError('prd', ['prod', 'prod-eu']),
      'UnknownProfileError',
      'UNKNOWN_PROFILE',
      'unknown profile prd: no [profile prd] section and no stored keys; did you mean prod, prod-eu?',
    ],
    [
      new UnknownProfileError('x', [], { path: '/c', unprefixedLine: 2 }),
      'UnknownProfileError',
      'UNKNOWN_PROFILE',
      'unknown profile x: no [profile x] section in /c and no stored keys; line 2 has [x], which the config file ' +
        'ignores: write [profile x]',
    ],
    [
      new MissingSourceError(['admin', 'read-only']),
      'MissingSourceError',
      'MISSING_SOURCE',
      'admin -> read-only: read-only has no config section and no stored keys',
    ],
    [
      new NoCredentialsError('keys'),
      'NoCredentialsError',
      'NO_CREDENTIALS',
      'no credentials for profile keys: no keys are stored for it and it has no source_profile or credential_process',
    ],
    [new ProfileCycleError(['a', 'b', 'a']), 'ProfileCycleError', 'PROFILE_CYCLE', 'profile cycle: a -> b -> a (through source_profile)'],
    [
      new InvalidProfileValueError('p', 'region', 'x'.repeat(200), 'expected a region name like us-east-1', '/c'),
      'InvalidProfileValueError',
      'INVALID_PROFILE_VALUE',
      `invalid region "${'x'.repeat(120)}..." in profile p (/c): expected a region name like us-east-1`,
    ],
    [
      new InvalidProfileValueError('p', 'role_arn', 'a\nb', 'bad', '/c', 4),
      'InvalidProfileValueError',
      'INVALID_PROFILE_VALUE',
      'invalid role_arn "a\\nb" in profile p (/c, section at line 4): bad',
    ],
    [new UnsupportedProfileError('p', 'why'), 'UnsupportedProfileError', 'UNSUPPORTED_PROFILE', 'profile p: why'],
  ])('%#: %s', (error, name, code, message) => {
    expect(error).toBeInstanceOf(ProfileError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    expect(error.message).not.toContain('\n');
  });

  test.each([['aws_secret_access_key'], ['aws_session_token'], ['AWS_SECURITY_TOKEN'], ['db_password']])(
    'the value of %s is never shown or kept',
    (key) => {
      const error = new InvalidProfileValueError('p', key, 'SuperSecretValue123', 'bad', '/c');
      expect(error.message).toBe(`invalid ${key} (value hidden) in profile p (/c): bad`);
      expect(JSON.stringify({ ...error })).not.toContain('SuperSecretValue123');
    },
  );

  test('a URL value with a user name or query is not shown; a plain one is', () => {
    for (const value of ['https://u:SuperSecretValue123@proxy.example/', 'https://proxy.example/?sig=SuperSecretValue123']) {
      expect(new InvalidProfileValueError('p', 'endpoint_url', value, 'bad', '/c').message).toBe('invalid endpoint_url (value hidden) in profile p (/c): bad');
    }
    expect(new InvalidProfileValueError('p', 'endpoint_url', 'ftp://proxy.example', 'bad', '/c').message).toContain('"ftp://proxy.example"');
  });
});
