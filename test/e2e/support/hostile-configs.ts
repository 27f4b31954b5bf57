// The hostile AWS config corpus of hardening-config.test.ts: each case is a config file, the profile asked for and
// the one outcome that is right for it, an exact error or exactly which credentials the command gets.

/** The vault of the corpus holds keys for these profiles (and nothing else). */
export const STORED = ['base', 'selfish', 'default', 'ünïcødé', '日本 語'] as const;
export type StoredProfile = (typeof STORED)[number];

export const ACCOUNT = '123456789012';

export interface Success {
  /** The child's keys: a stored profile's long-lived ones, STS session keys, or the access key id a credential_process printed. */
  keys: { stored: StoredProfile } | 'temporary' | { processKeyId: string };
  /** The child's AWS_REGION (and AWS_DEFAULT_REGION); undefined: none set. */
  region?: string;
  /** The role names assumed, oldest first (each role of a case is named `<id>.<name>`); default none. */
  assumed?: string[];
  /** The DurationSeconds of every AssumeRole, when the case pins it. */
  assumeSeconds?: string;
}

export interface ConfigCase {
  /** Short and unique; also tags the case's role names so its STS calls can be told apart. */
  id: string;
  /** The config file's exact bytes. */
  config: string | Buffer;
  profile: string;
  /** Options of `vault exec` before `--` (the test passes them to `vault export` too). */
  flags?: string[];
  outcome: { error: RegExp; exitCode?: number } | { ok: Success };
}

/** A role ARN owned by case `id`. */
export const role = (id: string, name: string, path = ''): string => `arn:aws:iam::${ACCOUNT}:role/${path}${id}.${name}`;

const text = (...lines: string[]): string => `${lines.join('\n')}\n`;
const lineOf = (n: number, reason: string): RegExp => new RegExp(`^vault: cannot parse \\S+/config-[\\w-]+, line ${n}: ${reason}`);
const invalid = (key: string, profile: string, reason: string): RegExp =>
  new RegExp(`^vault: invalid ${key} .* in profile ${profile} \\(\\S+, section at line \\d+\\): ${reason}`);
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const NO_SESSION = ['--no-session'];
const badArn = 'expected an IAM role ARN like arn:aws:iam::123456789012:role/NAME';
const badDuration = 'expected a whole number of seconds from 900 \\(15 minutes\\) to 43200 \\(12 hours\\)';
const badRegion = 'expected a region name like us-east-1';
const chainTooLong = /^vault: profile p0: its source_profile chain is longer than 32 profiles\. Shorten the chain/;

/** A role profile `name` assumed from `source`, with extra lines. */
function roleProfile(id: string, name: string, source: string, ...extra: string[]): string[] {
  return [`[profile ${name}]`, `source_profile = ${source}`, `role_arn = ${role(id, name)}`, ...extra];
}

/** `[profile p0]` -> p1 -> ... -> p(n-1), then `last` lines for the deepest profile. */
function longChain(n: number, link: (i: number) => string[], last: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`[profile p${i}]`, ...link(i), ...(i < n - 1 ? [`source_profile = p${i + 1}`] : last));
  return text(...out);
}

function longIncludes(n: number, last: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`[profile p${i}]`, ...(i < n - 1 ? [`include_profile = p${i + 1}`] : last));
  return text(...out);
}

const processJson = (json: object): string => `credential_process = printf '%s' '${JSON.stringify(json)}'`;

