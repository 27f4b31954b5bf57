// aws-vault's commands and flags (issue 14), in-process through `run`: real argv, real command table and modules.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inProcessEnv, runCaptured } from './in-process.fixture.js';
import { flagOrEnv } from './commands.js';
import { checkCommandAfterDashes } from './command-after-dashes.js';
import { helpRequest } from './yargs-parser.js';
import { editDistance, nearest } from './unknown-command.js';

let dir: string;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vault-surface-'));
  env = inProcessEnv(dir);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function vault(...args: string[]) {
  return runCaptured(args, env);
}

async function addKeys(profile: string, ...flags: string[]) {
  const saved = env;
  env = { ...env, AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE12', AWS_SECRET_ACCESS_KEY: 'secret/EXAMPLE' };
  const result = await vault('add', profile, '--env', ...flags);
  env = saved;
  return result;
}

describe('help and version', () => {
  test('bare `vault` prints the help, exit 0', async () => {
    const { status, stdout, stderr } = await vault();
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    expect(stdout).toContain('vault <command> [options]');
    expect(stdout).toContain('vault exec [profile] [command..]');
  });

  test('`vault help COMMAND` is `vault COMMAND --help`', async () => {
    expect(await vault('help', 'list')).toEqual(await vault('list', '--help'));
    expect((await vault('help', 'list')).stdout).toContain('--credentials');
    expect(await vault('help')).toEqual(await vault('--help'));
    expect(helpRequest(['help', 'exec', '--debug'])).toEqual(['exec', '--help']);
  });

  test('`vault version`, -v and --version print the version', async () => {
    const expected = { status: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/), stderr: '' };
    for (const argv of [['version'], ['-v'], ['--version']]) expect(await vault(...argv)).toEqual(expected);
  });

  test('an unknown command suggests the nearest one, when one is near', async () => {
    expect((await vault('lst')).stderr).toBe('vault: unknown command "lst": did you mean list? See `vault --help`.\n');
    expect((await vault('exce', 'p')).stderr).toMatch(/did you mean exec\?/);
    expect((await vault('rotat')).stderr).toMatch(/did you mean rotate\?/);
    expect(await vault('frob')).toEqual({ status: 2, stdout: '', stderr: 'vault: unknown command "frob". See `vault --help`.\n' });
    expect(nearest('whomai', ['whoami', 'login'])).toBe('whoami');
    expect(nearest('ab', ['rm', 'ls'])).toBeUndefined();
    expect(editDistance('exce', 'exec')).toBe(1);
  });
});

