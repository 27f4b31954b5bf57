import {
  ChainTooLongError,
  InvalidProfileValueError,
  MissingSourceError,
  NoCredentialsError,
  ProfileCycleError,
  ProfileError,
  UnknownProfileError,
  UnsupportedProfileError,
} from './errors.js';
import { parseConfigText } from './parse.js';
import { MAX_CHAIN_PROFILES, resolveProfile } from './resolve.js';
import type { Chain, ConfigFile } from './types.js';

const PATH = '/home/u/.aws/config';
const config = (lines: string[]): ConfigFile => parseConfigText(lines.join('\n'), PATH, 'config');
const stored = (...names: string[]) => ({ hasStoredKeys: (p: string) => names.includes(p) });

const ADMIN_ARN = 'arn:aws:iam::123456789012:role/iam_role';
const BACKUP_ARN = 'arn:aws:iam::987654321098:role/backup-role';

// The seeds: read-only holds the keys, admin is a role assumed with them, backup a role in another account.
const SEED = config([
  '[profile read-only]',
  '[profile admin]',
  'source_profile = read-only',
  `role_arn = ${ADMIN_ARN}`,
  '',
  '[profile backup]',
  'source_profile = admin',
  `role_arn = ${BACKUP_ARN}`,
]);

describe('resolveProfile: chains', () => {
  test.each<[string, ConfigFile, string, Chain]>([
    [
      'a profile with keys and no role',
      SEED,
      'read-only',
      { profile: 'read-only', base: { kind: 'vault-keys', profile: 'read-only' }, hops: [], path: ['read-only'] },
    ],
    [
      'read-only -> admin',
      SEED,
      'admin',
      {
        profile: 'admin',
        base: { kind: 'vault-keys', profile: 'read-only' },
        hops: [{ profile: 'admin', roleArn: ADMIN_ARN }],
        path: ['read-only', 'admin'],
      },
    ],
    [
      'a third hop into account 987654321098',
      SEED,
      'backup',
      {
        profile: 'backup',
        base: { kind: 'vault-keys', profile: 'read-only' },
        hops: [
          { profile: 'admin', roleArn: ADMIN_ARN },
          { profile: 'backup', roleArn: BACKUP_ARN },
        ],
        path: ['read-only', 'admin', 'backup'],
      },
    ],
    [
      'a profile with no section at all (vault add without config)',
      SEED,
      'personal',
      { profile: 'personal', base: { kind: 'vault-keys', profile: 'personal' }, hops: [], path: ['personal'] },
    ],
    [
      'a source_profile with no section',
      config(['[profile admin]', 'source_profile = keys', `role_arn = ${ADMIN_ARN}`]),
      'admin',
      {
        profile: 'admin',
        base: { kind: 'vault-keys', profile: 'keys' },
        hops: [{ profile: 'admin', roleArn: ADMIN_ARN }],
        path: ['keys', 'admin'],
      },
    ],
    [
      'the [default] profile as a source (aws configure set ... source_profile default)',
      config(['[default]', 'region = eu-west-1', '[profile testprofile]', `role_arn = ${ADMIN_ARN}`, 'source_profile = default']),
      'testprofile',
      {
        profile: 'testprofile',
        base: { kind: 'vault-keys', profile: 'default' },
        hops: [{ profile: 'testprofile', roleArn: ADMIN_ARN }],
        region: 'eu-west-1',
        path: ['default', 'testprofile'],
      },
    ],
    [
      'source_profile naming itself: its own keys, then its own role',
      config(['[profile ops]', `role_arn = ${ADMIN_ARN}`, 'source_profile = ops', 'mfa_serial = arn:aws:iam::123456789012:mfa/me']),
      'ops',
      {
        profile: 'ops',
        base: { kind: 'vault-keys', profile: 'ops', mfaSerial: 'arn:aws:iam::123456789012:mfa/me' },
        hops: [{ profile: 'ops', roleArn: ADMIN_ARN, mfaSerial: 'arn:aws:iam::123456789012:mfa/me' }],
        path: ['ops'],
      },
    ],
    [
      'a self-sourced profile as the source of another',
      config(['[profile ops]', `role_arn = ${ADMIN_ARN}`, 'source_profile = ops', '[profile deploy]', `role_arn = ${BACKUP_ARN}`, 'source_profile = ops']),
      'deploy',
      {
        profile: 'deploy',
        base: { kind: 'vault-keys', profile: 'ops' },
        hops: [
          { profile: 'ops', roleArn: ADMIN_ARN },
          { profile: 'deploy', roleArn: BACKUP_ARN },
        ],
        path: ['ops', 'deploy'],
      },
    ],
    [
      'credential_process alone',
      config(['[profile ext]', 'credential_process = /usr/bin/get-creds --profile ext']),
      'ext',
      {
        profile: 'ext',
        base: { kind: 'credential_process', profile: 'ext', command: '/usr/bin/get-creds --profile ext' },
        hops: [],
        path: ['ext'],
      },
    ],
    [
      'role_arn with credential_process: the process, then the role',
      config(['[profile ext]', 'credential_process = get-creds', `role_arn = ${ADMIN_ARN}`]),
      'ext',
      {
        profile: 'ext',
        base: { kind: 'credential_process', profile: 'ext', command: 'get-creds' },
        hops: [{ profile: 'ext', roleArn: ADMIN_ARN }],
        path: ['ext'],
      },
    ],
    [
      'a credential_process profile as a source',
      config(['[profile ext]', 'credential_process = get-creds', '[profile admin]', `role_arn = ${ADMIN_ARN}`, 'source_profile = ext']),
      'admin',
      {
        profile: 'admin',
        base: { kind: 'credential_process', profile: 'ext', command: 'get-creds' },
        hops: [{ profile: 'admin', roleArn: ADMIN_ARN }],
        path: ['ext', 'admin'],
      },
    ],
    [
      'source_profile wins over credential_process in a role profile (as in botocore)',
      config(['[profile admin]', `role_arn = ${ADMIN_ARN}`, 'source_profile = keys', 'credential_process = ignored']),
      'admin',
      {
        profile: 'admin',
        base: { kind: 'vault-keys', profile: 'keys' },
        hops: [{ profile: 'admin', roleArn: ADMIN_ARN }],
        path: ['keys', 'admin'],
      },
    ],
    [
      'mfa_serial of the base profile goes in the base',
      config(['[profile keys]', 'mfa_serial = arn:aws:iam::123456789012:mfa/me', '[profile admin]', `role_arn = ${ADMIN_ARN}`, 'source_profile = keys']),
      'admin',
      {
        profile: 'admin',
        base: { kind: 'vault-keys', profile: 'keys', mfaSerial: 'arn:aws:iam::123456789012:mfa/me' },
        hops: [{ profile: 'admin', roleArn: ADMIN_ARN }],
        path: ['keys', 'admin'],
      },
    ],
    [
      'source_profile without role_arn borrows the source credentials (as aws-vault does)',
      config(['[profile prod]', '[profile prod-eu]', 'source_profile = prod', 'region = eu-west-1', 'mfa_serial = GAHT12345678']),
      'prod-eu',
      {
        profile: 'prod-eu',
        base: { kind: 'vault-keys', profile: 'prod', passThrough: [{ profile: 'prod-eu', mfaSerial: 'GAHT12345678' }] },
        hops: [],
        region: 'eu-west-1',
        path: ['prod', 'prod-eu'],
      },
    ],
    [
      'borrowing profiles between the keys and the first role are kept, nearest the keys first, with their devices',
      config([
        '[profile keys]', 'mfa_serial = K',
        '[profile mid]', 'source_profile = keys', 'mfa_serial = M',
        '[profile upper]', 'source_profile = mid',
        '[profile admin]', `role_arn = ${ADMIN_ARN}`, 'source_profile = upper',
      ]),
      'admin',
      {
        profile: 'admin',
        base: { kind: 'vault-keys', profile: 'keys', mfaSerial: 'K', passThrough: [{ profile: 'mid', mfaSerial: 'M' }, { profile: 'upper' }] },
        hops: [{ profile: 'admin', roleArn: ADMIN_ARN }],
        path: ['keys', 'mid', 'upper', 'admin'],
      },
    ],
    [
      "a borrowing profile above a role: its mfa_serial has nothing to apply to and is dropped",
      config(['[profile admin]', `role_arn = ${ADMIN_ARN}`, 'source_profile = keys', '[profile admin-eu]', 'source_profile = admin', 'mfa_serial = M']),
      'admin-eu',
      {
        profile: 'admin-eu',
        base: { kind: 'vault-keys', profile: 'keys' },
        hops: [{ profile: 'admin', roleArn: ADMIN_ARN }],
        path: ['keys', 'admin', 'admin-eu'],
      },
    ],
    [
      'source_profile naming itself without role_arn: just its own keys',
      config(['[profile me]', 'source_profile = me']),
      'me',
      { profile: 'me', base: { kind: 'vault-keys', profile: 'me' }, hops: [], path: ['me'] },
    ],
  ])('%s', (_name, file, profile, expected) => {
    expect(resolveProfile(file, profile)).toStrictEqual(expected);
  });

  test('each hop carries its own profile\'s role settings', () => {
    const file = config([
      '[profile keys]',
      'role_session_name = ignored-without-role',
      '[profile a]',
      'source_profile = keys',
      'role_arn = arn:aws:iam::111111111111:role/a',
      'role_session_name = alice',
      'external_id = ext-123',
      'mfa_serial = arn:aws:iam::111111111111:mfa/alice',
      'duration_seconds = 3600',
      'source_identity = alice@corp',
      '[profile b]',
      'source_profile = a',
      'role_arn = arn:aws-cn:iam::222222222222:role/path/to/b',
      'duration_seconds = 900',
    ]);
    expect(resolveProfile(file, 'b').hops).toStrictEqual([
      {
        profile: 'a',
        roleArn: 'arn:aws:iam::111111111111:role/a',
        roleSessionName: 'alice',
        externalId: 'ext-123',
        mfaSerial: 'arn:aws:iam::111111111111:mfa/alice',
        durationSeconds: 3600,
        sourceIdentity: 'alice@corp',
      },
      { profile: 'b', roleArn: 'arn:aws-cn:iam::222222222222:role/path/to/b', durationSeconds: 900 },
    ]);
  });

  test('unknown keys and unrelated broken profiles do not matter', () => {
    const file = config(['[profile broken]', 'role_arn = nope', '[profile ok]', 'cli_pager =', 's3 =', '  x = 1']);
    expect(resolveProfile(file, 'ok').base).toEqual({ kind: 'vault-keys', profile: 'ok' });
  });

  const hopChain = (n: number) => {
    const lines = ['[profile p0]'];
    for (let i = 1; i <= n; i++) {
      lines.push(`[profile p${i}]`, `source_profile = p${i - 1}`, `role_arn = arn:aws:iam::${String(i).padStart(12, '0')}:role/r${i}`);
    }
    return config(lines);
  };

  test(`a chain of ${MAX_CHAIN_PROFILES} profiles resolves, in order`, () => {
    const last = MAX_CHAIN_PROFILES - 1;
    const chain = resolveProfile(hopChain(last), `p${last}`, stored('p0'));
    expect(chain.base).toEqual({ kind: 'vault-keys', profile: 'p0' });
    expect(chain.hops).toHaveLength(last);
    expect(chain.hops[0]?.profile).toBe('p1');
    expect(chain.hops[last - 1]).toEqual({ profile: `p${last}`, roleArn: `arn:aws:iam::${String(last).padStart(12, '0')}:role/r${last}` });
  });

  test('a longer chain is refused at once, however long', () => {
    const file = hopChain(10_000);
    const start = performance.now();
    const error = catchError(() => resolveProfile(file, 'p10000', stored('p0')));
    expect(performance.now() - start).toBeLessThan(1000);
    expect(error).toBeInstanceOf(ChainTooLongError);
    expect(error).toMatchObject({
      code: 'CHAIN_TOO_LONG',
      message: `profile p10000: its source_profile chain is longer than ${MAX_CHAIN_PROFILES} profiles`,
    });
  });

  test('include_profile resolution is linear: 20,000 nested includes with their own keys (~600 KB) resolve at once', () => {
    const lines = ['[profile i0]', 'region = ap-southeast-2'];
    for (let i = 1; i <= 20_000; i++) lines.push(`[profile i${i}]`, `include_profile = i${i - 1}`, `note_${i} = x`, `tag_${i} = y`);
    const file = config(lines);
    const start = performance.now();
    expect(resolveProfile(file, 'i20000', stored('i20000')).region).toBe('ap-southeast-2');
    // Copying each profile's inherited keys took minutes here (400 million copies); the walk takes about a second.
    expect(performance.now() - start).toBeLessThan(5000);
  });

  test('a 1,000-long include_profile chain resolves', () => {
    const lines = ['[profile i0]', 'region = ap-southeast-2'];
    for (let i = 1; i <= 1000; i++) lines.push(`[profile i${i}]`, `include_profile = i${i - 1}`);
    expect(resolveProfile(config(lines), 'i1000').region).toBe('ap-southeast-2');
  });
});

