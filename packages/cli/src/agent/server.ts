// The agent's socket server: it holds one vault's derived key and answers the requests of protocol.ts until it has
// been idle for its TTL, is told to lock, or finds that its key no longer opens the vault. Whichever comes first
// wipes the key and closes the socket.
import { promises as fsp } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { createHash } from 'node:crypto';
import { applyVaultPatch, storeNewSessions, summarizeVault, wipeKey, withCredentialsOf, type VaultData, type VaultFile, type VaultKey, type VaultSummary } from '@vault/core';
import { agentSocketError } from './errors.js';
import { currentUid, MAX_SOCKET_PATH_BYTES, socketDirFix, socketDirProblem, type AgentLocation } from './location.js';
import { BAD_REQUEST, CONFLICT, MAX_REQUEST_BYTES, parseRequest, STALE, type AgentReply, type AgentRequest } from './protocol.js';

/** setTimeout/clearTimeout, injectable so tests can expire the TTL without waiting. */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface AgentServerOptions {
  file: VaultFile;
  /** Owned by the agent from now on: wiped when it stops. */
  key: VaultKey;
  location: AgentLocation;
  /** Idle time after which the key is wiped; every request that uses the key starts it again. */
  ttlMs: number;
  timers?: Timers;
  now?: () => number;
  uid?: number;
  limits?: AgentLimits;
}

/** What one client may hold of the agent; tests lower them. */
export interface AgentLimits {
  /** Connections open at once; more are closed on arrival, and their vault commands go on without the agent. */
  connections: number;
  /** How long a connection may take to send its request line (the answer may then take longer). */
  requestMs: number;
}

// vault commands send their one line at once, and a handful run at a time; 200 idle connections that never
// finish their line used to grow the agent from 44 to 325 MB.
const DEFAULT_LIMITS: AgentLimits = { connections: 32, requestMs: 5_000 };

export interface RunningAgent {
  /** Resolves once the key is wiped and the socket removed. */
  closed: Promise<void>;
  close(): Promise<void>;
}

// These mean the key is of no further use: the vault was re-sealed, replaced or removed since it was unlocked.
const STALE_CODES = new Set(['VAULT_KEY_STALE', 'WRONG_PASSPHRASE', 'VAULT_NOT_FOUND']);

