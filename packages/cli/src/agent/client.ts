// Talking to the agent from a vault command. Every method answers "no agent" (undefined or false) rather than
// failing when the agent is absent, dead, stale or untrustworthy, so the caller falls back to the passphrase; only
// a socket that is there but unsafe is worth telling the user about.
import { lstatSync } from 'node:fs';
import { createConnection } from 'node:net';
import { isVaultSummary, MAX_VAULT_FILE_BYTES, summarizeVault, type CachedSession, type KeysBasis, type SsoToken, type VaultData, type VaultPatch, type VaultSummary } from '@vault/core';
import { AgentRemoteError } from './errors.js';
import { currentUid, socketDirFix, socketDirProblem, socketFileProblem, type AgentLocation } from './location.js';
import { BAD_REQUEST, CONFLICT, STALE, type AgentReply, type AgentRequest, type AgentStatus } from './protocol.js';

export interface AgentClientOptions {
  location: AgentLocation;
  /** Diagnostics (--debug). */
  log: (message: string) => void;
  /** A one-line notice for the user. */
  warn: (message: string) => void;
  uid?: number;
  /** How long a reply may take; `put-sessions` waits longer because the agent may wait for the vault lock. */
  timeoutMs?: number;
  /** The longest reply read (MAX_REPLY_CHARS); tests lower it. */
  maxReplyChars?: number;
}

type OkReply = Extract<AgentReply, { ok: true }>;

const DEFAULT_TIMEOUT_MS = 5_000;
// The agent waits up to 15 s for another process's vault lock before it reports VAULT_LOCKED.
const WRITE_TIMEOUT_MS = 30_000;

/** Errors of the vault file the agent reports as they are (core's codes): no key, this one's or another, would help. */
const VAULT_FILE_PROBLEMS: ReadonlySet<string> = new Set(['VAULT_CORRUPT', 'VAULT_PERMISSIONS']);

export class AgentClient {
  constructor(private readonly opts: AgentClientOptions) {}

  get location(): AgentLocation {
    return this.opts.location;
  }

  async status(): Promise<AgentStatus | undefined> {
    const reply = await this.okReply({ op: 'status' });
    return reply?.status;
  }