describe('resolveProfile: region', () => {
  const file = config([
    '[profile keys]',
    'region = us-gov-west-1',
    '[profile mid]',
    'source_profile = keys',
    'role_arn = arn:aws:iam::111111111111:role/mid',
    'region = cn-north-1',
    '[profile top]',
    'source_profile = mid',
    'role_arn = arn:aws:iam::111111111111:role/top',
    '[profile own]',
    'source_profile = mid',
    'role_arn = arn:aws:iam::111111111111:role/own',
    'region = eu-central-1',
    '[profile none]',
  ]);
  test.each([
    ['own', 'eu-central-1'],
    ['mid', 'cn-north-1'],
    ['keys', 'us-gov-west-1'],
  ])('%s -> %s', (profile, region) => {
    expect(resolveProfile(file, profile).region).toBe(region);
  });

  test("never a source profile's region (the AWS CLI, the SDKs and aws-vault agree)", () => {
    expect(resolveProfile(file, 'top')).not.toHaveProperty('region');
  });

  test('no region anywhere: no region key', () => {
    expect(resolveProfile(file, 'none')).not.toHaveProperty('region');
  });

  test("[default]'s region for a profile without one, with or without a section (aws-vault)", () => {
    const f = config(['[default]', 'region = us-east-1', '[profile x]', '[profile y]', 'region = eu-west-2']);
    expect(resolveProfile(f, 'x').region).toBe('us-east-1');
    expect(resolveProfile(f, 'keys-only').region).toBe('us-east-1');
    expect(resolveProfile(f, 'y').region).toBe('eu-west-2');
    expect(resolveProfile(f, 'default').region).toBe('us-east-1');
  });

  test('an empty region = means none, so [default] or an included profile may give one', () => {
    expect(resolveProfile(config(['[profile x]', 'region =']), 'x')).not.toHaveProperty('region');
    expect(resolveProfile(config(['[default]', 'region = us-east-1', '[profile x]', 'region =']), 'x').region).toBe('us-east-1');
    expect(resolveProfile(config(['[profile t]', 'region = eu-west-1', '[profile x]', 'region =', 'include_profile = t']), 'x').region).toBe(
      'eu-west-1',
    );
  });

  test('an empty role_session_name, duration_seconds or source_identity means none, as botocore reads them', () => {
    const f = config(['[profile x]', 'source_profile = x', `role_arn = ${ADMIN_ARN}`, 'role_session_name =', 'duration_seconds =', 'source_identity =']);
    expect(resolveProfile(f, 'x').hops).toEqual([{ profile: 'x', roleArn: ADMIN_ARN }]);
  });

  test("a bad region on a source profile does not break the target: only the region used is checked", () => {
    const f = config(['[profile keys]', 'region = Europe', '[profile admin]', 'source_profile = keys', `role_arn = ${ADMIN_ARN}`, 'region = eu-west-1']);
    expect(resolveProfile(f, 'admin').region).toBe('eu-west-1');
    expect(catchError(() => resolveProfile(f, 'keys'))).toBeInstanceOf(InvalidProfileValueError);
  });

  test("a region the command line or the environment gives leaves the profile's (even a bad one) unread", () => {
    const f = config(['[default]', 'region = eu-west-1 # main', '[profile keys]', '[profile own]', 'region = Europe']);
    for (const name of ['keys', 'own']) {
      expect(catchError(() => resolveProfile(f, name))).toBeInstanceOf(InvalidProfileValueError);
      expect(resolveProfile(f, name, { regionGiven: true })).not.toHaveProperty('region');
    }
  });
});