export async function startAgentServer(opts: AgentServerOptions): Promise<RunningAgent> {
  const { file, key, location, ttlMs } = opts;
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const timers = opts.timers ?? realTimers;
  const now = opts.now ?? Date.now;
  try {
    await prepareSocketPlace(location, opts.uid ?? currentUid());
  } catch (err) {
    wipeKey(key);
    throw err;
  }

  let deadline = now() + ttlMs;
  let timer: unknown;
  let stopped = false;
  let socketIno: number | undefined;
  let markClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => (markClosed = resolve));

  const touch = () => {
    deadline = now() + ttlMs;
    if (timer !== undefined) timers.clear(timer);
    timer = timers.set(() => void close(), ttlMs);
  };

  let summaryMemo: { digest: string; summary: VaultSummary } | undefined;

  const status = () => ({ vault: location.vault, pid: process.pid, idleMsLeft: Math.max(0, deadline - now()), ttlMs });

  /** Wipes the key and stops taking connections; a reply being written still goes out. */
  async function stop(): Promise<void> {
    if (stopped) return;
    stopped = true;
    if (timer !== undefined) timers.clear(timer);
    wipeKey(key);
    server.close();
    try {
      // Only our own socket: after a new `vault unlock` the path may belong to the next agent.
      if ((await fsp.lstat(location.socket)).ino === socketIno) await fsp.unlink(location.socket);
    } catch {
      // Already removed.
    }
  }

  async function close(): Promise<void> {
    await stop();
    markClosed();
    return closed;
  }

  async function handle(req: AgentRequest): Promise<{ reply: AgentReply; thenClose: boolean }> {
    // The idle timer runs on the monotonic clock, which stands still while the machine sleeps: a laptop closed
    // overnight would wake to an agent with its whole TTL left. The wall clock decides too.
    if (!stopped && now() > deadline) await close();
    if (stopped) return { reply: { ok: false, code: STALE, message: 'the agent is stopping' }, thenClose: false };
    try {
      switch (req.op) {
        case 'status':
          return { reply: { ok: true, status: status() }, thenClose: false };
        case 'lock':
          // Wiped before the reply, so "locked" is only ever reported once it is true.
          await stop();
          return { reply: { ok: true, status: status() }, thenClose: true };
        case 'read': {
          const data = await file.read(key);
          touch();
          // The revision is always the whole vault's: it names the state an `update` is checked against.
          const sent = req.profiles ? withCredentialsOf(data, req.profiles) : data;
          return { reply: { ok: true, status: status(), data: sent, revision: revisionOf(data) }, thenClose: false };
        }
        case 'summary': {
          // `vault list` asks on every run, and opening and parsing a vault of 1,000 keys costs it ~6 ms: the summary
          // (no secret in it) is kept for as long as the file's bytes are the ones it was made from.
          const sealed = await file.readSealed();
          const digest = createHash('sha256').update(sealed.bytes).digest('base64');
          if (summaryMemo?.digest !== digest) summaryMemo = { digest, summary: summarizeVault(sealed.open(key)) };
          const { summary } = summaryMemo;
          touch();
          return { reply: { ok: true, status: status(), summary }, thenClose: false };
        }
        case 'update': {
          await file.update(key, (d: VaultData) => {
            // The command computed its change on what it read; if the vault moved on since, it must look again.
            if (revisionOf(d) !== req.base) throw Object.assign(new Error('the vault changed since it was read'), { code: CONFLICT });
            return applyVaultPatch(d, req.patch);
          });
          touch();
          return { reply: { ok: true, status: status() }, thenClose: false };
        }
        case 'put-sessions': {
          await file.update(key, (d: VaultData) => storeNewSessions(d, Object.entries(req.sessions), Object.entries(req.ssoTokens ?? {}), req.basis));
          touch();
          return { reply: { ok: true, status: status() }, thenClose: false };
        }
      }
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (typeof code === 'string' && STALE_CODES.has(code)) {
        await stop();
        return { reply: { ok: false, code: STALE, message: 'the vault changed since it was unlocked' }, thenClose: true };
      }
      const message = err instanceof Error ? err.message : String(err);
      if (typeof code === 'string' && (/^VAULT_/.test(code) || code === CONFLICT)) return { reply: { ok: false, code, message }, thenClose: false };
      return { reply: { ok: false, code: 'AGENT_ERROR', message: `the vault agent failed: ${message}` }, thenClose: false };
    }
  }

  function onConnection(conn: Socket): void {
    let buffered = '';
    conn.setEncoding('utf8');
    conn.on('error', () => conn.destroy());
    conn.setTimeout(limits.requestMs, () => conn.destroy());
    conn.on('data', (chunk: string) => {
      buffered += chunk;
      const newline = buffered.indexOf('\n');
      if (newline < 0) {
        if (buffered.length > MAX_REQUEST_BYTES) conn.destroy();
        return;
      }
      conn.removeAllListeners('data');
      conn.setTimeout(0);
      const req = parseRequest(buffered.slice(0, newline));
      const answer = req
        ? handle(req)
        : Promise.resolve({ reply: { ok: false, code: BAD_REQUEST, message: 'not a vault agent request' } as AgentReply, thenClose: false });
      void answer.then(({ reply, thenClose }) => {
        // Closed from this side once the reply is out: a client keeps its own side open a while (client.ts,
        // CLOSE_AFTER_MS), and the connection must not count against `limits.connections` meanwhile.
        conn.end(`${JSON.stringify(reply)}\n`, () => {
          conn.destroy();
          if (thenClose) void close();
        });
      });
    });
  }

  const server: Server = createServer(onConnection);
  server.maxConnections = limits.connections;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // The directory already keeps others out; the umask also keeps the socket itself from ever being
      // group/world-accessible, even for the instant between bind and chmod. Node binds a unix socket
      // synchronously inside listen(), so the umask is restored before anything else can run.
      const umask = process.umask(0o177);
      try {
        server.listen(location.socket, () => {
          server.off('error', reject);
          resolve();
        });
      } finally {
        process.umask(umask);
      }
    });
  } catch (err) {
    wipeKey(key);
    throw agentSocketError(location.socket, (err as Error).message);
  }
  await fsp.chmod(location.socket, 0o600);
  socketIno = (await fsp.lstat(location.socket)).ino;
  touch();
  return { closed, close };
}

/** Names one state of the vault's contents, so an update can tell whether it was computed on the current one. */
function revisionOf(data: VaultData): string {
  return createHash('sha256').update(JSON.stringify(data)).digest('base64');
}

/** Creates the socket directory if needed, checks it is ours and private, and clears a socket left by a dead agent. */
async function prepareSocketPlace(location: AgentLocation, uid: number): Promise<void> {
  const bytes = Buffer.byteLength(location.socket);
  if (bytes > MAX_SOCKET_PATH_BYTES) {
    throw agentSocketError(
      location.socket,
      `the path is ${bytes} bytes and a unix socket path may have at most ${MAX_SOCKET_PATH_BYTES}; set XDG_RUNTIME_DIR to a shorter directory`,
    );
  }
  await fsp.mkdir(location.dir, { recursive: true, mode: 0o700 });
  const dirStats = await fsp.lstat(location.dir);
  const dirProblem = socketDirProblem(dirStats, uid);
  if (dirProblem) throw agentSocketError(location.socket, `its directory ${location.dir}: ${dirProblem}; ${socketDirFix(location.dir, dirStats, uid)}`);
  let existing;
  try {
    existing = await fsp.lstat(location.socket);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (!existing.isSocket()) throw agentSocketError(location.socket, 'something that is not a socket is there; move it away');
  if (existing.uid !== uid) throw agentSocketError(location.socket, `a socket of uid ${existing.uid} is there; remove it`);
  // Ours, and `vault unlock` has already told any agent behind it to stop.
  await fsp.unlink(location.socket);
}
