import fc from 'fast-check';
import { parseArgs } from 'node:util';
import { fastArgs, tokensWithoutOptions } from './fast-path.js';

const fastExecArgs = (argv: string[]) => {
  const fast = fastArgs(argv);
  if (fast) expect(fast.spec.name).toBe('exec');
  return fast?.parsed;
};

/** What yargs hands exec's handler: every option's default, then what was given. */
function parsed(overrides: Record<string, unknown> = {}) {
  return {
    debug: false,
    session: true,
    assume: [],
    verbose: false,
    json: false,
    server: false,
    'ec2-server': false,
    lazy: false,
    redact: false,
    profile: 'p',
    command: [],
    '--': [],
    ...overrides,
  };
}

describe('fastArgs, exec: what it takes over from yargs', () => {
  it.each<[string[], Record<string, unknown>]>([
    // yargs reads them as exec's [command..] positional; the handler runs them the same.
    [['exec', 'p', 'aws', 's3', 'ls'], { command: ['aws', 's3', 'ls'] }],
    [['exec', '', '--', 'x'], { profile: '', '--': ['x'] }],
    [['exec', 'p', '--', 'aws', 's3', 'ls'], { '--': ['aws', 's3', 'ls'] }],
    [['exec', 'p'], {}],
    [['exec'], { profile: undefined }],
    [['exec', '--', 'true'], { profile: undefined, '--': ['true'] }],
    [['exec', 'p', '--no-session', '--', 'x'], { session: false, '--': ['x'] }],
    [['exec', 'p', '--session', '--', 'x'], { '--': ['x'] }],
    [['exec', 'p', '-n', '--', 'x'], { n: true, '--': ['x'] }],
    [['exec', '--region', 'eu-west-2', 'p', '--', 'x'], { region: 'eu-west-2', '--': ['x'] }],
    [['exec', 'p', '--region=eu-west-2'], { region: 'eu-west-2' }],
    [['exec', 'p', '-d', '15m', '--', 'x'], { duration: '15m', '--': ['x'] }],
    [['exec', 'p', '--duration', '3600'], { duration: '3600' }],
    [['exec', 'p', '-t', '012345'], { 'mfa-token': '012345' }],
    [['exec', 'p', '--mfa-token=012345'], { 'mfa-token': '012345' }],
    [['exec', 'p', '--assume', 'a', '--assume', 'arn:aws:iam::1:role/b'], { assume: ['a', 'arn:aws:iam::1:role/b'] }],
    [['exec', 'p', '--json'], { json: true }],
    [['exec', 'p', '--no-json'], { json: false }],
    [['exec', 'p', '--server', '--', 'x'], { server: true, '--': ['x'] }],
    [['exec', 'p', '--ecs-server', '--', 'x'], { server: true, '--': ['x'] }],
    [['exec', 'p', '--verbose', '--', 'x'], { verbose: true, '--': ['x'] }],
    // Everything after -- is the command's, even what looks like vault's options.
    [['exec', 'p', '--', 'aws', '--region', 'x', '--debug', '--', '0123'], { '--': ['aws', '--region', 'x', '--debug', '--', '0123'] }],
  ])('%j', (argv, expected) => {
    expect(fastExecArgs(argv)).toEqual(parsed(expected));
  });

  it('takes --debug', () => {
    expect(fastExecArgs(['exec', 'p', '--debug', '--', 'x'])).toEqual(parsed({ debug: true, '--': ['x'] }));
  });
});

describe('fastArgs, exec: what it leaves to yargs', () => {
  it.each<[string, string[]]>([
    ['an option before the command', ['--debug', 'exec', 'p']],
    ['help', ['exec', '--help']],
    ['-h', ['exec', '-h']],
    ['an unknown option', ['exec', 'p', '--bogus', '--', 'x']],
    ['a camel-case spelling', ['exec', 'p', '--mfaToken', '123456']],
    ['an option after the command given without --', ['exec', 'p', 'aws', 's3', 'ls', '--region', 'x']],
    ['a boolean after the command given without --', ['exec', 'p', 'aws', '--debug']],
    ['a repeated option', ['exec', 'p', '--region', 'a', '--region', 'b']],
    ['--session with --no-session', ['exec', 'p', '--session', '--no-session']],
    ['-j with --no-json', ['exec', 'p', '-j', '--no-json']],
    ['a short option with its value attached', ['exec', 'p', '-d1h']],
    ['a short-option group', ['exec', 'p', '-dt', '1h']],
    ['a boolean given a value', ['exec', 'p', '--json=false']],
    ['a string option without its value', ['exec', 'p', '--region']],
    ['a value that looks like an option', ['exec', 'p', '--region', '-x']],
  ])('%s', (_, argv) => {
    expect(fastExecArgs(argv)).toBeUndefined();
  });
});

describe('fastArgs, every other command of the table', () => {
  it.each<[string[], string, Record<string, unknown>]>([
    [['export', '--format', 'json', 'p'], 'export', { format: 'json', profile: 'p' }],
    [['export', 'p'], 'export', { format: 'env', profile: 'p' }],
    [['list'], 'list', { json: false, profiles: false }],
    [['ls', '--json'], 'list', { json: true }],
    [['remove', 'p', '-f'], 'remove', { profile: 'p' }],
    [['import', 'a', 'b'], 'import', { profiles: ['a', 'b'] }],
    [['import'], 'import', { profiles: [] }],
    [['completion', 'zsh'], 'completion', { shell: 'zsh' }],
    [['passphrase', '--kdf', 'moderate'], 'passphrase', { kdf: 'moderate' }],
    [['whoami'], 'whoami', { session: true }],
  ])('%j', (argv, name, expected) => {
    const fast = fastArgs(argv);
    expect(fast?.spec.name).toBe(name);
    expect(fast?.parsed).toMatchObject(expected);
  });

  it.each<[string, string[]]>([
    ['no command', []],
    ['help', ['help', 'exec']],
    ['--version', ['--version']],
    ['a group of subcommands', ['config', 'set-role', 'r', '--source', 's', '--role-arn', 'arn:aws:iam::1:role/r']],
    ['an unknown command', ['lst']],
    ['a value outside the choices', ['export', '--format', 'yaml', 'p']],
    ['a positional outside the choices', ['completion', 'fish']],
    ['a missing required positional', ['remove']],
    ['an extra positional', ['export', 'p', 'q']],
    ['words after -- for a command that runs none', ['export', 'p', '--', 'x']],
    ['help for a command', ['list', '--help']],
  ])('leaves %s to yargs', (_, argv) => {
    expect(fastArgs(argv)).toBeUndefined();
  });
});

describe('tokensWithoutOptions: a command line with no option before its --', () => {
  const word = fc.string({ maxLength: 6 });
  const noOption = word.filter((w) => !w.startsWith('-'));

  it('gives the tokens node:util parseArgs gives', () => {
    fc.assert(
      fc.property(fc.array(noOption, { maxLength: 5 }), fc.option(fc.array(word, { maxLength: 5 })), (before, after) => {
        const args = after === null ? before : [...before, '--', ...after];
        const { tokens } = parseArgs({ args, options: {}, strict: true, allowPositionals: true, tokens: true });
        expect(tokensWithoutOptions(args)).toEqual(tokens.map(({ index: _, ...token }) => token));
      }),
    );
  });

  it.each([[['p', '-n']], [['-', '--', 'x']], [['--region=x', 'p']]])('leaves %j to the parser', (args) => {
    expect(tokensWithoutOptions(args)).toBeUndefined();
  });
});