describe('resolveProfile: aws_account_id', () => {
  test('is read where no role says the account: the one nearest the keys, never from [default], and checked', () => {
    const f = config([
      '[default]',
      'aws_account_id = 999999999999',
      '[profile keys]',
      'aws_account_id = 111111111111',
      '[profile alias]',
      'source_profile = keys',
      'aws_account_id = 222222222222',
      '[profile other]',
      '[profile admin]',
      'source_profile = keys',
      `role_arn = ${ADMIN_ARN}`,
      'aws_account_id = not-an-account',
      '[profile bad]',
      'aws_account_id = 12',
    ]);
    expect(resolveProfile(f, 'keys').accountId).toBe('111111111111');
    expect(resolveProfile(f, 'alias').accountId).toBe('111111111111');
    expect(resolveProfile(f, 'other')).not.toHaveProperty('accountId');
    // A role names its account; the profile's value is then not used, so not checked either.
    expect(resolveProfile(f, 'admin')).not.toHaveProperty('accountId');
    expect(catchError(() => resolveProfile(f, 'bad'))).toBeInstanceOf(InvalidProfileValueError);
  });
});

describe('resolveProfile: include_profile', () => {
  const file = config([
    '[profile common]',
    'region = eu-west-1',
    'mfa_serial = arn:aws:iam::123456789012:mfa/me',
    'source_profile = keys',
    '[profile admin]',
    'include_profile = common',
    `role_arn = ${ADMIN_ARN}`,
    '[profile admin-us]',
    'include_profile = admin',
    'region = us-east-1',
  ]);

  test('inherits the included keys', () => {
    expect(resolveProfile(file, 'admin')).toStrictEqual({
      profile: 'admin',
      base: { kind: 'vault-keys', profile: 'keys' },
      hops: [{ profile: 'admin', roleArn: ADMIN_ARN, mfaSerial: 'arn:aws:iam::123456789012:mfa/me' }],
      region: 'eu-west-1',
      path: ['keys', 'admin'],
    });
  });

  test('own keys win, and inclusion nests', () => {
    expect(resolveProfile(file, 'admin-us')).toStrictEqual({
      profile: 'admin-us',
      base: { kind: 'vault-keys', profile: 'keys' },
      hops: [{ profile: 'admin-us', roleArn: ADMIN_ARN, mfaSerial: 'arn:aws:iam::123456789012:mfa/me' }],
      region: 'us-east-1',
      path: ['keys', 'admin-us'],
    });
  });

  test('the included profile itself resolves on its own terms (borrowing keys, its MFA device its own)', () => {
    expect(resolveProfile(file, 'common')).toStrictEqual({
      profile: 'common',
      base: { kind: 'vault-keys', profile: 'keys', passThrough: [{ profile: 'common', mfaSerial: 'arn:aws:iam::123456789012:mfa/me' }] },
      hops: [],
      region: 'eu-west-1',
      path: ['keys', 'common'],
    });
  });

  test('an inherited source_profile that names the includer means its own keys', () => {
    const f = config(['[profile tpl]', 'source_profile = me', `role_arn = ${ADMIN_ARN}`, '[profile me]', 'include_profile = tpl']);
    expect(resolveProfile(f, 'me').base).toEqual({ kind: 'vault-keys', profile: 'me' });
  });
});

