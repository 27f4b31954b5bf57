import { ConfigParseError } from './errors.js';
import { parseConfigText } from './parse.js';
import type { ConfigFile } from './types.js';

const PATH = '/home/u/.aws/config';

const config = (text: string): ConfigFile => parseConfigText(text, PATH, 'config');
const profiles = (file: ConfigFile) => Object.fromEntries([...file.profiles].map(([k, v]) => [k, { ...v }]));

describe('parseConfigText: config sections', () => {
  test.each([
    ['[default]', 'default'],
    ['[profile default]', 'default'],
    ['[profile admin]', 'admin'],
    ['[profile   admin  ]', 'admin'],
    ['[  profile admin]', 'admin'],
    ['[profile\tadmin]', 'admin'],
    ['[profile "quoted name"]', 'quoted name'],
    ["[profile 'single']", 'single'],
    ['[profile a b]', 'a b'],
    ['[profile prod] # production', 'prod'],
    ['[profile prod] ; production', 'prod'],
    ['[profile read-only.v2@x]', 'read-only.v2@x'],
  ])('%s names profile %s', (header, name) => {
    const file = config(`${header}\nregion = us-east-1\n`);
    expect([...file.profiles.keys()]).toEqual([name]);
    expect(file.profiles.get(name)).toEqual({ region: 'us-east-1' });
    expect(file.lines.get(name)).toBe(1);
  });

  test.each([
    ['[services local]'],
    ['[admin]'],
    ['[profile]'],
    ['[profileadmin]'],
    ['[Default]'],
    ['[PROFILE admin]'],
  ])('%s is not a profile in the config file, and its keys go nowhere', (header) => {
    const file = config(`${header}\nregion = us-east-1\n[profile kept]\nregion = eu-west-1\n`);
    expect(profiles(file)).toEqual({ kept: { region: 'eu-west-1' } });
    expect(file.ignoredSections?.get(header.slice(1, -1).trim())).toBe(1);
  });

  test('ignoredSections records the first line of each ignored section', () => {
    const file = config('[admin]\n[profile x]\n[admin]\n[services s]\n');
    expect([...(file.ignoredSections ?? [])]).toEqual([
      ['admin', 1],
      ['services s', 4],
    ]);
  });

  test.each([
    ['plainly shaped (the section index)', '[sso-session corp]\nsso_region = eu-west-1\n[profile kept]\nregion = eu-west-1\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n'],
    ['read line by line', '[sso-session corp]\nsso_region = eu-west-1\n[profile kept]\n  region = eu-west-1\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n'],
  ])('[sso-session NAME] sections are kept apart from profiles, merged as configparser merges sections: %s', (_how, text) => {
    const file = config(text);
    expect([...(file.profiles.keys())]).toEqual(['kept']);
    expect({ ...file.ssoSessions?.get('corp') }).toEqual({ sso_region: 'eu-west-1', sso_start_url: 'https://corp.awsapps.com/start' });
    expect(file.ignoredSections?.has('sso-session corp')).toBe(false);
  });

  test.each([
    ['plainly shaped (the section index)', '[sso-session "my corp"]\nsso_region = eu-west-1\n'],
    ['read line by line', "[sso-session 'my corp']\n  sso_region = eu-west-1\n"],
  ])('a quoted [sso-session "NAME"] is the session NAME, as botocore reads it (as a quoted profile name): %s', (_how, text) => {
    expect({ ...config(text).ssoSessions?.get('my corp') }).toEqual({ sso_region: 'eu-west-1' });
  });
});

describe('parseConfigText: credentials sections', () => {
  test.each([
    ['[default]', 'default'],
    ['[admin]', 'admin'],
    ['[ spaced ]', 'spaced'],
    ['[profile admin]', 'profile admin'],
  ])('%s names profile "%s"', (header, name) => {
    const file = parseConfigText(`${header}\naws_access_key_id = AKIAEXAMPLE\n`, '/c', 'credentials');
    expect(file.kind).toBe('credentials');
    expect(profiles(file)).toEqual({ [name]: { aws_access_key_id: 'AKIAEXAMPLE' } });
    expect(file.ignoredSections).toBeUndefined();
  });
});