  /**
   * The decrypted vault, without the passphrase or libsodium in this process; `revision` names this state of it.
   * With `profiles`, of the stored keys only those profiles' (an agent from before this option sends all of them).
   */
  async read(profiles?: readonly string[]): Promise<{ data: VaultData; revision: string; status: AgentStatus } | undefined> {
    const req: AgentRequest = profiles ? { op: 'read', profiles: [...profiles] } : { op: 'read' };
    const answer = await this.request(req, this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    // What the agent found wrong with the vault file itself (damaged, unsafe permissions) is the answer: the
    // passphrase would open it no better, and asking for it would hide the cause.
    if (answer && !answer.ok && VAULT_FILE_PROBLEMS.has(answer.code)) throw new AgentRemoteError(answer.code, answer.message);
    const reply = this.okAnswer(req, answer);
    if (!reply?.data || typeof reply.data !== 'object' || typeof reply.revision !== 'string') return undefined;
    return { data: reply.data, revision: reply.revision, status: reply.status };
  }

  /**
   * The vault without a secret (`vault list`): no key or session credential reaches this process. Undefined when
   * there is no agent. An agent started before vault knew this request (an upgrade while unlocked) is read whole
   * instead, and summarized here.
   */
  async summary(): Promise<{ summary: VaultSummary; status: AgentStatus } | undefined> {
    const reply = await this.request({ op: 'summary' }, this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    if (reply && !reply.ok && VAULT_FILE_PROBLEMS.has(reply.code)) throw new AgentRemoteError(reply.code, reply.message);
    if (reply && !reply.ok) {
      if (reply.code === BAD_REQUEST) {
        const read = await this.read();
        return read && { summary: summarizeVault(read.data), status: read.status };
      }
      this.opts.log(`vault agent: summary: ${reply.code}: ${reply.message}`);
    }
    if (!reply?.ok || !isVaultSummary(reply.summary)) return undefined;
    return { summary: reply.summary, status: reply.status };
  }

  /**
   * Has the agent apply `patch` to the vault if it is still at `base`: 'written', 'conflict' (it changed since; read
   * again), or 'absent' (no agent to do it). A failure the agent reports, such as VAULT_LOCKED, is thrown.
   */
  async update(base: string, patch: VaultPatch): Promise<'written' | 'conflict' | 'absent'> {
    const reply = await this.request({ op: 'update', base, patch }, WRITE_TIMEOUT_MS);
    if (!reply) return 'absent';
    if (reply.ok) return 'written';
    if (reply.code === CONFLICT) return 'conflict';
    if (reply.code === STALE) return 'absent';
    throw new AgentRemoteError(reply.code, reply.message);
  }

  /**
   * Stores sessions through the agent. False when there is no agent to do it (the caller writes with a key of its
   * own); a failure the agent reports, such as VAULT_LOCKED, is thrown with its code.
   */
  async putSessions(sessions: ReadonlyMap<string, CachedSession>, ssoTokens: ReadonlyMap<string, SsoToken> = new Map(), basis?: KeysBasis): Promise<boolean> {
    const request = {
      op: 'put-sessions' as const,
      sessions: Object.fromEntries(sessions),
      ...(ssoTokens.size > 0 && { ssoTokens: Object.fromEntries(ssoTokens) }),
      ...(basis !== undefined && { basis }),
    };
    const reply = await this.request(request, WRITE_TIMEOUT_MS);
    if (!reply) return false;
    if (reply.ok) return true;
    if (reply.code === STALE) return false;
    throw new AgentRemoteError(reply.code, reply.message);
  }

  /** Asks the agent to wipe the key and exit; false when no agent was running. */
  async lock(): Promise<boolean> {
    return (await this.okReply({ op: 'lock' })) !== undefined;
  }

  private async okReply(req: AgentRequest): Promise<OkReply | undefined> {
    return this.okAnswer(req, await this.request(req, this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS));
  }

  private okAnswer(req: AgentRequest, reply: AgentReply | undefined): OkReply | undefined {
    if (reply && !reply.ok) this.opts.log(`vault agent: ${req.op}: ${reply.code}: ${reply.message}`);
    return reply?.ok ? reply : undefined;
  }

  private async request(req: AgentRequest, timeoutMs: number): Promise<AgentReply | undefined> {
    const { location, log, warn } = this.opts;
    const check = await this.checkSocket();
    if (check.absent) return undefined;
    if (check.problem) {
      warn(`vault: not using the vault agent socket ${location.socket}: ${check.problem}`);
      return undefined;
    }
    let text: string;
    try {
      text = await exchange(location.socket, `${JSON.stringify(req)}\n`, timeoutMs, this.opts.maxReplyChars ?? MAX_REPLY_CHARS);
    } catch (err) {
      // A socket left by an agent that was killed refuses connections: the vault is simply locked.
      log(`vault agent at ${location.socket} did not answer: ${(err as Error).message}`);
      return undefined;
    }
    const reply = parseReply(text);
    if (!reply) {
      log(`vault agent at ${location.socket} gave a malformed reply`);
      return undefined;
    }
    if (reply.ok && reply.status.vault !== location.vault) {
      log(`the agent at ${location.socket} serves ${reply.status.vault}, not ${location.vault}`);
      return undefined;
    }
    return reply;
  }

  /** Whether there is a socket, and if so why it must not be used (no problem: it may). */
  private async checkSocket(): Promise<{ absent: boolean; problem?: string }> {
    const { location } = this.opts;
    const uid = this.opts.uid ?? currentUid();
    try {
      // Synchronous: on the hot path, these two and the config read are all the file system work a cached command
      // does, and none of it is worth starting libuv's thread pool for (docs/benchmarks.md, "Start-up, round 5").
      const socket = lstatSync(location.socket);
      const dir = lstatSync(location.dir);
      const dirProblem = socketDirProblem(dir, uid);
      if (dirProblem) return { absent: false, problem: `its directory ${location.dir}: ${dirProblem}; ${socketDirFix(location.dir, dir, uid)}` };
      const socketProblem = socketFileProblem(socket, uid);
      return { absent: false, problem: socketProblem && `${socketProblem}; remove it, then \`vault unlock\` again` };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { absent: true };
      return { absent: false, problem: (err as Error).message };
    }
  }
}

/**
 * How long this side of a connection stays open after the agent has closed its side. Closing a socket goes through
 * Node's Socket#_destroy, which reads process.stderr (a debug check: `this !== process.stderr`) and so builds the
 * stderr stream, at a terminal a tty.WriteStream: ~1 ms of CPU of a cached `vault exec` that never writes to stderr
 * (docs/benchmarks.md, "Start-up, round 6"). A command done sooner exits with it open; one that runs on (a long
 * child, the server) closes it then. The agent closes its own side once the reply is out, so this holds none of its
 * connections.
 */
const CLOSE_AFTER_MS = 1_000;

/** The longest reply read: a vault's contents as JSON are at most about twice its largest file (MAX_VAULT_FILE_BYTES). */
const MAX_REPLY_CHARS = 2 * MAX_VAULT_FILE_BYTES;

/**
 * Sends one request line and collects everything the agent writes until it closes its side of the connection, up
 * to `maxChars`.
 */
function exchange(path: string, line: string, timeoutMs: number, maxChars: number): Promise<string> {
  return new Promise((resolve, reject) => {
    // Half-open: the agent's end of the reply does not close this side at once (CLOSE_AFTER_MS).
    const conn = createConnection({ path, allowHalfOpen: true });
    let received = '';
    conn.setEncoding('utf8');
    conn.setTimeout(timeoutMs, () => conn.destroy(new Error(`no reply within ${timeoutMs} ms`)));
    conn.on('connect', () => conn.write(line));
    conn.on('data', (chunk: string) => {
      received += chunk;
      // The agent's replies hold at most a vault's contents; something else at the socket may send without end.
      if (received.length > maxChars) conn.destroy(new Error(`the reply is longer than ${maxChars} characters`));
    });
    conn.on('error', reject);
    conn.on('end', () => {
      conn.setTimeout(0);
      conn.unref();
      setTimeout(() => conn.destroy(), CLOSE_AFTER_MS).unref();
      resolve(received);
    });
  });
}

function parseReply(text: string): AgentReply | undefined {
  try {
    const end = text.indexOf('\n');
    const reply = JSON.parse(end < 0 ? text : text.slice(0, end)) as Partial<AgentReply>;
    if (reply.ok === true && typeof reply.status === 'object' && reply.status !== null) return reply as AgentReply;
    if (reply.ok === false && typeof reply.code === 'string') return { ok: false, code: reply.code, message: String(reply.message ?? '') };
    return undefined;
  } catch {
    return undefined;
  }
}
