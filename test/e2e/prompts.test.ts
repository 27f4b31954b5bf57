// Forgiving prompts and feedback for people at a terminal (issue 14), on a real pseudo-terminal (tmux); and that
// none of it reaches a script's stderr.
import { jest } from '@jest/globals';
import { readFile, rm } from 'node:fs/promises';
import { fakeKeys } from './support/fake-keys.js';
import { vaultBin } from './support/paths.js';
import { createFixtureVault, sandbox, type Sandbox } from './support/sandbox.js';
import { tty, type Tty } from './support/tty.js';
import { unlockInProcess } from './support/vault-state.js';
import { run } from './support/process.js';
import { runVault } from './support/vault.js';

jest.setTimeout(120_000);

const PASSPHRASE = 'prompts e2e passphrase';
let box: Sandbox;

// A fixture vault (cheap KDF) unless the test is about vault creating one: every passphrase tried at a prompt runs
// the vault's KDF, about a second of CPU each at the real cost.
beforeEach(async () => {
  box = await sandbox({ passphrase: PASSPHRASE });
});
afterEach(() => box?.remove());

/** Swaps the test's sandbox for one without a vault, for a test of the CLI creating it (at its real KDF cost). */
async function withoutVault(): Promise<void> {
  await box.remove();
  box = await sandbox();
}

/** Seals the test's fixture vault again holding keys for `profiles`, through @vault/core: `vault add` is tested elsewhere. */
async function withKeys(...profiles: string[]): Promise<void> {
  await rm(box.vaultFile);
  await createFixtureVault(box.vaultFile, PASSPHRASE, Object.fromEntries(profiles.map((p) => [p, fakeKeys()])));
}

/** The screen once `text` has appeared n times (answered prompts stay above the new one). */
function nth(text: string, n: number): RegExp {
  return new RegExp(`(${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\\s\\S]*){${n}}`);
}

async function finish(term: Tty): Promise<{ status: number; screen: string }> {
  const status = await term.exitCode();
  return { status, screen: await term.screen() };
}

describe('a wrong passphrase is asked again', () => {
  it('up to 3 tries; the right one on the second try unlocks', async () => {
    await withKeys('p');
    const term = await tty([process.execPath, vaultBin, 'list', '--credentials'], box.env);
    try {
      await term.answer(nth('Vault passphrase:', 1), 'not it');
      await term.waitFor('Wrong passphrase; try again (2 tries left).');
      await term.answer(nth('Vault passphrase:', 2), PASSPHRASE);
      const { status, screen } = await finish(term);
      expect({ status, screen }).toEqual({ status: 0, screen });
      expect(screen).toMatch(/^p$/m);
    } finally {
      await term.kill();
    }
  });

  it('after the third wrong one, the command ends with the one-line error', async () => {
    await withKeys('p');
    const term = await tty([process.execPath, vaultBin, 'list', '--credentials'], box.env);
    try {
      for (let i = 1; i <= 3; i++) {
        await term.answer(nth('Vault passphrase:', i), `wrong ${i}`);
      }
      const { status, screen } = await finish(term);
      expect({ status, screen }).toEqual({ status: 1, screen });
      expect(screen).toContain('1 try left');
      expect(screen).toMatch(/^vault: .*passphrase/m);
    } finally {
      await term.kill();
    }
  });
});

describe('leaving a prompt', () => {
  it.each([
    ['Ctrl-D', 'C-d', 1, /^vault: the input ended \(Ctrl-D\) before the prompt was answered\. Run the command again/m],
    ['Ctrl-C', 'C-c', 130, undefined],
  ])('%s at the passphrase prompt ends the command (exit %s), the vault untouched', async (_, key, exitStatus, line) => {
    await withKeys('p');
    const before = await readFile(box.vaultFile);
    const term = await tty([process.execPath, vaultBin, 'remove', 'p'], box.env);
    try {
      await term.waitFor('Vault passphrase:');
      await term.press(key);
      const { status, screen } = await finish(term);
      expect({ status, screen }).toEqual({ status: exitStatus, screen });
      if (line) expect(screen).toMatch(line);
      else expect(screen).not.toMatch(/^vault: /m);
      expect(screen).not.toMatch(/\bat .*\.(c?js|ts):\d+/);
    } finally {
      await term.kill();
    }
    expect(await readFile(box.vaultFile)).toEqual(before);
  });
});

