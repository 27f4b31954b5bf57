// The whole command line in-process: real argv through the real command table (yargs or the exec fast path) and
// real command modules, to the exit status and the bytes written to stdout and stderr.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS } from './argv/commands.js';
import type { CommandSpec } from './argv/spec.js';
import { inProcessEnv, runCaptured } from './argv/in-process.fixture.js';

let dir: string;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vault-main-'));
  env = inProcessEnv(dir);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function vault(...args: string[]) {
  return runCaptured(args, env);
}

test('--version and --help print to stdout and exit 0', async () => {
  expect(await vault('--version')).toEqual({ status: 0, stdout: '0.1.0\n', stderr: '' });
  const help = await vault('exec', '--help');
  expect(help.status).toBe(0);
  expect(help.stdout).toContain('vault exec [profile] [command..]');
  expect(help.stdout).toContain('--ecs-server');
});

test('a usage error is one line on stderr with exit status 2', async () => {
  expect(await vault('frob')).toEqual({ status: 2, stdout: '', stderr: 'vault: unknown command "frob". See `vault --help`.\n' });
  // The fast path and yargs apply the same cross-option rule.
  for (const argv of [['exec', 'p', '--server', '--json'], ['exec', '-s', 'p', '-j']]) {
    expect((await vault(...argv)).stderr).toBe('vault: --server runs a command and --json prints credentials: use one. See `vault --help`.\n');
  }
});

test("--debug shows no stack for a usage error, and a --debug after `--` is the command's, not vault's", async () => {
  const misplaced = await vault('exec', 'p', 'echo', '--debug');
  expect(misplaced.status).toBe(2);
  expect(misplaced.stderr).toMatch(/^vault: put the command after `--`[^\n]*\n$/);
  const childs = await vault('exec', 'no-such-profile', '--', 'echo', '--debug');
  expect(childs.status).toBe(1);
  expect(childs.stderr).toMatch(/^vault: [^\n]*no-such-profile[^\n]*\n$/);
  expect((await vault('--debug', 'exec', 'no-such-profile', '--', 'true')).stderr).toMatch(/\n\s+at /);
});

/** Every single-valued option with a value of every command, with what its command needs besides. */
function singleValuedOptions(table: readonly CommandSpec[], path: string[] = []): [string, string[]][] {
  return table.flatMap((spec) => {
    const words = [...path, spec.name];
    const required = spec.positionals.filter((p) => p.required).map(() => 'x');
    const needed = Object.entries(spec.options).filter(([, o]) => o.required);
    const cases = Object.entries(spec.options)
      .filter(([, o]) => o.type === 'string' && !o.repeatable)
      .map(([name, o]): [string, string[]] => {
        const value = o.choices?.[0] ?? '1h';
        const others = needed.filter(([n]) => n !== name).flatMap(([n]) => [`--${n}`, 'x']);
        return [name, [...words, ...required, ...others, `--${name}`, value, `--${name}`, value]];
      });
    return [...cases, ...singleValuedOptions(spec.subcommands ?? [], words)];
  });
}

test.each(singleValuedOptions(COMMANDS))('--%s given twice is a usage error, not a crash: %j', async (name, argv) => {
  expect(await vault(...argv)).toEqual({ status: 2, stdout: '', stderr: `vault: --${name} was given more than once: give it once. See \`vault --help\`.\n` });
});

test('the cases the issue names: exec on the fast path and with a short and a long spelling', async () => {
  for (const argv of [['exec', 'p', '--duration', '1h', '--duration', '2h', '--', 'true'], ['exec', 'p', '-d', '1h', '--duration', '2h']]) {
    const { status, stderr } = await vault(...argv);
    expect(status).toBe(2);
    expect(stderr).toBe('vault: --duration was given more than once: give it once. See `vault --help`.\n');
  }
});

