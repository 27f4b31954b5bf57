import { jest } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmod, lstat, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffVaultData, emptyVaultData, putCredentials, removeCredentials, summarizeVault, VaultFile, type CachedSession, type VaultKey } from '@vault/core';
import { AgentClient } from './client.js';
import { AgentRemoteError } from './errors.js';
import { agentLocation, type AgentLocation } from './location.js';
import { startAgentServer, type RunningAgent, type Timers } from './server.js';

jest.setTimeout(30_000);

const FAST = { alg: 'argon2id13' as const, opslimit: 1, memlimit: 8192 * 1024 };
const PASSPHRASE = 'agent unit test';

/** Timers that fire only when the test says so. */
function manualTimers() {
  const pending = new Map<number, { fn: () => void; ms: number }>();
  let next = 0;
  const timers: Timers = {
    set(fn, ms) {
      pending.set(++next, { fn, ms });
      return next;
    },
    clear(handle) {
      pending.delete(handle as number);
    },
  };
  return {
    timers,
    pending: () => [...pending.values()],
    fireAll() {
      const due = [...pending.values()];
      pending.clear();
      for (const t of due) t.fn();
    },
  };
}

function session(expiresInMs: number): CachedSession {
  return {
    accessKeyId: 'ASIAEXAMPLEEXAMPLE12',
    secretAccessKey: 'session-secret-session-secret',
    sessionToken: 'session-token-session-token',
    expiration: new Date(Date.now() + expiresInMs).toISOString(),
    profile: 'p',
    chain: 'p',
    profiles: ['p'],
  };
}

let dir: string;
let file: VaultFile;
let location: AgentLocation;
let agent: RunningAgent | undefined;
let warnings: string[];
let client: AgentClient;

async function newVault(): Promise<VaultKey> {
  const key = await file.create(PASSPHRASE, FAST);
  await file.update(key, (d) => putCredentials(d, 'p', { accessKeyId: 'AKIAEXAMPLEEXAMPLE12', secretAccessKey: 'long-lived-secret', addedAt: '2026-01-01T00:00:00Z' }));
  return key;
}

function copyOf(key: VaultKey): VaultKey {
  return { key: Uint8Array.from(key.key), info: { kdf: { ...key.info.kdf }, salt: Uint8Array.from(key.info.salt) } };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vault-agent-'));
  file = new VaultFile(join(dir, 'vault-dir', 'vault'));
  location = agentLocation({}, file.path);
  warnings = [];
  client = new AgentClient({ location, log: () => {}, warn: (m) => warnings.push(m) });
});

