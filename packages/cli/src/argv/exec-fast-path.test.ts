import { fastExecArgs } from './exec-fast-path.js';

const env = { AWS_PROFILE: 'from-env' };

function args(overrides: Record<string, unknown> = {}) {
  return {
    profile: 'p',
    noSession: false,
    durationSeconds: undefined,
    mfaToken: undefined,
    region: undefined,
    assume: [],
    command: [],
    json: false,
    server: false,
    ...overrides,
  };
}

describe('fastExecArgs: what it takes over from yargs', () => {
  it.each<[string[], Record<string, unknown>]>([
    [['exec', 'p', '--', 'aws', 's3', 'ls'], { command: ['aws', 's3', 'ls'] }],
    [['exec', 'p'], {}],
    [['exec'], { profile: 'from-env' }],
    [['exec', '--', 'true'], { profile: 'from-env', command: ['true'] }],
    [['exec', 'p', '--no-session', '--', 'x'], { noSession: true, command: ['x'] }],
    [['exec', 'p', '--session', '--', 'x'], { command: ['x'] }],
    [['exec', '--region', 'eu-west-2', 'p', '--', 'x'], { region: 'eu-west-2', command: ['x'] }],
    [['exec', 'p', '--region=eu-west-2'], { region: 'eu-west-2' }],
    [['exec', 'p', '-d', '15m', '--', 'x'], { durationSeconds: 900, command: ['x'] }],
    [['exec', 'p', '--duration', '3600'], { durationSeconds: 3600 }],
    [['exec', 'p', '-t', '012345'], { mfaToken: '012345' }],
    [['exec', 'p', '--mfa-token=012345'], { mfaToken: '012345' }],
    [['exec', 'p', '--assume', 'a', '--assume', 'arn:aws:iam::1:role/b'], { assume: ['a', 'arn:aws:iam::1:role/b'] }],
    [['exec', 'p', '--json'], { json: true }],
    // Everything after -- is the command's, even what looks like vault's options.
    [['exec', 'p', '--', 'aws', '--region', 'x', '--debug', '--', '0123'], { command: ['aws', '--region', 'x', '--debug', '--', '0123'] }],
  ])('%j', (argv, expected) => {
    expect(fastExecArgs(argv, env)).toEqual({ debug: false, args: args(expected) });
  });

  it('takes --debug', () => {
    expect(fastExecArgs(['exec', 'p', '--debug', '--', 'x'], env)).toEqual({ debug: true, args: args({ command: ['x'] }) });
  });

  it('throws the same duration error yargs would reach', () => {
    expect(() => fastExecArgs(['exec', 'p', '-d', 'soon'], env)).toThrow(/invalid duration "soon"/);
  });
});

describe('fastExecArgs: what it leaves to yargs', () => {
  it.each<[string, string[]]>([
    ['another command', ['list']],
    ['an option before the command', ['--debug', 'exec', 'p']],
    ['help', ['exec', '--help']],
    ['-h', ['exec', '-h']],
    ['an unknown option', ['exec', 'p', '--bogus', '--', 'x']],
    ['an option only yargs knows (--server)', ['exec', 'p', '--server', '--', 'x']],
    ['a camel-case spelling', ['exec', 'p', '--mfaToken', '123456']],
    ['a command without --', ['exec', 'p', 'aws', 's3', 'ls']],
    ['a repeated option', ['exec', 'p', '--region', 'a', '--region', 'b']],
    ['--session with --no-session', ['exec', 'p', '--session', '--no-session']],
    ['a short option with its value attached', ['exec', 'p', '-d1h']],
    ['a short-option group', ['exec', 'p', '-dt', '1h']],
    ['a boolean given a value', ['exec', 'p', '--json=false']],
    ['a string option without its value', ['exec', 'p', '--region']],
    ['a value that looks like an option', ['exec', 'p', '--region', '-x']],
    ['--no-json', ['exec', 'p', '--no-json']],
  ])('%s', (_, argv) => {
    expect(fastExecArgs(argv, env)).toBeUndefined();
  });
});
