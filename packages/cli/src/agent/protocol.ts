// The agent's wire format: one JSON request line per connection, one JSON reply line, then the agent closes.
// Whoever can open the socket is the vault's owner (see location.ts), so replies carry decrypted data; never the key,
// which would open every later save of the vault (the salt stays until the passphrase changes), even after `lock`.
import {
  isKeysBasis,
  isVaultPatch,
  type CachedSession,
  type KeysBasis,
  type SsoToken,
  type KdfParams,
  type VaultData,
  type VaultKey,
  type VaultPatch,
  type VaultSummary,
} from '@vault/core';

export type AgentRequest =
  | { op: 'status' }
  /**
   * The decrypted vault. With `profiles`, the stored keys of those profiles only (sessions and sign-ins all): a
   * command that needs one chain's keys is not sent, and does not parse, every key of a vault that holds a thousand.
   */
  | { op: 'read'; profiles?: string[] }
  /** The vault without a secret (`vault list`): which profiles have stored keys, and the sessions' profile, chain, expiry. */
  | { op: 'summary' }
  /**
   * New sessions, and the SSO sign-ins made on the way to them (optional: older clients send none); the sessions are
   * dropped when the stored keys they were made with (`basis`) have been replaced since.
   */
  | { op: 'put-sessions'; sessions: Record<string, CachedSession>; ssoTokens?: Record<string, SsoToken>; basis?: KeysBasis }
  /** Applies `patch` if the vault is still at `base` (a `read` reply's revision); CONFLICT when it changed since. */
  | { op: 'update'; base: string; patch: VaultPatch }
  | { op: 'lock' };

export type AgentOp = AgentRequest['op'];

/** Sent with every successful reply. */
export interface AgentStatus {
  /** Absolute path of the vault file the agent holds the key of. */
  vault: string;
  pid: number;
  /** How long the key stays in memory without another request using it. */
  idleMsLeft: number;
  ttlMs: number;
}

/** Another process wrote the vault between the `read` and the `update`: read again and recompute the change. */
export const CONFLICT = 'AGENT_CONFLICT';

/** Not a request this agent knows: not from vault, or from a newer vault than the agent (one started before an upgrade). */
export const BAD_REQUEST = 'AGENT_BAD_REQUEST';

/** A VaultKey as JSON, for handing it to the agent process at launch (over its stdin). */
export interface WireKey {
  key: string;
  salt: string;
  kdf: KdfParams;
}

export type AgentReply =
  | { ok: true; status: AgentStatus; data?: VaultData; revision?: string; summary?: VaultSummary }
  | { ok: false; code: string; message: string };

/** The agent's key no longer opens the vault (passphrase changed, file replaced or removed); it has exited. */
export const STALE = 'AGENT_STALE';

/** Requests are small (at most a few new sessions); anything larger is not from vault. */
export const MAX_REQUEST_BYTES = 1024 * 1024;

export function toWireKey(k: VaultKey): WireKey {
  return {
    key: Buffer.from(k.key).toString('base64'),
    salt: Buffer.from(k.info.salt).toString('base64'),
    kdf: { ...k.info.kdf },
  };
}

export function fromWireKey(w: WireKey): VaultKey {
  return {
    key: new Uint8Array(Buffer.from(w.key, 'base64')),
    info: { kdf: { ...w.kdf }, salt: new Uint8Array(Buffer.from(w.salt, 'base64')) },
  };
}

const OPS: ReadonlySet<string> = new Set<AgentOp>(['status', 'read', 'summary', 'put-sessions', 'update', 'lock']);

/** Parses one request line; undefined for anything that is not a well-formed request. */
export function parseRequest(line: string): AgentRequest | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { op, sessions, base, patch, ssoTokens, profiles, basis } = value as {
    op?: unknown;
    sessions?: unknown;
    base?: unknown;
    patch?: unknown;
    ssoTokens?: unknown;
    profiles?: unknown;
    basis?: unknown;
  };
  if (typeof op !== 'string' || !OPS.has(op)) return undefined;
  if (op === 'update') return typeof base === 'string' && isVaultPatch(patch) ? { op, base, patch } : undefined;
  if (op === 'read') {
    if (profiles === undefined) return { op };
    return Array.isArray(profiles) && profiles.every((p) => typeof p === 'string') ? { op, profiles } : undefined;
  }
  if (op !== 'put-sessions') return { op } as AgentRequest;
  const isRecord = (x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (!isRecord(sessions) || (ssoTokens !== undefined && !isRecord(ssoTokens)) || (basis !== undefined && !isKeysBasis(basis))) return undefined;
  return {
    op,
    sessions: sessions as Record<string, CachedSession>,
    ...(ssoTokens !== undefined && { ssoTokens: ssoTokens as Record<string, SsoToken> }),
    ...(basis !== undefined && { basis }),
  };
}
