import { jest } from '@jest/globals';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectSuccess } from './support/expect-error.js';
import { vaultBin } from './support/paths.js';
import { run, type Env } from './support/process.js';
import { sandbox, type Sandbox } from './support/sandbox.js';
import { tty } from './support/tty.js';
import { runVault } from './support/vault.js';

// `vault completion`: the script bash loads calls `vault` back on Tab, so `vault` must be on PATH, as after an
// install; a wrapper in the sandbox stands in for the installed bin.

// The project-level testTimeout in jest.config.ts is not applied by Jest 30 (a global-only option).
jest.setTimeout(120_000);

let box: Sandbox;
let env: Env;
let script: string;

beforeAll(async () => {
  box = await sandbox();
  await box.writeConfig('[default]\n\n[profile admin]\n\n[profile read-only]\n\n[profile audit]\n');
  const bin = join(box.home, 'bin');
  await mkdir(bin);
  await writeFile(join(bin, 'vault'), `#!/bin/sh\nexec '${process.execPath}' '${vaultBin}' "$@"\n`);
  await chmod(join(bin, 'vault'), 0o755);
  env = { ...box.env, PATH: `${bin}:${box.env.PATH ?? '/usr/bin:/bin'}`, SHELL: '/bin/bash' };
  const printed = await runVault(['completion'], { env });
  expectSuccess(printed);
  script = join(box.home, 'vault-completion.bash');
  await writeFile(script, printed.stdout);
});
afterAll(async () => {
  await box?.remove();
});

/** Runs the completion function bash would run for `words` (the last one being typed) and returns COMPREPLY. */
async function completions(...words: string[]): Promise<string[]> {
  const program = [
    'set -e',
    `source ${JSON.stringify(script)}`,
    'COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))',
    '_vault_completions',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const result = await run('bash', ['--norc', '--noprofile', '-c', program, 'bash', ...words], { env, timeoutMs: 30_000 });
  expectSuccess(result);
  return result.stdout.split('\n').filter((l) => l !== '');
}

describe('vault completion (bash)', () => {
  it('loads in bash and registers the function for vault', async () => {
    const result = await run('bash', ['--norc', '--noprofile', '-c', `source ${JSON.stringify(script)} && complete -p vault`], {
      env,
      timeoutMs: 30_000,
    });
    expectSuccess(result);
    expect(result.stdout.trim()).toBe('complete -o bashdefault -o default -F _vault_completions vault');
  });

  it('completes profile names from the config file, commands, and option choices', async () => {
    expect(await completions('vault', 'exec', 'a')).toEqual(['admin', 'audit']);
    expect(await completions('vault', 'exec', '--region', 'eu-west-1', 're')).toEqual(['read-only']);
    expect(await completions('vault', 'rot')).toEqual(['rotate']);
    expect(await completions('vault', 'export', '--format', 'e')).toEqual(['env', 'export-env']);
  });

  it("after `--`, the command's name from PATH, and then the shell's own completion (files) rather than vault's", async () => {
    expect(await completions('vault', 'exec', 'read-only', '--', 'pyth')).toEqual(expect.arrayContaining(['python3']));
    // Not vault's profiles or options: nothing from vault, so bash's default (files) applies.
    expect(await completions('vault', 'exec', 'read-only', '--', 'aws', 'a')).toEqual([]);
    expect(await completions('vault', 'exec', 'read-only', '--', 'aws', '--')).toEqual([]);
  });

  it('completes options as they are typed: -n and --no-session, not the --n and --session that do nothing', async () => {
    expect(await completions('vault', 'exec', 'read-only', '--no')).toEqual(['--no-session']);
    expect(await completions('vault', 'exec', 'read-only', '--n')).toEqual(['--no-session']);
    const short = await completions('vault', 'exec', 'read-only', '-');
    expect(short).toEqual(expect.arrayContaining(['-n', '-d', '-t', '--region']));
    expect(short).not.toEqual(expect.arrayContaining(['--n']));
  });

  it('answers a request within a command and exits 0 (yargs printed its own list there and left vault to exit 70)', async () => {
    const result = await runVault(['--get-yargs-completions', 'vault', 'export', '--format', 'e'], { env });
    expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 0, stdout: 'env\nexport-env\n' });
  });

  it('completes a profile name when Tab is pressed in an interactive bash', async () => {
    // The rc file runs after the system one, so its prompt is the one shown.
    const rc = join(box.home, 'bashrc');
    await writeFile(rc, `source ${JSON.stringify(script)}\nPS1='e2e$ '\n`);
    const term = await tty(['bash', '--noprofile', '--rcfile', rc, '-i'], env);
    try {
      await term.waitFor('e2e$ ');
      await term.type('vault exec rea');
      await term.type('\t');
      await term.waitFor('e2e$ vault exec read-only ');
    } finally {
      await term.kill();
    }
  });

  it('prints the zsh script when asked for it', async () => {
    const result = await runVault(['completion', 'zsh'], { env });
    expectSuccess(result);
    expect(result.stdout).toMatch(/^#compdef vault\n/);
    expect(result.stdout).toContain('compdef _vault_completions vault');
  });
});