describe('resolveProfile: stored keys', () => {
  test('with the keys stored, everything resolves', () => {
    expect(resolveProfile(SEED, 'backup', stored('read-only')).base).toEqual({ kind: 'vault-keys', profile: 'read-only' });
    expect(resolveProfile(SEED, 'personal', stored('personal')).path).toEqual(['personal']);
  });

  test('a credential_process source without stored keys is its base', () => {
    const file = config(['[profile ext]', 'credential_process = x', '[profile a]', 'source_profile = ext', `role_arn = ${ADMIN_ARN}`]);
    expect(resolveProfile(file, 'a', stored()).base).toEqual({ kind: 'credential_process', profile: 'ext', command: 'x' });
    expect(resolveProfile(file, 'a').base).toEqual({ kind: 'credential_process', profile: 'ext', command: 'x' });
  });

  test('a source profile with stored keys is the base; its own role and source are ignored (the AWS CLI and SDKs)', () => {
    const chain = resolveProfile(SEED, 'backup', stored('admin'));
    expect(chain.base).toEqual({ kind: 'vault-keys', profile: 'admin' });
    expect(chain.hops).toEqual([{ profile: 'backup', roleArn: BACKUP_ARN }]);
    expect(chain.path).toEqual(['admin', 'backup']);
  });

  test("keys stored for the target come before its credential_process, SSO or web identity settings, as in aws-vault", () => {
    const file = config([
      '[profile cp]',
      'credential_process = vault export --format json cp',
      '[profile sso]',
      'sso_start_url = https://x.awsapps.com/start',
      'sso_region = eu-west-1',
      'sso_account_id = 123456789012',
      'sso_role_name = Dev',
      '[profile cp-role]',
      'credential_process = get-creds',
      `role_arn = ${ADMIN_ARN}`,
      '[profile wi]',
      `role_arn = ${ADMIN_ARN}`,
      'web_identity_token_file = /var/token',
    ]);
    const keys = stored('cp', 'sso', 'cp-role', 'wi');
    expect(resolveProfile(file, 'cp', keys).base).toEqual({ kind: 'vault-keys', profile: 'cp' });
    expect(resolveProfile(file, 'sso', keys).base).toEqual({ kind: 'vault-keys', profile: 'sso' });
    for (const name of ['cp-role', 'wi']) {
      const chain = resolveProfile(file, name, keys);
      expect([chain.base, chain.hops.map((h) => h.roleArn)]).toEqual([{ kind: 'vault-keys', profile: name }, [ADMIN_ARN]]);
    }
    // Without keys stored, the settings are the credentials, as before.
    expect(resolveProfile(file, 'cp', stored()).base.kind).toBe('credential_process');
    expect(resolveProfile(file, 'wi', stored()).base.kind).toBe('web-identity');
  });

  test("the target's own stored keys do not replace its role (only a source profile's do)", () => {
    expect(resolveProfile(SEED, 'admin', stored('admin', 'read-only')).hops).toEqual([{ profile: 'admin', roleArn: ADMIN_ARN }]);
  });

  test("a source profile with stored keys brings its mfa_serial to the base, not its role's", () => {
    const f = config(['[profile mid]', 'source_profile = root', `role_arn = ${ADMIN_ARN}`, 'mfa_serial = MID', '[profile top]', 'source_profile = mid', `role_arn = ${BACKUP_ARN}`]);
    expect(resolveProfile(f, 'top', stored('mid')).base).toEqual({ kind: 'vault-keys', profile: 'mid', mfaSerial: 'MID' });
  });

  test('without hasStoredKeys, the chain follows the config to its end', () => {
    expect(resolveProfile(SEED, 'backup').path).toEqual(['read-only', 'admin', 'backup']);
  });
});