afterEach(async () => {
  await agent?.close();
  agent = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe('the agent server', () => {
  it('serves the decrypted vault and stores sessions, over a 0600 socket in a 0700 directory', async () => {
    const key = await newVault();
    agent = await startAgentServer({ file, key: copyOf(key), location, ttlMs: 60_000 });

    expect((await stat(location.dir)).mode & 0o777).toBe(0o700);
    const socket = await lstat(location.socket);
    expect(socket.isSocket()).toBe(true);
    expect(socket.mode & 0o777).toBe(0o600);
    expect(socket.uid).toBe(process.getuid!());

    const read = await client.read();
    expect(read?.data.credentials.p?.accessKeyId).toBe('AKIAEXAMPLEEXAMPLE12');
    expect(read?.status).toMatchObject({ vault: file.path, pid: process.pid, ttlMs: 60_000 });

    const s = session(3_600_000);
    expect(await client.putSessions(new Map([['cache-key', s]]))).toBe(true);
    expect((await file.read(key)).sessions['cache-key']).toEqual(s);
    expect(warnings).toEqual([]);
  });

  it('applies a change computed on what was read, and refuses one computed on an older state', async () => {
    const key = await newVault();
    agent = await startAgentServer({ file, key: copyOf(key), location, ttlMs: 60_000 });
    const read = (await client.read())!;
    const added = putCredentials(read.data, 'q', { accessKeyId: 'AKIAQQQQQQQQQQQQQQQQ', secretAccessKey: 'q', addedAt: 'now' });
    expect(await client.update(read.revision, diffVaultData(read.data, added))).toBe('written');
    expect(Object.keys((await file.read(key)).credentials).sort()).toEqual(['p', 'q']);
    // `read` is now stale: another change computed on it must be recomputed.
    const removed = removeCredentials(read.data, 'p');
    expect(await client.update(read.revision, diffVaultData(read.data, removed))).toBe('conflict');
    expect(Object.keys((await file.read(key)).credentials).sort()).toEqual(['p', 'q']);
  });

  it("sends only the stored keys of the profiles a read names, every session, and the whole vault's revision", async () => {
    const key = await newVault();
    await file.update(key, (d) => putCredentials(d, 'q', { accessKeyId: 'AKIAQQQQQQQQQQQQQQQQ', secretAccessKey: 'q', addedAt: 'now' }));
    await file.update(key, (d) => ({ ...d, sessions: { 'cache-key': session(3_600_000) } }));
    agent = await startAgentServer({ file, key: copyOf(key), location, ttlMs: 60_000 });
    const whole = (await client.read())!;
    const scoped = (await client.read(['q', 'not-stored']))!;
    expect(Object.keys(whole.data.credentials).sort()).toEqual(['p', 'q']);
    expect(Object.keys(scoped.data.credentials)).toEqual(['q']);
    expect(scoped.data.sessions).toEqual(whole.data.sessions);
    expect(scoped.revision).toBe(whole.revision);
  });

  it('sends a summary with the stored profiles and the sessions, and not one secret of either', async () => {
    const key = await newVault();
    const cached = session(3_600_000);
    await file.update(key, (d) => ({ ...d, sessions: { 'cache-key': cached } }));
    agent = await startAgentServer({ file, key: copyOf(key), location, ttlMs: 60_000 });
    const raw = await rawRequest('{"op":"summary"}\n');
    for (const secret of ['long-lived-secret', cached.secretAccessKey, cached.sessionToken]) expect(raw).not.toContain(secret);
    const got = (await client.summary())!;
    expect(got.summary).toEqual({
      stored: ['p'],
      sessions: [{ key: 'cache-key', profile: cached.profile, chain: cached.chain, expiration: cached.expiration }],
      signIns: [],
    });
    expect(got.status).toMatchObject({ vault: file.path, pid: process.pid });
  });

  it('opens the vault once for the summaries of an unchanged file, and again once anything rewrites it', async () => {
    const key = await newVault();
    agent = await startAgentServer({ file, key: copyOf(key), location, ttlMs: 60_000 });
    let opened = 0;
    const readSealed = file.readSealed.bind(file);
    jest.spyOn(file, 'readSealed').mockImplementation(async () => {
      const sealed = await readSealed();
      return { ...sealed, open: (k: VaultKey) => (opened++, sealed.open(k)) };
    });
    const stored = async () => (await client.summary())?.summary.stored;
    expect([await stored(), await stored(), opened]).toEqual([['p'], ['p'], 1]);
    // Written by another vault command, not through the agent.
    await file.update(key, (d) => putCredentials(d, 'q', { accessKeyId: 'AKIAQQQQQQQQQQQQQQQQ', secretAccessKey: 'q', addedAt: 'now' }));
    opened = 0;
    expect([await stored(), await stored(), opened]).toEqual([['p', 'q'], ['p', 'q'], 1]);
  });

  it('summarizes the whole read of an agent started before vault knew the summary request', async () => {
    const data = await file.read(await newVault());
    // Such an agent answers `summary` as any request it does not know, and `read` with the whole vault.
    await mkdir(location.dir, { recursive: true, mode: 0o700 });
    const status = { vault: file.path, pid: process.pid, idleMsLeft: 60_000, ttlMs: 60_000 };
    const older = createServer((conn) =>
      conn.once('data', (line) => {
        const { op } = JSON.parse(String(line)) as { op: string };
        const reply = op === 'read' ? { ok: true, status, data, revision: 'r' } : { ok: false, code: 'AGENT_BAD_REQUEST', message: 'not a vault agent request' };
        conn.end(`${JSON.stringify(reply)}\n`);
      }),
    );
    await new Promise<void>((resolve) => older.listen(location.socket, resolve));
    try {
      await chmod(location.socket, 0o600);
      expect((await client.summary())?.summary).toEqual(summarizeVault(data));
    } finally {
      await new Promise((resolve) => older.close(resolve));
    }
  });

  it('reports a damaged vault file as such to the reader, which no passphrase would open either', async () => {
    const key = await newVault();
    agent = await startAgentServer({ file, key: copyOf(key), location, ttlMs: 60_000 });
    const bytes = await readFile(file.path);
    bytes[bytes.length - 20]! ^= 1;
    await writeFile(file.path, bytes, { mode: 0o600 });
    await expect(client.read()).rejects.toMatchObject({ code: 'VAULT_CORRUPT', message: expect.stringContaining('fails authentication') });
    // `vault list` asks for a summary: the same answer, not "locked".
    await expect(client.summary()).rejects.toMatchObject({ code: 'VAULT_CORRUPT' });
  });

  it('stops reading something at the socket that answers without end, and goes on without an agent', async () => {
    await mkdir(location.dir, { recursive: true, mode: 0o700 });
    const chunk = 'x'.repeat(64 * 1024);
    const flood = createServer((conn) => {
      conn.on('error', () => undefined);
      const send = () => {
        while (!conn.destroyed && conn.write(chunk));
        if (!conn.destroyed) conn.once('drain', send);
      };
      send();
    });
    await new Promise<void>((resolve) => flood.listen(location.socket, resolve));
    try {
      await chmod(location.socket, 0o600);
      const logs: string[] = [];
      const bounded = new AgentClient({ location, log: (m) => logs.push(m), warn: (m) => warnings.push(m), maxReplyChars: 1024 * 1024 });
      expect(await bounded.status()).toBeUndefined();
      expect(logs.join('\n')).toContain('the reply is longer than 1048576 characters');
    } finally {
      flood.close();
    }
  });

  it('never hands out the key it holds', async () => {
    const key = await newVault();
    agent = await startAgentServer({ file, key: copyOf(key), location, ttlMs: 60_000 });
    const encoded = [Buffer.from(key.key).toString('base64'), Buffer.from(key.key).toString('hex')];
    for (const op of ['key', 'status', 'read', 'summary']) {
      const reply = await rawRequest(`${JSON.stringify({ op })}\n`);
      for (const form of encoded) expect(reply).not.toContain(form);
    }
    expect(JSON.parse(await rawRequest('{"op":"key"}\n'))).toMatchObject({ ok: false, code: 'AGENT_BAD_REQUEST' });
  });

  it('creates $XDG_RUNTIME_DIR/vault 0700 when the session has a runtime directory', async () => {
    const runtime = join(dir, 'run');
    await mkdir(runtime, { mode: 0o700 });
    location = agentLocation({ XDG_RUNTIME_DIR: runtime }, file.path);
    client = new AgentClient({ location, log: () => {}, warn: (m) => warnings.push(m) });
    agent = await startAgentServer({ file, key: await newVault(), location, ttlMs: 60_000 });
    expect((await stat(join(runtime, 'vault'))).mode & 0o777).toBe(0o700);
    expect((await client.read())?.data.credentials.p).toBeDefined();
  });

  it('wipes the key and removes the socket when idle for the TTL, and every use starts the TTL again', async () => {
    const clock = manualTimers();
    let now = 1_000;
    const key = copyOf(await newVault());
    agent = await startAgentServer({ file, key, location, ttlMs: 900_000, timers: clock.timers, now: () => now });
    expect(clock.pending()).toEqual([{ fn: expect.any(Function), ms: 900_000 }]);

    now += 600_000;
    expect((await client.status())?.idleMsLeft).toBe(300_000);
    // status does not count as use; reading does.
    await client.read();
    expect(clock.pending()).toHaveLength(1);
    expect((await client.status())?.idleMsLeft).toBe(900_000);

    clock.fireAll();
    await agent.closed;
    expect(key.key.every((b) => b === 0)).toBe(true);
    await expect(lstat(location.socket)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await client.read()).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('locks when the wall clock says the TTL is over, though its timer has not fired (the machine slept)', async () => {
    const clock = manualTimers();
    let now = 1_000;
    const key = copyOf(await newVault());
    agent = await startAgentServer({ file, key, location, ttlMs: 900_000, timers: clock.timers, now: () => now });
    expect(await client.read()).toBeDefined();
    // Suspended overnight: the monotonic timer did not run, the wall clock did.
    now += 8 * 3600_000;
    expect(await client.read()).toBeUndefined();
    await agent.closed;
    expect(key.key.every((b) => b === 0)).toBe(true);
  });

  it('locks on request: the key is wiped before the reply', async () => {
    const key = copyOf(await newVault());
    agent = await startAgentServer({ file, key, location, ttlMs: 60_000 });
    expect(await client.lock()).toBe(true);
    expect(key.key.every((b) => b === 0)).toBe(true);
    await agent.closed;
    await expect(lstat(location.socket)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await client.lock()).toBe(false);
  });

  it('stops, wiping the key, once the passphrase has been changed', async () => {
    const original = await newVault();
    const held = copyOf(original);
    agent = await startAgentServer({ file, key: held, location, ttlMs: 60_000 });
    await file.changePassphrase(original, 'a new passphrase');
    expect(await client.read()).toBeUndefined();
    await agent.closed;
    expect(held.key.every((b) => b === 0)).toBe(true);
    await expect(lstat(location.socket)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('stops once the vault file has been replaced by another vault', async () => {
    const held = copyOf(await newVault());
    agent = await startAgentServer({ file, key: held, location, ttlMs: 60_000 });
    await rm(file.path);
    await file.create(PASSPHRASE, FAST);
    expect(await client.read()).toBeUndefined();
    await agent.closed;
  });

  it('reports a failed write with its code and keeps serving', async () => {
    agent = await startAgentServer({ file, key: await newVault(), location, ttlMs: 60_000 });
    const malformed = { ...session(3_600_000), sessionToken: 42 } as unknown as CachedSession;
    const failure = client.putSessions(new Map([['k', malformed]]));
    await expect(failure).rejects.toBeInstanceOf(AgentRemoteError);
    await expect(failure).rejects.toMatchObject({ code: 'AGENT_ERROR' });
    expect(await client.read()).toBeDefined();
  });

  it('answers a malformed request with an error and keeps serving', async () => {
    agent = await startAgentServer({ file, key: await newVault(), location, ttlMs: 60_000 });
    const reply = await rawRequest('{"op":"dump"}\n');
    expect(JSON.parse(reply)).toMatchObject({ ok: false, code: 'AGENT_BAD_REQUEST' });
    expect(await client.status()).toBeDefined();
  });

  it('refuses to start in a directory other users can enter, and wipes the key', async () => {
    await newVault();
    await chmod(location.dir, 0o755);
    const key = copyOf(await file.unlock(PASSPHRASE));
    await expect(startAgentServer({ file, key, location, ttlMs: 60_000 })).rejects.toMatchObject({
      code: 'AGENT_SOCKET',
      message: expect.stringMatching(/accessible by other users \(mode 0755\).*chmod 700/),
    });
    expect(key.key.every((b) => b === 0)).toBe(true);
  });

  it('holds at most its connection cap of unfinished requests, and drops one that stalls', async () => {
    agent = await startAgentServer({ file, key: await newVault(), location, ttlMs: 60_000, limits: { connections: 4, requestMs: 300 } });
    const stalled = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const conn = createConnection({ path: location.socket });
        await new Promise((r) => conn.once('connect', r));
        conn.write('{"op":"sta');
        return { conn, closed: new Promise<number>((r) => conn.once('close', () => r(Date.now()))) };
      }),
    );
    const started = Date.now();
    // Over the cap: turned away (the client then goes on without the agent).
    expect(await client.status()).toBeUndefined();
    const closedAt = await Promise.all(stalled.map((s) => s.closed));
    for (const at of closedAt) expect(at - started).toBeLessThan(3_000);
    // The stalled ones are gone, so the agent serves again.
    expect(await client.status()).toBeDefined();
  });

  it('closes each connection once its reply is out, so clients that keep their side open hold none of its cap', async () => {
    agent = await startAgentServer({ file, key: await newVault(), location, ttlMs: 60_000, limits: { connections: 2, requestMs: 5_000 } });
    // Raw clients that never close their side, as agent/client.ts leaves it open until its command ends.
    const kept = [];
    for (let i = 0; i < 4; i++) {
      const conn = createConnection({ path: location.socket, allowHalfOpen: true });
      kept.push(conn);
      const reply = await new Promise<string>((resolve) => {
        let text = '';
        conn.on('connect', () => conn.write('{"op":"status"}\n'));
        conn.on('data', (d) => (text += d));
        // Turned away over the cap, a client is closed with no reply.
        conn.on('end', () => resolve(text));
        conn.on('error', () => resolve(text));
      });
      expect(reply).toMatch(/"ok":true/);
    }
    // Four answered, with a cap of two: each was closed by the agent, whatever the client did.
    expect(await client.status()).toBeDefined();
    for (const conn of kept) conn.destroy();
  });

  it('tells a user whose socket directory belongs to someone else to use another directory, not chmod', async () => {
    await newVault();
    const key = copyOf(await file.unlock(PASSPHRASE));
    const err = await startAgentServer({ file, key, location, ttlMs: 60_000, uid: process.getuid!() + 1 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'AGENT_SOCKET' });
    expect((err as Error).message).toMatch(/belongs to uid \d+, not to this user .*; chmod cannot fix that: remove it as its owner, or set XDG_RUNTIME_DIR to a directory of your own$/);
    expect((err as Error).message).not.toMatch(/chmod 700/);
  });

  it('refuses a socket path too long for the kernel', async () => {
    const deep = join(dir, 'd'.repeat(60), 'e'.repeat(60));
    const longFile = new VaultFile(join(deep, 'vault'));
    const longLocation = agentLocation({}, longFile.path);
    await expect(startAgentServer({ file: longFile, key: await newVault(), location: longLocation, ttlMs: 1000 })).rejects.toMatchObject({
      code: 'AGENT_SOCKET',
      message: expect.stringMatching(/XDG_RUNTIME_DIR/),
    });
  });

  it('replaces a socket left behind by a killed agent', async () => {
    await newVault();
    leaveStaleSocket(location.socket);
    agent = await startAgentServer({ file, key: await file.unlock(PASSPHRASE), location, ttlMs: 60_000 });
    expect((await client.read())?.data.credentials.p).toBeDefined();
  });
});

describe('the agent client', () => {
  it('says nothing when there is no agent', async () => {
    await newVault();
    expect(await client.read()).toBeUndefined();
    expect(await client.update('any', diffVaultData(emptyVaultData(), emptyVaultData()))).toBe('absent');
    expect(await client.putSessions(new Map())).toBe(false);
    expect(warnings).toEqual([]);
  });

  it('falls back quietly when the agent was killed and left its socket', async () => {
    await newVault();
    leaveStaleSocket(location.socket);
    expect(await client.read()).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it.each([
    ['a socket other users can open', async () => chmod(location.socket, 0o666), /accessible by other users \(mode 0666\)/],
    ['a socket in a directory others can enter', async () => chmod(location.dir, 0o711), /its directory .*accessible by other users \(mode 0711\)/],
  ])('never connects to %s, and says so', async (_, spoil, problem) => {
    await newVault();
    let connections = 0;
    const impostor = createServer((c) => {
      connections++;
      c.end('{"ok":true,"status":{"vault":"x"},"data":{}}\n');
    });
    await new Promise<void>((resolve) => impostor.listen(location.socket, resolve));
    try {
      await spoil();
      expect(await client.read()).toBeUndefined();
      expect(connections).toBe(0);
      expect(warnings).toEqual([expect.stringMatching(problem)]);
    } finally {
      await chmod(location.dir, 0o700);
      await new Promise((resolve) => impostor.close(resolve));
    }
  });

  it('tells a user whose socket directory belongs to someone else to use another directory, not to chmod it', async () => {
    await newVault();
    const impostor = createServer((c) => c.end());
    await new Promise<void>((resolve) => impostor.listen(location.socket, resolve));
    try {
      const asOther = new AgentClient({ location, log: () => {}, warn: (m) => warnings.push(m), uid: process.getuid!() + 1 });
      expect(await asOther.read()).toBeUndefined();
      expect(warnings).toEqual([expect.stringMatching(/its directory .* belongs to uid \d+, not to this user .*set XDG_RUNTIME_DIR to a directory of your own/)]);
      expect(warnings[0]).not.toMatch(/chmod 700/);
    } finally {
      await new Promise((resolve) => impostor.close(resolve));
    }
  });

  it('ignores an agent that serves another vault', async () => {
    await newVault();
    const other = new VaultFile(join(dir, 'elsewhere', 'vault'));
    const otherKey = await other.create(PASSPHRASE, FAST);
    // The other vault's agent, listening where this vault's agent would.
    agent = await startAgentServer({ file: other, key: otherKey, location: { ...location, vault: other.path }, ttlMs: 60_000 });
    expect(await client.read()).toBeUndefined();
  });
});

/** One line sent as any process of the user could; everything the agent answers. */
function rawRequest(line: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let text = '';
    const conn = createConnection({ path: location.socket });
    conn.on('connect', () => conn.write(line));
    conn.on('data', (d) => (text += d));
    conn.on('end', () => resolve(text));
    conn.on('error', reject);
  });
}

/** A socket file nobody listens on: what an agent killed with SIGKILL leaves. */
function leaveStaleSocket(path: string): void {
  const script = `process.umask(0o177); require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`;
  spawnSync(process.execPath, ['-e', script]);
}