describe('exec: the command goes after --', () => {
  test('an option after the command, without --, is one line naming the fix', async () => {
    for (const argv of [['exec', 'p', 'ls', '-la'], ['exec', '--region', 'eu-west-1', 'p', 'aws', 's3', 'ls', '--recursive']]) {
      const { status, stdout, stderr } = await vault(...argv);
      expect({ status, stdout }).toEqual({ status: 2, stdout: '' });
      expect(stderr).toMatch(/^vault: put the command after `--` \(vault exec p -- (ls|aws) \.\.\.\)/);
      expect(stderr.split('\n').filter(Boolean)).toHaveLength(1);
    }
    // Only the program's name is repeated, never its arguments.
    expect((await vault('exec', 'p', 'mysql', '-psecretpassword')).stderr).not.toContain('secretpassword');
    expect(() => checkCommandAfterDashes(['exec', 'p', '--', 'ls', '-la'])).not.toThrow();
    expect(() => checkCommandAfterDashes(['exec', '-d', '1h', 'p', '--no-session'])).not.toThrow();
  });

  test('--lazy without --server is ignored as aws-vault ignores it; --ec2-server and --server exclude each other and --json', async () => {
    env = { ...env, AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE12', AWS_SECRET_ACCESS_KEY: 'secret/EXAMPLE' };
    expect((await vault('add', 'p', '--env')).status).toBe(0);
    expect(await vault('exec', 'p', '--lazy', '--no-session', '--', 'true')).toMatchObject({ status: 0 });
    expect((await vault('exec', 'p', '--ec2-server', '--server', '--', 'true')).stderr).toMatch(/^vault: --server and --ec2-server/);
    expect((await vault('exec', 'p', '--ec2-server', '--json')).stderr).toMatch(/^vault: --ec2-server runs a command and --json/);
  });
});

test('completion for a $SHELL it has no script for says which one it printed', async () => {
  env = { ...env, SHELL: '/usr/bin/fish' };
  const result = await vault('completion');
  expect(result.stdout).toContain('# bash completion for vault');
  expect(result.stderr).toBe('vault completes bash and zsh; $SHELL is /usr/bin/fish, so this is the bash script (`vault completion zsh` for the other).\n');
  env = { ...env, SHELL: '/bin/zsh' };
  expect((await vault('completion')).stderr).toBe('');
});

test('rotate without a profile takes $AWS_PROFILE, and without one asks for the profile rather than taking "default"', async () => {
  expect(await vault('rotate')).toEqual({ status: 2, stdout: '', stderr: 'vault: name the profile whose key to rotate (or set AWS_PROFILE). See `vault --help`.\n' });
  expect((await addKeys('p', '--no-add-config')).status).toBe(0);
  env = { ...env, AWS_PROFILE: 'nope' };
  expect((await vault('rotate')).stderr).toMatch(/^vault: no keys are stored for "nope"/);
});

describe("aws-vault's global flags", () => {
  test('--backend, --prompt and --file-dir are the flags of their variables, and beat them; before or after the command', async () => {
    expect(await vault('--backend', 'keychain', 'list')).toMatchObject({
      status: 1,
      stderr: expect.stringMatching(/^vault: --backend "keychain": this vault keeps keys only in its own encrypted file \(the file backend\)\. Leave out --backend and AWS_VAULT_BACKEND, or set them to file/),
    });
    env = { ...env, AWS_VAULT_BACKEND: 'pass' };
    expect((await vault('list')).stderr).toMatch(/^vault: AWS_VAULT_BACKEND="pass": this vault keeps keys only in its own encrypted file/);
    expect((await vault('list', '--profiles', '--backend=file')).status).toBe(0);
    env = { ...env, AWS_VAULT_BACKEND: '' };
    expect((await vault('list', '--profiles', '--backend=file')).status).toBe(0);
    const other = join(dir, 'elsewhere');
    expect((await vault('--file-dir', other, 'list')).stderr).toContain(`There is no vault file at ${join(other, 'vault')} yet (the directory --file-dir names)`);
    env = { ...env, AWS_VAULT_FILE_DIR: other };
    expect((await vault('list')).stderr).toContain('(the directory AWS_VAULT_FILE_DIR names)');
    env = { ...env, AWS_VAULT_PROMPT: 'terminal' };
    expect((await vault('exec', '--prompt=nosuch', 'p', '--', 'true')).stderr).toMatch(/^vault: --prompt "nosuch" is not valid: expected one of terminal/);
    // Checked for every command, as aws-vault's app.Validate does.
    expect(await vault('list', '--prompt', 'nosuch')).toMatchObject({ status: 2, stderr: expect.stringMatching(/^vault: --prompt "nosuch" is not valid/) });
    env = { ...env, AWS_VAULT_PROMPT: 'nosuch' };
    expect((await vault('exec', 'p', '--', 'true')).stderr).toMatch(/^vault: AWS_VAULT_PROMPT="nosuch" is not valid/);
    env = { ...env, AWS_VAULT_PROMPT: 'terminal', AWS_VAULT_FILE_DIR: join(dir, 'vault') };
    // A driver that is not installed stops a command only when it needs a code, as aws-vault looks it up then.
    expect((await addKeys('p', '--no-add-config')).status).toBe(0);
    env = { ...env, PATH: '/nonexistent' };
    expect(await vault('exec', '--prompt=zenity', 'p', '-n', '--', '/bin/true')).toMatchObject({ status: 0, stderr: '' });
  });

  test("aws-vault's flags for its other key stores are named as such, not as an unknown command or argument", async () => {
    for (const args of [['--pass-dir', '/x', 'list'], ['--keychain=login', 'list'], ['list', '--biometrics'], ['--no-biometrics', 'list'], ['--op-vault-id', 'abc', 'exec', 'p', '--', 'true']]) {
      const result = await vault(...args);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/^vault: --[a-z-]+ is aws-vault's flag for one of its other key stores; vault keeps keys only in its encrypted file .*: leave it out\. /);
    }
    // After `--`, the child's.
    expect((await addKeys('p', '--no-add-config')).status).toBe(0);
    expect((await vault('exec', 'p', '-n', '--', 'sh', '-c', 'exit 0', '--keychain')).status).toBe(0);
  });

  test('an empty --region is none, as for aws-vault: the environment\'s region applies', async () => {
    expect((await addKeys('p', '--no-add-config')).status).toBe(0);
    env = { ...env, AWS_DEFAULT_REGION: 'eu-west-3' };
    const result = await vault('export', '--format', 'env', '--no-session', '--region', '', 'p');
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout).toContain('AWS_REGION=eu-west-3\n');
  });

  test('exec --profile-env (or AWS_VAULT_PROFILE_ENV) gives the command AWS_PROFILE instead of keys, once they are known to work', async () => {
    expect((await addKeys('p', '--no-add-config')).status).toBe(0);
    const out = join(dir, 'child-env');
    const childEnv = async (...args: string[]) => {
      expect((await vault('exec', ...args, 'p', '-n', '--', 'sh', '-c', `env > '${out}'`)).status).toBe(0);
      return readFile(out, 'utf8');
    };
    for (const child of [await childEnv('--profile-env'), await ((env = { ...env, AWS_VAULT_PROFILE_ENV: 'true' }), childEnv())]) {
      expect(child).toContain('AWS_PROFILE=p\n');
      expect(child).toContain('AWS_VAULT=p\n');
      expect(child).not.toMatch(/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)=/m);
    }
    // The flag beats the variable; without either, keys as always.
    expect(await childEnv('--no-profile-env')).toContain('AWS_ACCESS_KEY_ID=AKIAEXAMPLEEXAMPLE12\n');
    env = { ...env, AWS_VAULT_PROFILE_ENV: '' };
    expect(await childEnv()).not.toContain('AWS_PROFILE=');
    // Credentials that cannot be had fail in vault, not in the command.
    expect((await vault('exec', '--profile-env', 'nosuch', '--', 'true')).status).not.toBe(0);
    // A profile name cannot carry the roles --assume adds.
    expect(await vault('exec', '--profile-env', '--assume', 'arn:aws:iam::123456789012:role/x', 'p', '-n', '--', 'true')).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/^vault: --profile-env \(or AWS_VAULT_PROFILE_ENV\) gives the command a profile name, which cannot carry the roles --assume adds/),
    });
  });

  test("what the flags set is vault's own: the command does not get it in its environment", async () => {
    expect((await addKeys('p', '--no-add-config')).status).toBe(0);
    const out = join(dir, 'child-env');
    const result = await vault('--prompt', 'terminal', '--backend', 'file', 'exec', 'p', '-n', '--', 'sh', '-c', `env > '${out}'`);
    expect(result.status).toBe(0);
    const child = await readFile(out, 'utf8');
    expect(child).toContain('AWS_VAULT=p\n');
    expect(child).not.toMatch(/^AWS_VAULT_(PROMPT|BACKEND)=/m);
  });
});

