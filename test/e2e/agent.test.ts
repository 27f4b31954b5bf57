// `vault unlock` / `vault lock`: the agent that keeps the vault key so later commands ask no passphrase.
// Every vault here runs without a terminal, so a command that needs the passphrase and cannot get it from the agent
// fails with NO_TTY: that is how these tests see whether the agent was used.
// The agent is the process under test: it is always started by a real `vault unlock` (the bundle, detached, its
// socket and timer). Its clients talk to it over the socket whoever they are, so most of them run in-process
// (runInProcess, milliseconds instead of a Node start each); one `vault exec` on the binary keeps the process's own
// use of the agent tested, and the refusal to start an agent on a wrong passphrase stays a process too.
import { jest } from '@jest/globals';
import { chmod, copyFile, lstat, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { loadedModulesHook, unneededBuiltins } from '../../scripts/lib/hot-path.mjs';
import { awsSetup, type Keys } from './support/aws-setup.js';
import { expectOneLineError, expectSuccess } from './support/expect-error.js';
import { sharedMoto, type SharedMoto } from './support/moto.js';
import { parseEnv, parseExported, printEnv } from './support/print-env.js';
import { run, type Env } from './support/process.js';
import { runInProcess } from './support/in-process.js';
import { vaultBin } from './support/paths.js';
import { sandbox, type Sandbox } from './support/sandbox.js';
import { runVault } from './support/vault.js';

jest.setTimeout(120_000);

const PASSPHRASE = 'agent e2e passphrase';
const NO_PASSPHRASE = /passphrase is needed but there is no terminal/;

let moto: SharedMoto;
let keys: Keys;
let box: Sandbox;

beforeAll(async () => {
  moto = await sharedMoto();
  const setup = awsSetup(moto);
  await setup.createUser('agent-user');
  keys = await setup.createAccessKey('agent-user');
});

beforeEach(async () => {
  // The keys are stored through @vault/core, not `vault add` (tested elsewhere): the agent is what is tested here.
  box = await sandbox({ passphrase: PASSPHRASE, stored: { 'read-only': keys } });
  await box.writeConfig('[profile read-only]\n');
});
afterEach(async () => {
  // Agents are detached from the test's process group: stop whatever a test left running.
  const status = await agentRequest(socketIn(box.vaultDir), { op: 'status' });
  if (status?.ok) process.kill(status.status.pid, 'SIGKILL');
  await box.remove();
});

/** No passphrase and no terminal: only the agent can open the vault. XDG_RUNTIME_DIR unset (sandbox) unless given. */
function env(extra: Env = {}): Env {
  return { ...box.env, AWS_ENDPOINT_URL_STS: moto.url, AWS_DEFAULT_REGION: 'us-east-1', ...extra };
}

function withPassphrase(extra: Env = {}): Env {
  return env({ AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, ...extra });
}

function socketIn(dir: string): string {
  return join(dir, 'agent.sock');
}

/**
 * What one run of the binary loaded: Node's built-ins, the library files bundle-script.cjs compiled, and which of
 * process.stdin, stdout and stderr it built.
 */
async function modulesLoaded(args: string[]): Promise<{ builtins: string[]; bundled: string[]; stdio: string[] }> {
  const out = join(box.home, 'modules.json');
  const hook = join(box.home, 'modules-hook.cjs');
  await writeFile(hook, loadedModulesHook(out));
  expectSuccess(await run(process.execPath, ['--require', hook, vaultBin, ...args], { env: env() }));
  return JSON.parse(await readFile(out, 'utf8')) as { builtins: string[]; bundled: string[]; stdio: string[] };
}

async function unlock(ttl = '5m', extra: Env = {}): Promise<void> {
  const result = await runVault(['unlock', '--ttl', ttl], { env: withPassphrase(extra) });
  expectSuccess(result);
  expect(result.stderr).toMatch(/Vault unlocked/);
}

/** The variables exec would give its command, resolved in-process (export prints them; exec's child output is not captured there). */
async function exportedEnv(extra: Env = {}): Promise<Record<string, string>> {
  const result = await runInProcess(['export', 'read-only', '--format', 'env'], { env: env(extra) });
  expectSuccess(result);
  return parseExported(result.stdout);
}

/** exec in-process, with `true` as its command: whether vault could open the vault, from its status and stderr. */
function execTrue(environment: Env) {
  return runInProcess(['exec', 'read-only', '--', 'true'], { env: environment });
}

interface StatusReply {
  ok: boolean;
  status: { pid: number; vault: string; idleMsLeft: number };
}

/** A raw protocol request, as any process of the user could send; undefined when nothing answers. */
function agentRequest(path: string, request: object): Promise<StatusReply | undefined> {
  return new Promise((resolve) => {
    let text = '';
    const conn = createConnection({ path });
    conn.on('connect', () => conn.write(`${JSON.stringify(request)}\n`));
    conn.on('data', (d) => (text += d));
    conn.on('end', () => resolve(text ? (JSON.parse(text) as StatusReply) : undefined));
    conn.on('error', () => resolve(undefined));
  });
}

async function agentPid(): Promise<number> {
  const reply = await agentRequest(socketIn(box.vaultDir), { op: 'status' });
  expect(reply?.ok).toBe(true);
  return reply!.status.pid;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

describe('vault unlock', () => {
  it('lets exec, export and list work without the passphrase, sessions cached through the agent', async () => {
    expectOneLineError(await execTrue(env()), NO_PASSPHRASE);
    await unlock();

    // The binary's exec, through the agent: the session is got and stored through it.
    const result = await runVault(['exec', 'read-only', '--', ...printEnv], { env: env() });
    expectSuccess(result);
    const first = parseEnv(result.stdout);
    expect(first.AWS_SESSION_TOKEN).toBeTruthy();
    // The session the agent stored is reused: no second GetSessionToken.
    expect((await exportedEnv()).AWS_ACCESS_KEY_ID).toBe(first.AWS_ACCESS_KEY_ID);

    // The hot path loads what it needs and no more: no library from bundle/ (libsodium, the STS client), and not the
    // promise-based file system module (docs/development.md, "File reads on the hot path are synchronous").
    const loaded = await modulesLoaded(['exec', 'read-only', '--', 'true']);
    expect(loaded.bundled).toEqual([]);
    expect(unneededBuiltins(loaded.builtins)).toEqual([]);
    // Nor, printing nothing, does it build the standard streams: closing the agent's connection at once would
    // build process.stderr (agent/client.ts, CLOSE_AFTER_MS).
    expect(loaded.stdio).toEqual([]);

    const exported = await runInProcess(['export', 'read-only', '--format', 'json'], { env: env() });
    expectSuccess(exported);
    expect(JSON.parse(exported.stdout).AccessKeyId).toBe(first.AWS_ACCESS_KEY_ID);

    const listed = await runInProcess(['list'], { env: env() });
    expectSuccess(listed);
    expect(listed.stdout).toMatch(/read-only\s+stored\s+read-only \((\d+m|1h) left\)/);
    expect(listed.stderr).toMatch(/The vault is unlocked .* locks after (5m|4m) without use/);
  });

  it('keeps the key behind a 0600 socket in a 0700 directory, both owned by the user', async () => {
    await unlock();
    const socket = await lstat(socketIn(box.vaultDir));
    expect(socket.isSocket()).toBe(true);
    expect(socket.mode & 0o777).toBe(0o600);
    expect(socket.uid).toBe(process.getuid!());
    expect((await stat(box.vaultDir)).mode & 0o777).toBe(0o700);
  });

  it('puts the socket in $XDG_RUNTIME_DIR/vault when the session has one', async () => {
    const runtime = join(box.home, 'run');
    await mkdir(runtime, { mode: 0o700 });
    await unlock('5m', { XDG_RUNTIME_DIR: runtime });
    const [name] = await readdir(join(runtime, 'vault'));
    expect(name).toMatch(/^agent-[0-9a-f]{16}\.sock$/);
    expect((await stat(join(runtime, 'vault'))).mode & 0o777).toBe(0o700);
    expect(await exists(socketIn(box.vaultDir))).toBe(false);
    expect((await exportedEnv({ XDG_RUNTIME_DIR: runtime })).AWS_SESSION_TOKEN).toBeTruthy();
    expectSuccess(await runInProcess(['lock'], { env: env({ XDG_RUNTIME_DIR: runtime }) }));
    expect(await readdir(join(runtime, 'vault'))).toEqual([]);
  });

  it('lock finds the agent `vault unlock` started beside the vault from a shell without XDG_RUNTIME_DIR (ssh, cron)', async () => {
    const runtime = join(box.home, 'run-elsewhere');
    await mkdir(runtime, { mode: 0o700 });
    await unlock('5m', { XDG_RUNTIME_DIR: '' });
    expect(await exists(socketIn(box.vaultDir))).toBe(true);
    const locked = await runInProcess(['lock'], { env: env({ XDG_RUNTIME_DIR: runtime }) });
    expectSuccess(locked);
    expect(locked.stderr).toMatch(/Vault locked/);
    expect(await exists(socketIn(box.vaultDir))).toBe(false);
  });

  it('exec, export and list find the agent `vault unlock` started in another environment (beside the vault, from ssh or cron)', async () => {
    const runtime = join(box.home, 'run-other');
    await mkdir(runtime, { mode: 0o700 });
    await unlock('5m', { XDG_RUNTIME_DIR: '' });
    expect(await exists(socketIn(box.vaultDir))).toBe(true);
    // No passphrase and no terminal here: only the agent can open the vault.
    expectSuccess(await runVault(['exec', 'read-only', '--', 'true'], { env: env({ XDG_RUNTIME_DIR: runtime }) }));
    expect((await exportedEnv({ XDG_RUNTIME_DIR: runtime })).AWS_SESSION_TOKEN).toBeTruthy();
    const listed = await runVault(['list'], { env: env({ XDG_RUNTIME_DIR: runtime }) });
    expectSuccess(listed);
    expect(listed.stdout).toMatch(/read-only\s+stored/);
    expectSuccess(await runInProcess(['lock'], { env: env() }));
  });

  it('asks for the passphrase itself even when an agent already holds the key', async () => {
    await unlock();
    expectOneLineError(await runInProcess(['unlock'], { env: env() }), NO_PASSPHRASE);
  });

  it('refuses a wrong passphrase and starts no agent', async () => {
    const result = await runVault(['unlock'], { env: env({ AWS_VAULT_FILE_PASSPHRASE: 'wrong' }) });
    expectOneLineError(result, /wrong passphrase/);
    expect(await exists(socketIn(box.vaultDir))).toBe(false);
  });
});

describe('vault lock and the end of the agent', () => {
  it('lock wipes the key: the passphrase is needed again and the agent is gone', async () => {
    await unlock();
    const pid = await agentPid();
    const locked = await runInProcess(['lock'], { env: env() });
    expectSuccess(locked);
    expect(locked.stderr).toMatch(/Vault locked/);
    expect(await exists(socketIn(box.vaultDir))).toBe(false);
    await waitFor('the agent process has exited', () => !alive(pid));
    expectOneLineError(await execTrue(env()), NO_PASSPHRASE);
    expect((await runInProcess(['lock'], { env: env() })).stderr).toMatch(/was not unlocked/);
  });

  it('the TTL locks an idle vault by itself', async () => {
    await unlock('2s');
    const pid = await agentPid();
    await waitFor('the idle agent has exited', () => !alive(pid));
    expect(await exists(socketIn(box.vaultDir))).toBe(false);
    expectOneLineError(await execTrue(env()), NO_PASSPHRASE);
  });

  it('a --server command on the agent keeps it from locking for idleness while it runs (its renewals need it)', async () => {
    await unlock('3s');
    const pid = await agentPid();
    // Twice the TTL with nothing but the command using the agent; then the TTL locks it as before.
    const served = await runVault(['exec', '--server', 'read-only', '--', 'sleep', '7'], { env: env() });
    expectSuccess(served);
    expect(alive(pid)).toBe(true);
    await waitFor('the idle agent has exited', () => !alive(pid));
  });

  it('a killed agent leaves commands falling back to the passphrase without a word', async () => {
    await unlock();
    process.kill(await agentPid(), 'SIGKILL');
    expect(await exists(socketIn(box.vaultDir))).toBe(true);

    const result = await execTrue(withPassphrase());
    expectSuccess(result);
    expect(result.stderr).toBe('');
    expectOneLineError(await execTrue(env()), NO_PASSPHRASE);
    // And a new unlock replaces the dead agent's socket.
    await unlock();
    expect((await exportedEnv()).AWS_SESSION_TOKEN).toBeTruthy();
  });

  it('a changed passphrase makes the agent stop', async () => {
    await unlock();
    const pid = await agentPid();
    const changed = await runInProcess(['passphrase'], { env: withPassphrase({ AWS_VAULT_NEW_PASSPHRASE: 'the new one' }) });
    expectSuccess(changed);
    expectOneLineError(await execTrue(env()), NO_PASSPHRASE);
    await waitFor('the stale agent has exited', () => !alive(pid));
    expect((await exportedEnv({ AWS_VAULT_FILE_PASSPHRASE: 'the new one' })).AWS_SESSION_TOKEN).toBeTruthy();
  });

  it('a replaced vault file makes the agent stop', async () => {
    await unlock();
    const pid = await agentPid();
    // Same passphrase and contents, another salt: the agent's key no longer opens the file.
    const other = await sandbox({ passphrase: PASSPHRASE, stored: { 'read-only': keys } });
    try {
      await copyFile(other.vaultFile, box.vaultFile);
    } finally {
      await other.remove();
    }
    expectOneLineError(await execTrue(env()), NO_PASSPHRASE);
    await waitFor('the stale agent has exited', () => !alive(pid));
  });
});

describe('who may talk to the agent', () => {
  it('a socket other users could open is never used, and the user is told', async () => {
    const path = socketIn(box.vaultDir);
    let connections = 0;
    const impostor = createServer((c) => {
      connections++;
      c.end();
    });
    await new Promise<void>((resolve) => impostor.listen(path, resolve));
    try {
      await chmod(path, 0o666);
      const result = await execTrue(withPassphrase());
      expectSuccess(result);
      expect(result.stderr).toMatch(new RegExp(`^vault: not using the vault agent socket ${path}: it is accessible by other users \\(mode 0666\\)`));
      expect(connections).toBe(0);
    } finally {
      await new Promise((resolve) => impostor.close(resolve));
    }
  });

  const asOtherUser = process.getuid?.() === 0 ? it : it.skip;
  asOtherUser('another user cannot connect: neither through the 0700 directory nor to the 0600 socket', async () => {
    await unlock();
    const path = socketIn(box.vaultDir);
    const tryAsNobody = async () => {
      const script = `require('net').createConnection(${JSON.stringify(path)}).on('connect', () => { console.log('connected'); process.exit(0); }).on('error', (e) => { console.log(e.code); process.exit(0); })`;
      const result = await run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', script], { env: env() });
      return result.stdout.trim();
    };
    await chmod(box.home, 0o711);
    expect(await tryAsNobody()).toBe('EACCES');
    await chmod(box.vaultDir, 0o711);
    expect(await tryAsNobody()).toBe('EACCES');
    // The control: with the socket's own mode opened too, the same attempt gets through.
    await chmod(path, 0o666);
    expect(await tryAsNobody()).toBe('connected');
    await chmod(path, 0o600);
    await chmod(box.vaultDir, 0o700);
  });
});