export function hostileConfigs(): ConfigCase[] {
  const cases: ConfigCase[] = [
    // ---- structure
    { id: 'orphan-key', config: text('region = us-east-1', '[profile base]'), profile: 'base', outcome: { error: lineOf(1, 'a setting comes before any \\[section\\] header') } },
    {
      id: 'orphan-after-comments',
      config: text('# my config', '', '; another comment', 'role_arn = x', '[profile base]'),
      profile: 'base',
      outcome: { error: lineOf(4, 'a setting comes before any \\[section\\] header') },
    },
    { id: 'unclosed-header', config: text('[profile base', 'region = us-east-1'), profile: 'base', outcome: { error: lineOf(1, 'section header has no closing "\\]"') } },
    { id: 'empty-header', config: text('[profile base]', '[  ]'), profile: 'base', outcome: { error: lineOf(2, 'section header has no name') } },
    {
      id: 'flattened',
      config: text('[profile base] region = us-east-1 [profile other] role_arn = x'),
      profile: 'base',
      outcome: { error: lineOf(1, 'text follows the section header on the same line; put each setting on its own line') },
    },
    { id: 'no-equals', config: text('[profile base]', 'region us-east-1'), profile: 'base', outcome: { error: lineOf(2, 'expected "key = value", a \\[section\\] header or a comment') } },
    { id: 'no-key', config: text('[profile base]', '  = us-east-1'), profile: 'base', outcome: { error: lineOf(2, 'a setting has no key before its "="') } },
    { id: 'nul-bytes', config: text('[profile base]', '\0\0\0\0'), profile: 'base', outcome: { error: lineOf(2, 'expected "key = value"') } },
    {
      id: 'invalid-utf8-line',
      config: Buffer.concat([Buffer.from('[profile base]\n'), Buffer.from(Array.from({ length: 128 }, (_, i) => 0x80 + i)), Buffer.from('\n')]),
      profile: 'base',
      outcome: { error: lineOf(2, 'expected "key = value"') },
    },
    {
      id: 'invalid-utf8-value',
      config: Buffer.concat([Buffer.from('[profile base]\nnote = \xff\xfe\xc3(\n', 'latin1'), Buffer.from('region = eu-west-1\n')]),
      profile: 'base',
      flags: NO_SESSION,
      outcome: { ok: { keys: { stored: 'base' }, region: 'eu-west-1' } },
    },
    {
      id: 'utf16',
      config: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('[profile base]\r\nregion = eu-west-1\r\n', 'utf16le')]),
      profile: 'base',
      outcome: { error: lineOf(1, 'the file is UTF-16 text; save it as UTF-8') },
    },
    {
      id: 'bom',
      config: `\uFEFF${text(...roleProfile('bom', 'target', 'base', 'region = eu-west-1'))}`,
      profile: 'target',
      outcome: { ok: { keys: 'temporary', region: 'eu-west-1', assumed: ['bom.target'] } },
    },
    {
      id: 'crlf',
      config: text(...roleProfile('crlf', 'target', 'base', 'region = eu-west-2')).replace(/\n/g, '\r\n'),
      profile: 'target',
      outcome: { ok: { keys: 'temporary', region: 'eu-west-2', assumed: ['crlf.target'] } },
    },
    {
      id: 'cr-only',
      config: text('[profile base]', ...roleProfile('cr-only', 'mid', 'base'), ...roleProfile('cr-only', 'top', 'mid', 'region = eu-west-3')).replace(/\n/g, '\r'),
      profile: 'top',
      outcome: { ok: { keys: 'temporary', region: 'eu-west-3', assumed: ['cr-only.mid', 'cr-only.top'] } },
    },
    {
      id: 'mixed-eol',
      config: `[profile target]\r\nsource_profile = base\nrole_arn = ${role('mixed-eol', 'target')}\rregion = ca-central-1\r\n`,
      profile: 'target',
      outcome: { ok: { keys: 'temporary', region: 'ca-central-1', assumed: ['mixed-eol.target'] } },
    },
    {
      id: 'duplicate-sections',
      config: text('[profile dup]', 'source_profile = base', '[profile other]', '[profile dup]', `role_arn = ${role('duplicate-sections', 'dup')}`, 'region = ap-south-1'),
      profile: 'dup',
      outcome: { ok: { keys: 'temporary', region: 'ap-south-1', assumed: ['duplicate-sections.dup'] } },
    },
    {
      id: 'duplicate-keys',
      config: text(...roleProfile('duplicate-keys', 'dup', 'base'), `role_arn = ${role('duplicate-keys', 'second')}`, 'region = us-west-1', 'region = us-west-2'),
      profile: 'dup',
      outcome: { ok: { keys: 'temporary', region: 'us-west-2', assumed: ['duplicate-keys.second'] } },
    },
    {
      id: 'default-twice',
      config: text('[default]', 'region = us-west-1', '[profile default]', 'region = us-west-2'),
      profile: 'default',
      flags: NO_SESSION,
      outcome: { ok: { keys: { stored: 'default' }, region: 'us-west-2' } },
    },
    {
      id: 'key-case-and-colons',
      config: text('[profile target]', 'Source_Profile: base', `ROLE_ARN : ${role('key-case-and-colons', 'target')}`, 'Region=sa-east-1'),
      profile: 'target',
      outcome: { ok: { keys: 'temporary', region: 'sa-east-1', assumed: ['key-case-and-colons.target'] } },
    },
    {
      id: 'continuation-value',
      config: text('[profile target]', 'source_profile = base', 'role_arn =', `    ${role('continuation-value', 'target')}`),
      profile: 'target',
      outcome: { ok: { keys: 'temporary', assumed: ['continuation-value.target'] } },
    },
    {
      id: 'continued-arn',
      config: text(...roleProfile('continued-arn', 'target', 'base'), '    extra-text'),
      profile: 'target',
      outcome: { error: invalid('role_arn', 'target', escape(badArn)) },
    },
    {
      id: 'other-sections',
      config: text('[sso-session corp]', 'sso_start_url = https://example.awsapps.com/start', '[services local]', 'sts =', '  endpoint_url = http://127.0.0.1:1', '[profile base]', 'region = eu-north-1'),
      profile: 'base',
      flags: NO_SESSION,
      outcome: { ok: { keys: { stored: 'base' }, region: 'eu-north-1' } },
    },
    {
      id: 'unprefixed-section',
      config: text('[profile base]', '[prod]', 'source_profile = base'),
      profile: 'prod',
      outcome: { error: /^vault: unknown profile prod: no \[profile prod\] section in \S+ and no stored keys; line 2 has \[prod\], which the config file ignores: write \[profile prod\]/ },
    },
    { id: 'typo', config: text('[profile base]', '[profile admin]'), profile: 'bsae', outcome: { error: /^vault: unknown profile bsae: .*did you mean base\?/ } },
    { id: 'empty-name', config: text('[profile base]'), profile: '', outcome: { error: /^vault: no profile named: the profile name is empty/ } },

    // ---- unicode and control characters
    {
      id: 'unicode-name',
      config: text('[profile ünïcødé]', 'region = eu-central-1'),
      profile: 'ünïcødé',
      flags: NO_SESSION,
      outcome: { ok: { keys: { stored: 'ünïcødé' }, region: 'eu-central-1' } },
    },
    {
      id: 'unicode-quoted-name',
      config: text('[profile "日本 語"]', 'region = ap-northeast-1'),
      profile: '日本 語',
      flags: NO_SESSION,
      outcome: { ok: { keys: { stored: '日本 語' }, region: 'ap-northeast-1' } },
    },
    {
      id: 'unicode-role',
      config: text('[profile t]', 'source_profile = base', `role_arn = arn:aws:iam::${ACCOUNT}:role/rôle`),
      profile: 't',
      outcome: { error: invalid('role_arn', 't', 'the role name after "role/" must be 1 to 64') },
    },
    { id: 'fullwidth-region', config: text('[profile base]', 'region = ｕｓ-east-1'), profile: 'base', outcome: { error: invalid('region', 'base', badRegion) } },
    {
      id: 'arabic-digits-duration',
      config: text(...roleProfile('arabic-digits-duration', 't', 'base', 'duration_seconds = ٣٦٠٠')),
      profile: 't',
      outcome: { error: invalid('duration_seconds', 't', badDuration) },
    },
    {
      id: 'emoji-session-name',
      config: text(...roleProfile('emoji-session-name', 't', 'base', 'role_session_name = me-🚀')),
      profile: 't',
      outcome: { error: invalid('role_session_name', 't', 'expected 2 to 64 letters') },
    },
    {
      id: 'line-separator-in-value',
      config: text('[profile base]', 'note = first\u2028second\u2029third', 'region = eu-west-1'),
      profile: 'base',
      flags: NO_SESSION,
      outcome: { ok: { keys: { stored: 'base' }, region: 'eu-west-1' } },
    },
    {
      id: 'terminal-escapes',
      config: text('[profile t]', 'source_profile = \x1b]0;owned\x07\x1b[2J\x0bx\x0cy\x7f'),
      profile: 't',
      outcome: { error: /^vault: t -> \\u001b\]0;owned\\u0007\\u001b\[2J\\u000bx\\u000cy\\u007f: \\u001b.* has no config section and no stored keys/ },
    },

    // ---- huge
    {
      id: 'huge-region',
      config: text('[profile base]', `region = ${'a'.repeat(1_000_000)}`),
      profile: 'base',
      outcome: { error: new RegExp(`^vault: invalid region "${'a'.repeat(120)}\\.\\.\\." in profile base .*: ${badRegion}`) },
    },
    {
      id: 'huge-unknown-value',
      config: text('[profile base]', `note = ${'é'.repeat(2_000_000)}`, 'region = eu-south-1'),
      profile: 'base',
      flags: NO_SESSION,
      outcome: { ok: { keys: { stored: 'base' }, region: 'eu-south-1' } },
    },
    {
      id: 'huge-single-line',
      config: 'x'.repeat(8_000_000),
      profile: 'base',
      outcome: { error: lineOf(1, 'a setting comes before any \\[section\\] header') },
    },
    {
      id: 'twenty-thousand-profiles',
      config: text(...Array.from({ length: 20_000 }, (_, i) => `[profile filler-${i}]\nregion = us-east-1`), '[profile base]', 'region = me-south-1'),
      profile: 'base',
      flags: NO_SESSION,
      outcome: { ok: { keys: { stored: 'base' }, region: 'me-south-1' } },
    },
    {
      id: 'long-session-name',
      config: text(...roleProfile('long-session-name', 't', 'base', `role_session_name = ${'n'.repeat(65)}`)),
      profile: 't',
      outcome: { error: invalid('role_session_name', 't', 'expected 2 to 64 letters') },
    },
    {
      id: 'long-external-id',
      config: text(...roleProfile('long-external-id', 't', 'base', `external_id = ${'e'.repeat(1225)}`)),
      profile: 't',
      outcome: { error: invalid('external_id', 't', 'expected 2 to 1224 letters') },
    },

    // ---- sources, self-reference, cycles, includes
    { id: 'missing-source', config: text('[profile t]', 'source_profile = gone'), profile: 't', outcome: { error: /^vault: t -> gone: gone has no config section and no stored keys/ } },
    {
      id: 'missing-source-deep',
      config: text(...roleProfile('missing-source-deep', 't', 'mid'), ...roleProfile('missing-source-deep', 'mid', 'gone')),
      profile: 't',
      outcome: { error: /^vault: t -> mid -> gone: gone has no config section and no stored keys/ },
    },
    {
      id: 'self-source-role',
      config: text('[profile selfish]', 'source_profile = selfish', `role_arn = ${role('self-source-role', 'selfish')}`),
      profile: 'selfish',
      outcome: { ok: { keys: 'temporary', assumed: ['self-source-role.selfish'] } },
    },
    {
      id: 'self-source-keys-only',
      config: text('[profile selfish]', 'source_profile = selfish', 'region = af-south-1'),
      profile: 'selfish',
      flags: NO_SESSION,
      outcome: { ok: { keys: { stored: 'selfish' }, region: 'af-south-1' } },
    },
    {
      id: 'self-source-no-keys',
      config: text('[profile lonely]', 'source_profile = lonely', `role_arn = ${role('self-source-no-keys', 'lonely')}`),
      profile: 'lonely',
      outcome: { error: /^vault: no credentials for profile lonely \(lonely -> lonely\): its source_profile is itself, which means its own stored keys, and none are stored/ },
    },
    {
      id: 'cycle-two',
      config: text(...roleProfile('cycle-two', 'a', 'b'), ...roleProfile('cycle-two', 'b', 'a')),
      profile: 'a',
      outcome: { error: /^vault: profile cycle: a -> b -> a \(through source_profile\)/ },
    },
    {
      id: 'cycle-below-target',
      config: text(...roleProfile('cycle-below-target', 't', 'a'), '[profile a]', 'source_profile = b', '[profile b]', 'source_profile = a'),
      profile: 't',
      outcome: { error: /^vault: profile cycle: t -> a -> b -> a \(through source_profile\)/ },
    },
    {
      id: 'include-cycle',
      config: text('[profile a]', 'include_profile = b', '[profile b]', 'include_profile = a'),
      profile: 'a',
      outcome: { error: /^vault: profile cycle: a -> b -> a \(through include_profile\)/ },
    },
    { id: 'include-self', config: text('[profile a]', 'include_profile = a'), profile: 'a', outcome: { error: /^vault: profile cycle: a -> a \(through include_profile\)/ } },
    // Ignored, as aws-vault ignores it: the profile's own settings still apply.
    {
      id: 'include-missing',
      config: text('[profile base]', 'include_profile = nowhere', 'region = eu-west-1'),
      profile: 'base',
      flags: NO_SESSION,
      outcome: { ok: { keys: { stored: 'base' }, region: 'eu-west-1' } },
    },
    {
      id: 'include-role',
      config: text('[profile t]', 'include_profile = shared', 'source_profile = base', '[profile shared]', `role_arn = ${role('include-role', 'shared')}`, 'region = il-central-1'),
      profile: 't',
      outcome: { ok: { keys: 'temporary', region: 'il-central-1', assumed: ['include-role.shared'] } },
    },

    // ---- 1,000 hops: past the 32-profile chain limit (docs/config.md, Limits), whatever the chain holds
    {
      id: 'chain-1000-role-on-top',
      config: longChain(1000, (i) => (i === 0 ? [`role_arn = ${role('chain-1000-role-on-top', 'top')}`] : []), ['source_profile = base']),
      profile: 'p0',
      outcome: { error: chainTooLong },
    },
    {
      id: 'chain-1000-keys',
      config: longChain(1000, () => [], ['source_profile = base', 'region = ap-east-1']),
      profile: 'p0',
      flags: NO_SESSION,
      outcome: { error: chainTooLong },
    },
    {
      id: 'cycle-1000',
      config: longChain(1000, (i) => [`role_arn = ${role('cycle-1000', `r${i}`)}`], ['source_profile = p0']),
      profile: 'p0',
      outcome: { error: chainTooLong },
    },
    {
      id: 'missing-1000',
      config: longChain(1000, () => [], ['source_profile = gone']),
      profile: 'p0',
      outcome: { error: chainTooLong },
    },
    {
      id: 'invalid-at-depth-1000',
      config: longChain(1000, () => [], ['source_profile = base', `role_arn = arn:aws:iam::${ACCOUNT}:role/`]),
      profile: 'p0',
      outcome: { error: chainTooLong },
    },
    {
      // 31 profiles and the base: the longest chain vault follows; the deepest profile's region is not the target's.
      id: 'chain-32-keys',
      config: longChain(31, () => [], ['source_profile = base', 'region = ap-east-1']),
      profile: 'p0',
      flags: NO_SESSION,
      outcome: { ok: { keys: { stored: 'base' } } },
    },
    {
      id: 'include-1000',
      config: longIncludes(1000, ['source_profile = base', `role_arn = ${role('include-1000', 'deep')}`, 'region = ap-southeast-2']),
      profile: 'p0',
      outcome: { ok: { keys: 'temporary', region: 'ap-southeast-2', assumed: ['include-1000.deep'] } },
    },
    {
      id: 'roles-20',
      config: longChain(20, (i) => [`role_arn = ${role('roles-20', `r${i}`)}`], ['source_profile = base']),
      profile: 'p0',
      outcome: { ok: { keys: 'temporary', assumed: Array.from({ length: 20 }, (_, i) => `roles-20.r${19 - i}`) } },
    },

    // ---- role ARNs
    ...(
      [
        ['arn-short-account', 'arn:aws:iam::12345:role/x', 'the account id has 5 digits; AWS account ids have 12'],
        ['arn-letters-account', 'arn:aws:iam::12345678901x:role/x', 'the account id must be 12 digits'],
        ['arn-user', `arn:aws:iam::${ACCOUNT}:user/x`, escape(badArn)],
        ['arn-assumed-role', `arn:aws:sts::${ACCOUNT}:assumed-role/x/session`, escape(badArn)],
        ['arn-partition', `arn:azure:iam::${ACCOUNT}:role/x`, '"azure" is not an AWS partition'],
        ['arn-long-name', `arn:aws:iam::${ACCOUNT}:role/${'r'.repeat(65)}`, 'the role name after "role/" must be 1 to 64'],
        ['arn-space', `arn:aws:iam::${ACCOUNT}:role/my role`, 'the role name after "role/" must be 1 to 64'],
        ['arn-empty', '', escape(badArn)],
        ['arn-comment', `arn:aws:iam::${ACCOUNT}:role/x # prod`, '.*\\(comments must be on their own line\\)'],
        ['arn-not-arn', 'admin', escape(badArn)],
      ] as const
    ).map(([id, arn, reason]): ConfigCase => ({
      id,
      config: text('[profile t]', 'source_profile = base', `role_arn = ${arn}`),
      profile: 't',
      outcome: { error: invalid('role_arn', 't', reason) },
    })),
    {
      id: 'arn-with-path',
      config: text('[profile t]', 'source_profile = base', `role_arn = ${role('arn-with-path', 't', 'team/ops/')}`),
      profile: 't',
      outcome: { ok: { keys: 'temporary', assumed: ['arn-with-path.t'] } },
    },

    // ---- durations
    ...(['899', '43201', '1h', '-1', '3600.0', '0x384', '99999999999999999999'] as const).map(
      (value, i): ConfigCase => ({
        id: `duration-${i}`,
        config: text(...roleProfile(`duration-${i}`, 't', 'base', `duration_seconds = ${value}`)),
        profile: 't',
        outcome: { error: invalid('duration_seconds', 't', badDuration) },
      }),
    ),
    {
      id: 'duration-900',
      config: text(...roleProfile('duration-900', 't', 'base', 'duration_seconds = 900')),
      profile: 't',
      outcome: { ok: { keys: 'temporary', assumed: ['duration-900.t'], assumeSeconds: '900' } },
    },
    {
      id: 'cli-duration-subsecond',
      config: text('[profile base]'),
      profile: 'base',
      flags: ['--duration', '500ms'],
      outcome: { error: /^vault: invalid duration "500ms": it is less than a second/ },
    },
    {
      // aws-vault's `--duration 0`: the default (1 h).
      id: 'cli-duration-zero',
      config: text(...roleProfile('cli-duration-zero', 't', 'base')),
      profile: 't',
      flags: ['--duration', '0'],
      outcome: { ok: { keys: 'temporary', assumed: ['cli-duration-zero.t'], assumeSeconds: '3600' } },
    },
    {
      id: 'cli-duration-overflow',
      config: text('[profile base]'),
      profile: 'base',
      flags: ['--duration', '99999999999999999999999'],
      outcome: { error: /^vault: invalid duration "99999999999999999999999": it is too long/ },
    },
    {
      id: 'cli-duration-days',
      config: text('[profile base]'),
      profile: 'base',
      flags: ['--duration', '2d'],
      outcome: { error: /^vault: invalid duration "2d": use seconds \(3600\) or h\/m\/s units/ },
    },
    {
      id: 'cli-duration-over-role-max',
      config: text(...roleProfile('cli-duration-over-role-max', 't', 'base')),
      profile: 't',
      flags: ['--duration', '13h'],
      outcome: { error: /^vault: .*13h \(46800 s\) is outside what .* allows: 15m to 12h/ },
    },

    // ---- regions
    ...(
      [
        ['region-upper', 'US-EAST-1', badRegion],
        ['region-underscore', 'us_east_1', badRegion],
        ['region-comment', 'us-east-1 # prod', `${badRegion} \\(comments must be on their own line\\)`],
        ['region-url', 'https://sts.us-east-1.amazonaws.com', badRegion],
      ] as const
    ).map(([id, value, reason]): ConfigCase => ({
      id,
      config: text('[profile base]', `region = ${value}`),
      profile: 'base',
      outcome: { error: invalid('region', 'base', reason) },
    })),
    { id: 'region-empty', config: text('[profile base]', 'region ='), profile: 'base', flags: NO_SESSION, outcome: { ok: { keys: { stored: 'base' } } } },
    {
      id: 'region-unknown-but-well-formed',
      config: text(...roleProfile('region-unknown-but-well-formed', 't', 'base', 'region = mars-north-1')),
      profile: 't',
      outcome: { ok: { keys: 'temporary', region: 'mars-north-1', assumed: ['region-unknown-but-well-formed.t'] } },
    },
    {
      id: 'cli-region-bad',
      config: text('[profile base]'),
      profile: 'base',
      flags: ['--no-session', '--region', 'us east 1'],
      outcome: { error: /^vault: --region "us east 1" is not valid: expected a region name like us-east-1/, exitCode: 2 },
    },

    // ---- credential sources that cannot work here (incomplete, or absent on this machine), and credential_process
    {
      id: 'credential-source',
      config: text('[profile t]', `role_arn = ${role('credential-source', 't')}`, 'credential_source = Ec2InstanceMetadata'),
      profile: 't',
      outcome: { error: /^vault: credential_source = Ec2InstanceMetadata: the instance metadata service is disabled \(AWS_EC2_METADATA_DISABLED=true\)/ },
    },
    {
      id: 'sso',
      config: text('[profile t]', 'sso_session = corp', 'sso_account_id = 123456789012', '[sso-session corp]', 'sso_start_url = https://x'),
      profile: 't',
      outcome: { error: /^vault: profile t: \[sso-session corp\] needs sso_start_url and sso_region/ },
    },
    {
      id: 'web-identity',
      config: text('[profile t]', `role_arn = ${role('web-identity', 't')}`, 'web_identity_token_file = /var/run/token'),
      profile: 't',
      outcome: { error: /^vault: profile t: cannot read web_identity_token_file \/var\/run\/token \(ENOENT\)/ },
    },
    {
      id: 'role-without-source',
      config: text('[profile t]', `role_arn = ${role('role-without-source', 't')}`),
      profile: 't',
      outcome: { error: /^vault: profile t: role_arn has no source_profile, credential_source, credential_process or SSO settings to assume it with/ },
    },
    {
      id: 'process-fails',
      config: text('[profile t]', 'credential_process = sh -c "exit 3"'),
      profile: 't',
      outcome: { error: /^vault: credential_process of profile t failed: it exited with status 3\./ },
    },
    {
      id: 'process-prints-secret-badly',
      config: text('[profile t]', processJson({ Version: 2, AccessKeyId: 'AKIAPROCESSPROCESS01', SecretAccessKey: 'process-secret-must-not-print' })),
      profile: 't',
      outcome: { error: /^vault: credential_process of profile t failed: its JSON must have "Version": 1\./ },
    },
    {
      id: 'process-keys',
      config: text('[profile t]', processJson({ Version: 1, AccessKeyId: 'AKIAPROCESSPROCESS02', SecretAccessKey: 'process-secret-2' }), 'region = us-east-2'),
      profile: 't',
      outcome: { ok: { keys: { processKeyId: 'AKIAPROCESSPROCESS02' }, region: 'us-east-2' } },
    },
    {
      id: 'process-then-role',
      config: text(
        '[profile src]',
        processJson({ Version: 1, AccessKeyId: 'AKIAPROCESSPROCESS03', SecretAccessKey: 'process-secret-3' }),
        ...roleProfile('process-then-role', 't', 'src'),
      ),
      profile: 't',
      outcome: { ok: { keys: 'temporary', assumed: ['process-then-role.t'] } },
    },
  ];
  return cases;
}