describe('parseConfigText: lines and values', () => {
  test('the seed config: empty sections and a role profile', () => {
    const file = config(
      [
        '[profile read-only]',
        '[profile admin]',
        'source_profile = read-only',
        'role_arn = arn:aws:iam::123456789012:role/iam_role',
      ].join('\n'),
    );
    expect(file).toMatchObject({ path: PATH, kind: 'config' });
    expect(profiles(file)).toEqual({
      'read-only': {},
      admin: { source_profile: 'read-only', role_arn: 'arn:aws:iam::123456789012:role/iam_role' },
    });
    expect([...file.lines]).toEqual([
      ['read-only', 1],
      ['admin', 2],
    ]);
  });

  test.each([
    ['key=value', 'value'],
    ['key = value', 'value'],
    ['key   =   value   ', 'value'],
    ['key\t=\tvalue', 'value'],
    ['key: value', 'value'],
    ['key =', ''],
    ['key = a = b', 'a = b'],
    ['key = arn:aws:iam::1:role/x', 'arn:aws:iam::1:role/x'],
    ['key = "quoted"', '"quoted"'],
    ['key = value # not a comment', 'value # not a comment'],
    ['key = a#b;c', 'a#b;c'],
    ['  key = indented', 'indented'],
  ])('%j reads as %j', (line, value) => {
    expect(config(`[default]\n${line}\n`).profiles.get('default')).toEqual({ key: value });
  });

  test('keys are lower-cased, as botocore and aws-vault read them', () => {
    expect(config('[default]\nRole_ARN = x\nREGION = y\n').profiles.get('default')).toEqual({ role_arn: 'x', region: 'y' });
  });

  test('unknown keys are kept', () => {
    expect(config('[default]\ncli_pager =\nfoo.bar = 1\n').profiles.get('default')).toEqual({ cli_pager: '', 'foo.bar': '1' });
  });

  test('a UTF-8 BOM, CRLF and CR line ends', () => {
    for (const eol of ['\r\n', '\r', '\n']) {
      const file = config(`\uFEFF[profile a]${eol}region = us-east-1${eol}${eol}[profile b]${eol}bad line here = ok${eol}`);
      expect(profiles(file)).toEqual({ a: { region: 'us-east-1' }, b: { 'bad line here': 'ok' } });
      expect(file.lines.get('b')).toBe(4);
    }
  });

  test('comments and blank lines are skipped, also indented', () => {
    const file = config('# top\n; top\n\n[default]\n  # inside\n\t; inside\nregion = us-east-1\n');
    expect(profiles(file)).toEqual({ default: { region: 'us-east-1' } });
  });

  test('a nested sub-section (s3 =) is kept as text and never fails', () => {
    const file = config('[default]\ns3 =\n  max_concurrent_requests = 20\n  # a comment\n  anything goes here\nregion = us-east-1\n');
    expect(file.profiles.get('default')).toEqual({
      s3: 'max_concurrent_requests = 20\nanything goes here',
      region: 'us-east-1',
    });
  });

  test('a more-indented line continues the value above it, as in configparser', () => {
    const file = config('[default]\n  credential_process = tool\n      --flag\nregion = us-east-1\n');
    expect(file.profiles.get('default')).toEqual({ credential_process: 'tool\n--flag', region: 'us-east-1' });
  });

  test('equally indented keys are separate keys', () => {
    const file = config('[profile admin]\n    role_arn = r\n    source_profile = s\n');
    expect(file.profiles.get('admin')).toEqual({ role_arn: 'r', source_profile: 's' });
  });

  test('sub-sections of ignored sections are skipped without error', () => {
    const file = config('[services local]\ns3 =\n  endpoint_url = http://localhost:4566\n[profile a]\nx = 1\n');
    expect(profiles(file)).toEqual({ a: { x: '1' } });
  });

  test('duplicate sections merge, later keys winning; the line is the first header', () => {
    const file = config('[profile a]\nregion = us-east-1\nx = 1\n[profile b]\n[profile a]\nregion = eu-west-1\n');
    expect(file.profiles.get('a')).toEqual({ region: 'eu-west-1', x: '1' });
    expect(file.lines.get('a')).toBe(1);
  });

  test('[default] and [profile default] are one profile', () => {
    const file = config('[default]\nregion = us-east-1\nx = 1\n[profile default]\nregion = eu-west-1\n');
    expect(profiles(file)).toEqual({ default: { region: 'eu-west-1', x: '1' } });
  });

  test('a duplicate key in one section: the last one wins', () => {
    expect(config('[default]\nregion = a\nregion = b\n').profiles.get('default')).toEqual({ region: 'b' });
  });

  test('U+2028 and U+2029 inside values and profile names are ordinary characters, not line breaks', () => {
    const file = config('[profile a\u2028b]\nnote = one\u2028two\u2029three\n');
    expect(profiles(file)).toEqual({ 'a\u2028b': { note: 'one\u2028two\u2029three' } });
  });

  test('empty text is an empty file', () => {
    const file = config('');
    expect(file.profiles.size).toBe(0);
    expect(file.lines.size).toBe(0);
  });

  test('__proto__ as a key is an ordinary key', () => {
    const values = config('[default]\n__proto__ = x\n').profiles.get('default') ?? {};
    expect(Object.keys(values)).toEqual(['__proto__']);
    expect(values.__proto__).toBe('x');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  test('5,000 profiles parse quickly', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `[profile p${i}]\nrole_arn = arn:aws:iam::123456789012:role/r${i}\n`).join('');
    const start = performance.now();
    expect(config(text).profiles.size).toBe(5000);
    expect(performance.now() - start).toBeLessThan(3000);
  });
});