describe('a paste far longer than any answer', () => {
  it('ends the prompt with one line at once, rather than redrawing it for every character', async () => {
    await withKeys('p');
    const term = await tty([process.execPath, vaultBin, 'list', '--credentials'], box.env);
    try {
      await term.waitFor('Vault passphrase:');
      // No Enter follows: the command ends on its own (before, it redrew the prompt 12,000 times, about 12 s, and
      // then waited for one).
      await term.type('x'.repeat(12_000));
      const { status, screen } = await finish(term);
      expect({ status, screen }).toEqual({ status: 1, screen });
      expect(screen).toMatch(/^vault: more than 4096 keys were typed or pasted at the prompt, so none was taken\. Run the command again and paste the value alone\.$/m);
    } finally {
      await term.kill();
    }
  });

  it('at a visible prompt, stops at 512 keys: each key redraws the whole answer', async () => {
    const term = await tty([process.execPath, vaultBin, 'add', 'pasted', '--no-add-config'], box.env);
    try {
      await term.waitFor('Access Key ID:');
      // Before, these were taken (the limit was 4,096 here too, which 6,000 keys took about 20 s and 20 MB of
      // terminal output to reach); no Enter follows, so only the limit ends the command.
      await term.type('A'.repeat(1_000));
      const { status, screen } = await finish(term);
      expect({ status, screen }).toEqual({ status: 1, screen });
      expect(screen).toMatch(/^vault: more than 512 keys were typed or pasted at the prompt, so none was taken\./m);
    } finally {
      await term.kill();
    }
  });
});