describe('list', () => {
  test('--profiles prints the config profile names one a line, without opening the vault', async () => {
    await writeFile(env.AWS_CONFIG_FILE as string, '[default]\n[profile b]\n[profile a]\n');
    env = { ...env, AWS_VAULT_FILE_PASSPHRASE: 'wrong' };
    // As aws-vault lists them: the file's order, the empty [default] left out.
    expect(await vault('list', '--profiles')).toEqual({ status: 0, stdout: 'b\na\n', stderr: '' });
    expect(await vault('ls', '--profiles')).toEqual({ status: 0, stdout: 'b\na\n', stderr: '' });
    await writeFile(env.AWS_CONFIG_FILE as string, '[profile b]\n[default]\nregion = eu-west-1\n[profile a]\n');
    expect((await vault('list', '--profiles')).stdout).toBe('b\ndefault\na\n');
  });

  test('--credentials prints the profiles with stored keys; --sessions those with a live session', async () => {
    await writeFile(env.AWS_CONFIG_FILE as string, '[profile a]\n[profile c]\n');
    expect((await addKeys('c', '--no-add-config')).status).toBe(0);
    expect((await addKeys('z', '--no-add-config')).status).toBe(0);
    expect(await vault('ls', '--credentials')).toEqual({ status: 0, stdout: 'c\nz\n', stderr: '' });
    expect(await vault('list', '--sessions')).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  test('the filters exclude each other and --json', async () => {
    for (const argv of [['list', '--profiles', '--credentials'], ['list', '--sessions', '--json']]) {
      expect((await vault(...argv)).stderr).toMatch(/^vault: --\w+ and --\w+ each choose what to print: use one/);
    }
  });
});

describe('add', () => {
  test('writes the [profile NAME] section by default, as aws-vault does; --no-add-config leaves the config alone', async () => {
    await writeFile(env.AWS_CONFIG_FILE as string, '# mine\n[profile other]\nregion = eu-west-1\n');
    expect((await addKeys('p')).stderr).toContain('Added [profile p] to');
    expect(await readFile(env.AWS_CONFIG_FILE as string, 'utf8')).toBe('# mine\n[profile other]\nregion = eu-west-1\n\n[profile p]\n');
    expect((await addKeys('q', '--no-add-config')).status).toBe(0);
    expect(await readFile(env.AWS_CONFIG_FILE as string, 'utf8')).not.toContain('[profile q]');
  });

  test('refuses a profile with a source_profile, naming the profile whose keys to add', async () => {
    await writeFile(env.AWS_CONFIG_FILE as string, '[profile admin]\nsource_profile = base\nrole_arn = arn:aws:iam::1:role/x\n');
    const { status, stderr } = await addKeys('admin');
    expect(status).toBe(1);
    expect(stderr).toMatch(/^vault: profile "admin" has source_profile = base, .*add the keys to "base" instead \(vault add base\)/);
    // The AWS CLI idiom: a profile that is its own source uses its own keys.
    await writeFile(env.AWS_CONFIG_FILE as string, '[profile self]\nsource_profile = self\nrole_arn = arn:aws:iam::1:role/x\n');
    expect((await addKeys('self')).status).toBe(0);
  });
});

describe('remove', () => {
  test('-f deletes without asking; -s drops only the sessions and keeps the keys', async () => {
    expect((await addKeys('p', '--no-add-config')).status).toBe(0);
    const sessionsOnly = await vault('remove', 'p', '-s');
    expect(sessionsOnly.status).toBe(0);
    expect(await vault('list', '--credentials')).toEqual({ status: 0, stdout: 'p\n', stderr: '' });
    expect(await vault('rm', 'p', '-f')).toEqual({ status: 0, stdout: '', stderr: 'Deleted credentials for "p".\n' });
    expect((await vault('list', '--credentials')).stdout).toBe('');
  });
});

test('rotate -n and login -n, -a are accepted as in aws-vault', async () => {
  // Only the parsing: both fail later for want of stored keys, not on the flags.
  expect((await vault('rotate', 'p', '-n')).stderr).not.toMatch(/has no option/);
  expect((await vault('login', 'p', '-n', '-a', '-s')).stderr).not.toMatch(/has no option/);
});

test.each([
  [['exec', 'p', '--duration', '--', 'true'], 'duration'],
  [['exec', 'p', '--region', '--', 'true'], 'region'],
  [['exec', 'p', '--assume', '--', 'true'], 'assume'],
  [['export', 'p', '--format'], 'format'],
  [['login', 'p', '--duration'], 'duration'],
])('a value option without its value is a usage error, not its default: %p', async (args, name) => {
  expect(await vault(...args)).toEqual({ status: 2, stdout: '', stderr: `vault: Not enough arguments following: ${name}. See \`vault --help\`.\n` });
});

test('flagOrEnv: the flag wins; otherwise the aws-vault variable, read as Go reads a boolean', () => {
  const env = (value: string | undefined) => ({ AWS_VAULT_STDOUT: value });
  expect(flagOrEnv({}, 'stdout', env(undefined), 'AWS_VAULT_STDOUT')).toBe(false);
  expect(flagOrEnv({}, 'stdout', env(''), 'AWS_VAULT_STDOUT')).toBe(false);
  for (const on of ['true', '1', 't', 'T', 'TRUE', 'True', 'yes']) expect(flagOrEnv({}, 'stdout', env(on), 'AWS_VAULT_STDOUT')).toBe(true);
  for (const off of ['false', '0', 'f', 'F', 'FALSE', 'no']) expect(flagOrEnv({}, 'stdout', env(off), 'AWS_VAULT_STDOUT')).toBe(false);
  expect(() => flagOrEnv({}, 'stdout', env('maybe'), 'AWS_VAULT_STDOUT')).toThrow(/^AWS_VAULT_STDOUT="maybe" is not valid: expected true or false/);
  expect(flagOrEnv({ stdout: false }, 'stdout', env('true'), 'AWS_VAULT_STDOUT')).toBe(false);
  expect(flagOrEnv({ stdout: true }, 'stdout', env('maybe'), 'AWS_VAULT_STDOUT')).toBe(true);
});