test('add, then exec --json on the fast path: stored keys out as credential_process JSON', async () => {
  env = { ...env, AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE12', AWS_SECRET_ACCESS_KEY: 'secret/EXAMPLE' };
  expect((await vault('add', 'p', '--env')).status).toBe(0);
  const { status, stdout, stderr } = await vault('exec', 'p', '--no-session', '--json');
  expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
  expect(JSON.parse(stdout)).toMatchObject({ Version: 1, AccessKeyId: 'AKIAEXAMPLEEXAMPLE12', SecretAccessKey: 'secret/EXAMPLE' });
});

test('a missing profile and an unknown option are named as typed', async () => {
  expect(await vault('add')).toMatchObject({ status: 2, stderr: 'vault: add needs PROFILE: vault add PROFILE. See `vault --help`.\n' });
  expect(await vault('list', '--bogus')).toMatchObject({ status: 2, stderr: 'vault: list has no option --bogus. See `vault --help`.\n' });
  expect(await vault('unlock', '--ttl', '25h')).toMatchObject({ status: 2, stderr: expect.stringContaining('a vault may stay unlocked: give 24h or less') });
});

test('`--` ends the options: add and remove take the name after it, as a script writes them', async () => {
  env = { ...env, AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE12', AWS_SECRET_ACCESS_KEY: 'secret/EXAMPLE' };
  expect(await vault('add', '--env', '--no-add-config', '--', 'team')).toMatchObject({ status: 0, stderr: 'Added credentials to profile "team" in vault.\n' });
  expect((await vault('list', '--credentials')).stdout).toBe('team\n');
  expect(await vault('remove', '-f', '--', 'team')).toMatchObject({ status: 0 });
  expect((await vault('list', '--credentials')).stdout).not.toContain('team');
  const dashed = await vault('add', '--env', '--', '-team');
  expect({ status: dashed.status, stderr: dashed.stderr }).toEqual({ status: 2, stderr: expect.stringContaining('takes no name beginning with "-"') });
});

test('add --add-config leaves a quoted [profile "foo"] alone instead of appending a duplicate', async () => {
  env = { ...env, AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE12', AWS_SECRET_ACCESS_KEY: 'secret/EXAMPLE' };
  const config = '[profile "foo"]\nregion = eu-west-1\n';
  await writeFile(env.AWS_CONFIG_FILE as string, config);
  expect((await vault('add', 'foo', '--env', '--add-config')).status).toBe(0);
  expect(await readFile(env.AWS_CONFIG_FILE as string, 'utf8')).toBe(config);
  expect((await vault('add', 'bar', '--env', '--add-config')).status).toBe(0);
  expect(await readFile(env.AWS_CONFIG_FILE as string, 'utf8')).toBe(`${config}\n[profile bar]\n`);
});

test('an error of a command comes back as its status and line, without touching the process', async () => {
  await writeFile(env.AWS_CONFIG_FILE as string, '[profile a]\nregion = eu-west-1\n');
  const { status, stdout, stderr } = await vault('list', '--json');
  expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
  expect(stdout).toContain('"a"');
  expect((await vault('exec', 'nope', '--no-session', '--json')).stderr).toMatch(/^vault: unknown profile nope/);
  expect(await readFile(env.AWS_CONFIG_FILE as string, 'utf8')).toBe('[profile a]\nregion = eu-west-1\n');
});

test('with no terminal, each prompt-less failure names its own remedy, not another command\'s', async () => {
  const { AWS_VAULT_FILE_PASSPHRASE: _, ...noPassphrase } = env;
  expect(await runCaptured(['add', 'p'], noPassphrase)).toEqual({
    status: 1,
    stdout: '',
    stderr: 'vault: no terminal to ask for the keys on: use `vault add --env` with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run from a terminal.\n',
  });
  const withKeys = { ...noPassphrase, AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE12', AWS_SECRET_ACCESS_KEY: 'secret/EXAMPLE' };
  expect((await runCaptured(['add', 'p', '--env'], withKeys)).stderr).toBe(
    'vault: a new vault passphrase is needed but there is no terminal to ask on: set AWS_VAULT_FILE_PASSPHRASE, or run from a terminal.\n',
  );
  // With a vault: an unlocked agent would spare `exec` the passphrase, never `unlock` or `passphrase` themselves.
  expect((await runCaptured(['add', 'p', '--env'], { ...withKeys, AWS_VAULT_FILE_PASSPHRASE: 'pw' })).status).toBe(0);
  expect((await runCaptured(['exec', 'p', '--no-session', '--json'], noPassphrase)).stderr).toContain('run `vault unlock` first');
  for (const command of [['unlock'], ['passphrase']]) {
    expect((await runCaptured(command, noPassphrase)).stderr).toBe(
      'vault: the vault passphrase is needed but there is no terminal to ask on: set AWS_VAULT_FILE_PASSPHRASE or run from a terminal.\n',
    );
  }
});