describe('parseConfigText: malformed lines', () => {
  test.each([
    ['region = us-east-1\n[default]\n', 1, 'a setting comes before any [section] header'],
    ['# comment\n\nno section\n', 3, 'a setting comes before any [section] header'],
    ['[default]\nregion us-east-1\n', 2, 'expected "key = value", a [section] header or a comment'],
    ['[default]\n\n\njust-a-word\n', 4, 'expected "key = value", a [section] header or a comment'],
    ['[default]\n= value\n', 2, 'a setting has no key before its "="'],
    ['[default]\n  : value\n', 2, 'a setting has no key before its "="'],
    ['[default\nregion = x\n', 1, 'section header has no closing "]"'],
    ['[default]\n[]\n', 2, 'section header has no name'],
    ['[default]\n[   ]\n', 2, 'section header has no name'],
    [
      '[default] region = eu-west-1 [profile t] role_arn = x\n',
      1,
      'text follows the section header on the same line; put each setting on its own line',
    ],
    ['\uFEFF[a]\r\nok = 1\r\nbroken\r\n', 3, 'expected "key = value", a [section] header or a comment'],
    ['[sso-session s]\nbroken\n', 2, 'expected "key = value", a [section] header or a comment'],
  ])('%j fails at line %i', (text, line, reason) => {
    const error = catchError(() => config(text));
    expect(error).toBeInstanceOf(ConfigParseError);
    expect(error).toMatchObject({ code: 'CONFIG_PARSE', path: PATH, line, reason });
    expect((error as Error).message).toBe(`cannot parse ${PATH}, line ${line}: ${reason}`);
  });

  test('the content of a malformed line is never echoed (it may be a secret)', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const error = catchError(() =>
      parseConfigText(`[default]\naws_secret_access_key ${secret}\n`, '/c', 'credentials'),
    ) as Error;
    expect(error.message).toBe('cannot parse /c, line 2: expected "key = value", a [section] header or a comment');
    expect(JSON.stringify(error)).not.toContain(secret);
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