describe('suspending a prompt', () => {
  it.each([
    ['the answer goes through', 'answer'],
    ['Ctrl-D still ends it with PROMPT_CLOSED', 'C-d'],
  ])('Ctrl-Z, then the shell resuming vault (SIGCONT), leaves the prompt asking: %s', async (_, then) => {
    await withKeys('p');
    // A name to find this vault's process by: the pane's shell has no job control to `fg` it.
    const profile = `ctrlz-${process.pid}-${Date.now()}`;
    const term = await tty([process.execPath, vaultBin, 'remove', profile], box.env);
    try {
      await term.waitFor('Vault passphrase:');
      // readline handles Ctrl-Z by stopping the process and waiting for SIGCONT. The pane's process group has no
      // shell with job control, so the kernel does not stop it; the SIGCONT a shell's `fg` sends is sent here.
      await term.press('C-z');
      const listed = await run('ps', ['-eo', 'pid=,args='], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
      const line = listed.stdout.split('\n').find((l) => l.includes(profile) && l.includes(vaultBin));
      expect(line).toBeDefined();
      await new Promise((resolve) => setTimeout(resolve, 300));
      process.kill(Number(line!.trim().split(/\s+/)[0]), 'SIGCONT');
      await new Promise((resolve) => setTimeout(resolve, 300));
      if (then === 'answer') {
        await term.type(PASSPHRASE);
        await term.enter();
      } else {
        await term.press(then);
      }
      const { status, screen } = await finish(term);
      expect({ status, screen }).toEqual({ status: 1, screen });
      // Answered, the passphrase was taken and what follows is remove's own answer about the profile.
      expect(screen).toMatch(then === 'answer' ? /^vault: .*ctrlz-/m : /^vault: the input ended \(Ctrl-D\)/m);
    } finally {
      await term.kill();
    }
  });
});

describe('vault add: a passphrase typo does not cost the keys', () => {
  it('mismatched new passphrases are asked again, without asking for the keys again', async () => {
    await withoutVault();
    const keys = fakeKeys();
    const term = await tty([process.execPath, vaultBin, 'add', '--no-add-config', 'p'], box.env);
    try {
      await term.answer('Access Key ID:', keys.accessKeyId);
      await term.answer('Secret Access Key:', keys.secretAccessKey);
      await term.answer(nth('New vault passphrase:', 1), PASSPHRASE);
      await term.answer(nth('Confirm vault passphrase:', 1), `${PASSPHRASE}x`);
      await term.waitFor('The two passphrases differ; try again (2 tries left).');
      await term.answer(nth('New vault passphrase:', 2), PASSPHRASE);
      await term.answer(nth('Confirm vault passphrase:', 2), PASSPHRASE);
      const { status, screen } = await finish(term);
      expect({ status, screen }).toEqual({ status: 0, screen });
      expect(screen.match(/Access Key ID:/g)).toHaveLength(1);
    } finally {
      await term.kill();
    }
    // The vault the CLI created opens with the passphrase given the second time, and holds the keys typed once.
    const stored = await (await unlockInProcess(box.vaultFile, PASSPHRASE)).read();
    expect(stored.credentials.p?.accessKeyId).toBe(keys.accessKeyId);
    expect(Object.keys(stored.credentials)).toEqual(['p']);
  });

  it('a wrong passphrase for an existing vault is asked again, and the keys typed are stored', async () => {
    await withKeys('first');
    const keys = fakeKeys();
    const term = await tty([process.execPath, vaultBin, 'add', '--no-add-config', 'second'], box.env);
    try {
      await term.answer('Access Key ID:', keys.accessKeyId);
      await term.answer('Secret Access Key:', keys.secretAccessKey);
      await term.answer(nth('Vault passphrase:', 1), 'typo');
      await term.answer(nth('Vault passphrase:', 2), PASSPHRASE);
      const { status, screen } = await finish(term);
      expect({ status, screen }).toEqual({ status: 0, screen });
    } finally {
      await term.kill();
    }
    // What was stored, read through @vault/core: the process's part ended with its exit status above.
    const stored = await (await unlockInProcess(box.vaultFile, PASSPHRASE)).read();
    expect(stored.credentials.second?.accessKeyId).toBe(keys.accessKeyId);
    expect(Object.keys(stored.credentials).sort()).toEqual(['first', 'second']);
  });
});

describe('status lines and hints, only on a terminal', () => {
  it('"Unlocking vault..." while a slow KDF runs, cleared when done; nothing of it in a script\'s stderr', async () => {
    // 256 MiB x 1 pass: over vault's "slow" mark (more than 240 MiB x passes), the cheapest cost that is, and long
    // enough (about 0.4 s idle, more under load) for the screen polls (every 0.1 s) to catch the line. Sealed
    // in-process, where raising it with `vault passphrase --kdf` cost two more derivations.
    await rm(box.vaultFile);
    await createFixtureVault(box.vaultFile, PASSPHRASE, { p: fakeKeys() }, { alg: 'argon2id13', opslimit: 1, memlimit: 256 * 1024 * 1024 });
    const term = await tty([process.execPath, vaultBin, 'list', '--credentials'], { ...box.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE });
    try {
      await term.waitFor('Unlocking vault...', 30_000);
      const { status, screen } = await finish(term);
      expect({ status, screen }).toEqual({ status: 0, screen });
      expect(screen).not.toContain('Unlocking vault...');
      expect(screen).toMatch(/^p$/m);
    } finally {
      await term.kill();
    }
    const script = await runVault(['list', '--credentials'], { env: { ...box.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE } });
    expect({ stdout: script.stdout, stderr: script.stderr }).toEqual({ stdout: 'p\n', stderr: '' });
  });

  it('exec without a command says it starts a subshell and how to leave it; not when stderr is not a terminal', async () => {
    await withKeys('p');
    const env = { ...box.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, SHELL: '/bin/sh', PS1: '$ ' };
    const term = await tty([process.execPath, vaultBin, 'exec', '-n', 'p'], env);
    try {
      await term.waitFor('Starting a subshell (/bin/sh) with the credentials of p; type exit to return.');
      await term.type('echo "inside $AWS_VAULT"; exit 7');
      await term.enter();
      const { status, screen } = await finish(term);
      expect({ status, screen }).toEqual({ status: 7, screen });
      expect(screen).toContain('inside p');
    } finally {
      await term.kill();
    }
    const script = await runVault(['exec', '-n', 'p'], { env, input: 'echo "inside $AWS_VAULT"\n' });
    expect({ code: script.code, stdout: script.stdout, stderr: script.stderr }).toEqual({ code: 0, stdout: 'inside p\n', stderr: '' });
  });

  it("exec with no profile named and no AWS_PROFILE offers the config's profiles, as aws-vault does; a script gets \"default\"", async () => {
    await withKeys('dev', 'prod');
    await box.writeConfig('[profile dev]\n[profile prod]\n');
    const env = { ...box.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE };
    const term = await tty([process.execPath, vaultBin, 'exec', '-n', '--', 'sh', '-c', 'echo "picked $AWS_VAULT"'], env);
    try {
      await term.waitFor(/Choose AWS profile:[\s\S]*dev[\s\S]*prod/);
      await term.press('Down');
      await term.enter();
      const { status, screen } = await finish(term);
      expect({ status, screen }).toEqual({ status: 0, screen });
      expect(screen).toContain('picked prod');
    } finally {
      await term.kill();
    }
    const script = await runVault(['exec', '-n', '--', 'true'], { env });
    expect(script.stderr).toMatch(/^vault: .*default/);
  });
});
