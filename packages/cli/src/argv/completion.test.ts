import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { completionScript, defaultShell } from '../commands/completion.js';
import { complete, completionSource, optionCandidates, tableCandidates } from './completion.js';
import { createContext, type Context } from '../io/context.js';

test.each([
  [['exec', ''], 'config'],
  [['exec', 'ad'], 'config'],
  [['--debug', 'export', '--format', 'json', ''], 'config'],
  [['exec', '--region', 'eu-west-1', '-d', '1h', ''], 'config'],
  [['rotate', ''], 'config'],
  [['exec', 'admin', ''], 'table'],
  [['exec', '-'], 'table'],
  [['export', '--format', ''], 'table'],
  [['exec', 'admin', '--', 'aws', ''], 'shell'],
  [['import', 'a', 'b', ''], 'credentials'],
  [['config', 'set-role', ''], 'config'],
  [['config', 'set-role', 'admin', '--source', ''], 'config'],
  [['config', 'set-role', 'admin', '--role-arn', ''], 'table'],
  [['config', ''], 'table'],
  [[''], 'table'],
  [['list', ''], 'table'],
])('completionSource(%j) = %s', (words, source) => {
  expect(completionSource(words)).toBe(source);
});

test('scripts call back into vault for the words up to the cursor, under the shell they are for', () => {
  expect(completionScript('bash')).toContain('SHELL=bash vault --get-yargs-completions "${COMP_WORDS[@]:0:COMP_CWORD+1}"');
  expect(completionScript('bash')).toContain('complete -o bashdefault -o default -F _vault_completions vault');
  expect(completionScript('zsh')).toMatch(/^#compdef vault\n/);
  expect(completionScript('zsh')).toContain('SHELL=zsh vault --get-yargs-completions "${(@)words[1,CURRENT]}"');
  expect(defaultShell({ SHELL: '/usr/bin/zsh' })).toBe('zsh');
  expect(defaultShell({ SHELL: '/bin/bash' })).toBe('bash');
  expect(defaultShell({})).toBe('bash');
});

describe('complete', () => {
  let dir: string;
  let out: string[];

  function context(env: NodeJS.ProcessEnv = {}): Context {
    return {
      ...createContext({ debug: false, env }),
      configPath: join(dir, 'config'),
      credentialsPath: join(dir, 'credentials'),
      stdout: (t) => void out.push(t),
    };
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vault-completion-'));
    out = [];
    await writeFile(join(dir, 'config'), '[default]\n[profile admin]\n[profile read-only]\n[profile a:b]\n[sso-session x]\n');
    await writeFile(join(dir, 'credentials'), '[ci]\n[default]\n');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('profile names of the config file that start with the word typed', async () => {
    expect(await complete(context(), ['vault', 'exec', 'a'])).toBe(0);
    expect(out.join('')).toBe('a:b\nadmin\n');
  });

  test('zsh gets colons escaped, as its _describe reads "name:description"', async () => {
    await complete(context({ SHELL: 'zsh' }), ['vault', 'exec', 'a']);
    expect(out.join('')).toBe('a\\:b\nadmin\n');
  });

  test('import completes the sections of the credentials file', async () => {
    await complete(context(), ['vault', 'import', '']);
    expect(out.join('')).toBe('ci\ndefault\n');
  });

  test('commands, choices and options come from the command table', async () => {
    await complete(context(), ['vault', 'export', '--format', 'e']);
    expect(out.splice(0).join('')).toBe('env\nexport-env\n');
    await complete(context(), ['vault', 'exec', 'admin', '--re']);
    expect(out.splice(0).join('')).toBe('--region\n--redact\n');
    await complete(context(), ['vault', 'rot']);
    expect(out.splice(0).join('')).toBe('rotate\n');
    await complete(context({ SHELL: 'zsh' }), ['vault', 'rot']);
    expect(out.splice(0).join('')).toMatch(/^rotate:.+\n$/);
  });

  test.each<[string[], string[]]>([
    [['con'], ['config', 'completion'].filter((c) => c.startsWith('con'))],
    [['config', ''], ['set-role']],
    [['completion', ''], ['bash', 'zsh']],
    [['passphrase', '--kdf', ''], ['interactive', 'moderate', 'sensitive']],
    [['export', '--format', 'ini', 'admin', '--format', 'j'], ['json']],
    [['export', '--region', ''], []],
  ])('table candidates of %j: %j', (words, expected) => {
    expect(tableCandidates(words, false)).toEqual(expected);
  });

  test('an empty word with nothing else to offer gets the options, as yargs gave them', () => {
    expect(tableCandidates(['list', ''], false)).toEqual(expect.arrayContaining(['--json', '--help']));
  });

  test('options are offered as they are typed: -n, --no-session for a flag on by default; given ones left out', () => {
    const exec = optionCandidates(['exec', 'admin', '-'], false);
    expect(exec).toEqual(expect.arrayContaining(['-n', '--no-session', '--duration', '-d', '--region', '--help', '-h']));
    expect(exec).not.toEqual(expect.arrayContaining(['--n']));
    expect(exec.filter((o) => /^--?(n|session|d)$/.test(o))).toEqual(['-n', '-d']);
    expect(optionCandidates(['exec', 'admin', '--no'], false)).toEqual(['--no-session']);
    expect(optionCandidates(['exec', 'admin', '-n', '--region', 'x', '--'], false)).not.toEqual(expect.arrayContaining(['--no-session', '--region']));
    expect(optionCandidates(['exec', 'admin', '--assume', 'x', '--as'], false)).toEqual(['--assume']);
    expect(optionCandidates(['--'], false)).toEqual(['--debug', '--backend', '--prompt', '--file-dir', '--help', '--version']);
    expect(optionCandidates(['exec', 'admin', '--reg'], true)).toEqual(['--region:region for STS calls, and the AWS_REGION of the credentials given or printed']);
  });

  test('after -- the shell completes (files), and a broken config gives nothing rather than an error', async () => {
    await complete(context(), ['vault', 'exec', 'admin', '--', '']);
    await writeFile(join(dir, 'config'), 'not ini\n');
    expect(await complete(context(), ['vault', 'exec', ''])).toBe(0);
    expect(out).toEqual([]);
  });
});