describe('resolveProfile: errors', () => {
  const suggestConfig = config(['[profile admin]', '[profile administrator]', '[profile backup]', '[s3fullaccess]', 'role_arn = x']);

  test.each<[string, ConfigFile, string, ReturnType<typeof stored> | undefined, Function, string, string]>([
    [
      'unknown target, with suggestions',
      suggestConfig,
      'admn',
      stored(),
      UnknownProfileError,
      'UNKNOWN_PROFILE',
      `unknown profile admn: no [profile admn] section in ${PATH} and no stored keys; did you mean admin?`,
    ],
    [
      'unknown target, no suggestions',
      suggestConfig,
      'zzzzzz',
      stored(),
      UnknownProfileError,
      'UNKNOWN_PROFILE',
      `unknown profile zzzzzz: no [profile zzzzzz] section in ${PATH} and no stored keys`,
    ],
    [
      'unknown target written as a bare [name] section in the config file',
      suggestConfig,
      's3fullaccess',
      stored(),
      UnknownProfileError,
      'UNKNOWN_PROFILE',
      `unknown profile s3fullaccess: no [profile s3fullaccess] section in ${PATH} and no stored keys; ` +
        'line 4 has [s3fullaccess], which the config file ignores: write [profile s3fullaccess]',
    ],
    [
      'unknown default profile',
      SEED,
      'default',
      stored(),
      UnknownProfileError,
      'UNKNOWN_PROFILE',
      `unknown profile default: no [default] section in ${PATH} and no stored keys`,
    ],
    [
      'an empty profile name',
      SEED,
      ' ',
      undefined,
      UnknownProfileError,
      'UNKNOWN_PROFILE',
      'no profile named: the profile name is empty',
    ],
    [
      'a source with no section and no keys',
      config(['[profile admin]', 'source_profile = read-only', `role_arn = ${ADMIN_ARN}`]),
      'admin',
      stored(),
      MissingSourceError,
      'MISSING_SOURCE',
      'admin -> read-only: read-only has no config section and no stored keys',
    ],
    [
      'a base with a section but no keys',
      SEED,
      'backup',
      stored(),
      NoCredentialsError,
      'NO_CREDENTIALS',
      'no credentials for profile read-only (backup -> admin -> read-only): no keys are stored for it and it has no ' +
        'source_profile or credential_process',
    ],
    [
      'the target itself has a section but no keys',
      SEED,
      'read-only',
      stored('admin'),
      NoCredentialsError,
      'NO_CREDENTIALS',
      'no credentials for profile read-only: no keys are stored for it and it has no source_profile or credential_process',
    ],
    [
      'a self-sourced profile without keys',
      config(['[profile ops]', `role_arn = ${ADMIN_ARN}`, 'source_profile = ops']),
      'ops',
      stored(),
      NoCredentialsError,
      'NO_CREDENTIALS',
      'no credentials for profile ops (ops -> ops): its source_profile is itself, which means its own stored keys, and ' +
        'none are stored',
    ],
    [
      'a source_profile cycle',
      config(['[profile a]', 'source_profile = b', `role_arn = ${ADMIN_ARN}`, '[profile b]', 'source_profile = a', `role_arn = ${ADMIN_ARN}`]),
      'a',
      undefined,
      ProfileCycleError,
      'PROFILE_CYCLE',
      'profile cycle: a -> b -> a (through source_profile)',
    ],
    [
      'a cycle below the target',
      config(['[profile t]', 'source_profile = a', '[profile a]', 'source_profile = b', '[profile b]', 'source_profile = c', '[profile c]', 'source_profile = a']),
      't',
      undefined,
      ProfileCycleError,
      'PROFILE_CYCLE',
      'profile cycle: t -> a -> b -> c -> a (through source_profile)',
    ],
    [
      'an include_profile cycle',
      config(['[profile a]', 'include_profile = b', '[profile b]', 'include_profile = c', '[profile c]', 'include_profile = a']),
      'a',
      undefined,
      ProfileCycleError,
      'PROFILE_CYCLE',
      'profile cycle: a -> b -> c -> a (through include_profile)',
    ],
    [
      'a profile including itself',
      config(['[profile a]', 'include_profile = a']),
      'a',
      undefined,
      ProfileCycleError,
      'PROFILE_CYCLE',
      'profile cycle: a -> a (through include_profile)',
    ],
    [
      'the seed ARN with a 10-digit account',
      config(['[profile read-only]', '[profile admin]', 'source_profile = read-only', 'role_arn = arn:aws:iam::1234567890:role/iam_role']),
      'admin',
      undefined,
      InvalidProfileValueError,
      'INVALID_PROFILE_VALUE',
      `invalid role_arn "arn:aws:iam::1234567890:role/iam_role" in profile admin (${PATH}, section at line 2): the ` +
        'account id has 10 digits; AWS account ids have 12',
    ],
    [
      'a bad value in a source profile names that profile',
      config(['[profile keys]', 'mfa_serial =', '[profile admin]', 'source_profile = keys', `role_arn = ${ADMIN_ARN}`]),
      'admin',
      undefined,
      InvalidProfileValueError,
      'INVALID_PROFILE_VALUE',
      `invalid mfa_serial "" in profile keys (${PATH}, section at line 1): it is empty`,
    ],
    [
      "a bad region on the target, even [default]'s",
      config(['[default]', 'region = Europe', '[profile admin]']),
      'admin',
      undefined,
      InvalidProfileValueError,
      'INVALID_PROFILE_VALUE',
      `invalid region "Europe" in profile default (${PATH}, section at line 1): expected a region name like us-east-1`,
    ],
    [
      'a bad inherited value names the profile it is written in',
      config(['[profile tpl]', 'duration_seconds = 1h', '[profile a]', 'include_profile = tpl', `role_arn = ${ADMIN_ARN}`, 'source_profile = a']),
      'a',
      undefined,
      InvalidProfileValueError,
      'INVALID_PROFILE_VALUE',
      `invalid duration_seconds "1h" in profile tpl (${PATH}, section at line 1): expected a whole number of seconds ` +
        'from 900 (15 minutes) to 43200 (12 hours)',
    ],
    [
      'an empty mfa_serial',
      config(['[profile a]', 'mfa_serial =']),
      'a',
      undefined,
      InvalidProfileValueError,
      'INVALID_PROFILE_VALUE',
      `invalid mfa_serial "" in profile a (${PATH}, section at line 1): it is empty`,
    ],
    [
      'an empty source_profile',
      config(['[profile a]', `role_arn = ${ADMIN_ARN}`, 'source_profile =']),
      'a',
      undefined,
      InvalidProfileValueError,
      'INVALID_PROFILE_VALUE',
      `invalid source_profile "" in profile a (${PATH}, section at line 1): it is empty`,
    ],
    [
      'role_arn with nothing to assume it with',
      config(['[profile admin]', `role_arn = ${ADMIN_ARN}`]),
      'admin',
      undefined,
      UnsupportedProfileError,
      'UNSUPPORTED_PROFILE',
      'profile admin: role_arn has no source_profile, credential_source, credential_process or SSO settings to assume ' +
        "it with; add source_profile = <a profile with stored keys> (source_profile = admin uses admin's own stored keys)",
    ],
    [
      'credential_source next to source_profile',
      config(['[profile ec2]', `role_arn = ${ADMIN_ARN}`, 'source_profile = keys', 'credential_source = Environment']),
      'ec2',
      undefined,
      UnsupportedProfileError,
      'UNSUPPORTED_PROFILE',
      'profile ec2: source_profile and credential_source are both set; keep the one to assume role_arn with',
    ],
    [
      'an unknown credential_source',
      config(['[profile ec2]', `role_arn = ${ADMIN_ARN}`, 'credential_source = Ec2']),
      'ec2',
      undefined,
      InvalidProfileValueError,
      'INVALID_PROFILE_VALUE',
      'invalid credential_source "Ec2" in profile ec2 (/home/u/.aws/config, section at line 1): expected Environment, ' +
        'Ec2InstanceMetadata or EcsContainer',
    ],
    [
      'web identity without a role',
      config(['[profile k8s]', 'web_identity_token_file = /var/run/token']),
      'k8s',
      undefined,
      UnsupportedProfileError,
      'UNSUPPORTED_PROFILE',
      'profile k8s: web_identity_token_file needs role_arn, the role the token is exchanged for',
    ],
    [
      'an SSO profile without its role',
      config(['[profile sso]', 'sso_session = corp', 'sso_account_id = 123456789012', '[sso-session corp]', 'sso_start_url = https://corp.awsapps.com/start', 'sso_region = eu-west-1', '[profile a]', 'source_profile = sso', `role_arn = ${ADMIN_ARN}`]),
      'a',
      undefined,
      UnsupportedProfileError,
      'UNSUPPORTED_PROFILE',
      'profile sso: an IAM Identity Center (SSO) profile also needs sso_role_name',
    ],
    [
      'an sso_session with no section',
      config(['[profile sso]', 'sso_session = corp', 'sso_account_id = 123456789012', 'sso_role_name = Dev']),
      'sso',
      undefined,
      UnsupportedProfileError,
      'UNSUPPORTED_PROFILE',
      'profile sso: sso_session = corp names no [sso-session corp] section; add one with sso_start_url and sso_region',
    ],
    [
      'a legacy SSO profile without its region',
      config(['[profile sso]', 'sso_start_url = https://corp.awsapps.com/start', 'sso_account_id = 123456789012', 'sso_role_name = Dev']),
      'sso',
      undefined,
      UnsupportedProfileError,
      'UNSUPPORTED_PROFILE',
      'profile sso: an IAM Identity Center (SSO) profile also needs sso_region',
    ],
  ])('%s', (_name, file, profile, opts, type, code, message) => {
    const error = catchError(() => resolveProfile(file, profile, opts));
    expect(error).toBeInstanceOf(type);
    expect(error).toBeInstanceOf(ProfileError);
    expect(error).toMatchObject({ code, message });
  });

  test('error fields carry the details the CLI may need', () => {
    expect(catchError(() => resolveProfile(suggestConfig, 'admn', stored()))).toMatchObject({
      profile: 'admn',
      suggestions: ['admin'],
    });
    expect(
      catchError(() => resolveProfile(config(['[profile a]', 'source_profile = b', `role_arn = ${ADMIN_ARN}`]), 'a', stored())),
    ).toMatchObject({ chain: ['a', 'b'], profile: 'b' });
    expect(catchError(() => resolveProfile(SEED, 'backup', stored()))).toMatchObject({
      profile: 'read-only',
      chain: ['backup', 'admin', 'read-only'],
    });
  });

  test('a value is never echoed when its key names a secret or token', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const error = new InvalidProfileValueError('a', 'aws_secret_access_key', secret, 'bad', PATH, 3);
    expect(error.message).toBe(`invalid aws_secret_access_key (value hidden) in profile a (${PATH}, section at line 3): bad`);
    expect(JSON.stringify(error)).not.toContain(secret);
    expect(Object.values(error).join(' ')).not.toContain(secret);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('resolveProfile: sources other than stored keys', () => {
  const SSO_SESSION = ['[sso-session corp]', 'sso_start_url = https://corp.awsapps.com/start', 'sso_region = eu-west-1', 'sso_registration_scopes = sso:account:access'];

  test('an sso-session profile is an SSO base, with the session name and scopes', () => {
    const file = config(['[profile dev]', 'sso_session = corp', 'sso_account_id = 123456789012', 'sso_role_name = Dev', ...SSO_SESSION]);
    expect(resolveProfile(file, 'dev', stored()).base).toEqual({
      kind: 'sso',
      profile: 'dev',
      sso: { startUrl: 'https://corp.awsapps.com/start', region: 'eu-west-1', session: 'corp', scopes: ['sso:account:access'] },
      accountId: '123456789012',
      roleName: 'Dev',
    });
  });

  test('a legacy SSO profile is an SSO base without a session name, and the base of a role chain', () => {
    const file = config([
      '[profile dev]',
      'sso_start_url = https://corp.awsapps.com/start',
      'sso_region = us-east-1',
      'sso_account_id = 123456789012',
      'sso_role_name = Dev',
      '[profile admin]',
      'source_profile = dev',
      `role_arn = ${ADMIN_ARN}`,
    ]);
    const chain = resolveProfile(file, 'admin', stored());
    expect(chain.base).toMatchObject({ kind: 'sso', profile: 'dev', sso: { startUrl: 'https://corp.awsapps.com/start', region: 'us-east-1' } });
    expect(chain.hops.map((h) => h.roleArn)).toEqual([ADMIN_ARN]);
    expect(chain.path).toEqual(['dev', 'admin']);
  });

  test('SSO settings come before a credential_process on the same profile, as in the AWS CLI and aws-vault', () => {
    const file = config(['[profile dev]', 'sso_session = corp', 'sso_account_id = 123456789012', 'sso_role_name = Dev', 'credential_process = other-tool', ...SSO_SESSION]);
    expect(resolveProfile(file, 'dev', stored()).base.kind).toBe('sso');
  });

  test("a profile's sso_region that differs from its sso-session's is refused, as the AWS CLI refuses it", () => {
    const file = config(['[profile dev]', 'sso_session = corp', 'sso_region = us-east-1', 'sso_account_id = 123456789012', 'sso_role_name = Dev', ...SSO_SESSION]);
    expect(() => resolveProfile(file, 'dev', stored())).toThrow('profile dev: sso_region (us-east-1) differs from that of [sso-session corp] (eu-west-1); remove it from the profile');
    const same = config(['[profile dev]', 'sso_session = corp', 'sso_region = eu-west-1', 'sso_account_id = 123456789012', 'sso_role_name = Dev', ...SSO_SESSION]);
    expect(resolveProfile(same, 'dev', stored()).base.kind).toBe('sso');
  });

  test('credential_source is the base of the profile own role', () => {
    const chain = resolveProfile(config(['[profile ecs]', `role_arn = ${ADMIN_ARN}`, 'credential_source = EcsContainer']), 'ecs', stored());
    expect(chain.base).toEqual({ kind: 'credential-source', profile: 'ecs', source: 'EcsContainer' });
    expect(chain.hops.map((h) => h.roleArn)).toEqual([ADMIN_ARN]);
  });
});
