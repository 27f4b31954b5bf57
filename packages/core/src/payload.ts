// Pure operations on the decrypted payload. Each returns a new object and leaves its input untouched, so a
// caller can compute a change inside VaultFile.update without side effects on what it read.
import type { CachedSession, SsoToken, StoredCredentials, VaultData } from './types.js';

const DEFAULT_MIN_VALIDITY_MS = 5 * 60_000;

export function emptyVaultData(): VaultData {
  return { version: 1, credentials: {}, sessions: {} };
}

// Own-property lookups only: profile names come from users, and "constructor" or "__proto__" are valid ones.
function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function without<T>(record: Record<string, T>, drop: (key: string, value: T) => boolean): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([k, v]) => !drop(k, v)));
}

export function getCredentials(d: VaultData, profile: string): StoredCredentials | undefined {
  return own(d.credentials, profile);
}

export function putCredentials(d: VaultData, profile: string, creds: StoredCredentials): VaultData {
  return { ...d, credentials: { ...d.credentials, [profile]: { ...creds } } };
}

/** Drops the profile's keys and every cached session derived from them. */
export function removeCredentials(d: VaultData, profile: string): VaultData {
  return {
    ...d,
    credentials: without(d.credentials, (k) => k === profile),
    sessions: without(d.sessions, (_, s) => s.profiles.includes(profile)),
  };
}

/** The vault with the stored keys of `profiles` only; sessions and sign-ins as they are. */
export function withCredentialsOf(d: VaultData, profiles: readonly string[]): VaultData {
  const wanted = new Set(profiles);
  return { ...d, credentials: without(d.credentials, (k) => !wanted.has(k)) };
}

export function listProfiles(d: VaultData): string[] {
  return Object.keys(d.credentials).sort(byCodePoint);
}

/** The cached session if it stays valid for at least `minValidityMs` after `now`. */
export function getSession(
  d: VaultData,
  key: string,
  now: Date,
  minValidityMs = DEFAULT_MIN_VALIDITY_MS,
): CachedSession | undefined {
  const s = own(d.sessions, key);
  return s && expiresAt(s) > now.getTime() + minValidityMs ? s : undefined;
}

export function putSession(d: VaultData, key: string, s: CachedSession): VaultData {
  return { ...d, sessions: { ...d.sessions, [key]: { ...s, profiles: [...s.profiles] } } };
}

export function putSessions(d: VaultData, sessions: Iterable<[string, CachedSession]>): VaultData {
  return [...sessions].reduce((acc, [key, s]) => putSession(acc, key, s), d);
}

/**
 * The stored keys a command's new sessions were made with (their id and when they were stored). A `vault add --force`
 * or `vault rotate` that replaced them while the command waited on STS or on an MFA code has cleared the sessions of
 * the old keys; a session made with those keys must not be written after it.
 */
export interface KeysBasis {
  profile: string;
  accessKeyId: string;
  addedAt: string;
}

/** New sessions and sign-ins into `d`; the sessions only while the keys of `basis` (when given) are still stored. */
export function storeNewSessions(
  d: VaultData,
  sessions: Iterable<[string, CachedSession]>,
  ssoTokens: Iterable<[string, SsoToken]>,
  basis?: KeysBasis,
): VaultData {
  const current = basis && getCredentials(d, basis.profile);
  const replaced = basis !== undefined && (current?.accessKeyId !== basis.accessKeyId || current.addedAt !== basis.addedAt);
  return putSsoTokens(replaced ? d : putSessions(d, sessions), ssoTokens);
}

export function isKeysBasis(value: unknown): value is KeysBasis {
  if (typeof value !== 'object' || value === null) return false;
  const { profile, accessKeyId, addedAt } = value as Record<string, unknown>;
  return typeof profile === 'string' && typeof accessKeyId === 'string' && typeof addedAt === 'string';
}

export function getSsoToken(d: VaultData, key: string): SsoToken | undefined {
  return d.ssoTokens ? own(d.ssoTokens, key) : undefined;
}

export function putSsoTokens(d: VaultData, tokens: Iterable<[string, SsoToken]>): VaultData {
  const added = Object.fromEntries([...tokens].map(([k, t]) => [k, { ...t }]));
  return Object.keys(added).length === 0 ? d : { ...d, ssoTokens: { ...d.ssoTokens, ...added } };
}

/**
 * Drops all cached sessions (and SSO sign-ins: a full clear means "sign in again"), or those derived from `profile`.
 * `removed` counts both.
 */
/**
 * Drops cached sessions. Without a profile: every session and every IAM Identity Center sign-in. With one: the
 * sessions whose chain passes through it, and the sign-in kept under `signIn` (the profile's own sign-in's key), as
 * aws-vault's `clear PROFILE` drops that profile's OIDC token.
 */
export function clearSessions(d: VaultData, profile?: string, signIn?: string): { data: VaultData; removed: number } {
  const sessions = without(d.sessions, (_, s) => profile === undefined || s.profiles.includes(profile));
  const tokens = d.ssoTokens ?? {};
  const ssoTokens = profile === undefined ? {} : without(tokens, (key) => key === signIn);
  const removed = Object.keys(d.sessions).length - Object.keys(sessions).length + Object.keys(tokens).length - Object.keys(ssoTokens).length;
  const { ssoTokens: _dropped, ...rest } = d;
  return { data: Object.keys(ssoTokens).length === 0 ? { ...rest, sessions } : { ...rest, sessions, ssoTokens }, removed };
}

/** A cached session as `vault list` shows it: whose it is, through which chain, until when; no credential. */
export interface SessionSummary {
  key: string;
  profile: string;
  chain: string;
  expiration: string;
}

/** An IAM Identity Center sign-in as `vault list` shows it: its key (sso-session or start URL), where, until when. */
export interface SignInSummary {
  key: string;
  startUrl: string;
  expiresAt: string;
}

/**
 * What a vault holds, without a secret: the profiles with stored keys (sorted), the cached sessions and the IAM
 * Identity Center sign-ins (absent from an agent that predates them).
 */
export interface VaultSummary {
  stored: string[];
  sessions: SessionSummary[];
  signIns?: SignInSummary[];
}

export function summarizeVault(d: VaultData): VaultSummary {
  return {
    stored: listProfiles(d),
    sessions: Object.entries(d.sessions).map(([key, s]) => ({ key, profile: s.profile, chain: s.chain, expiration: s.expiration })),
    signIns: Object.entries(d.ssoTokens ?? {})
      .map(([key, t]) => ({ key, startUrl: t.startUrl, expiresAt: t.expiresAt }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
  };
}

/** Checks a summary from the agent has that shape (and carries nothing else a caller would show). */
export function isVaultSummary(x: unknown): x is VaultSummary {
  return (
    isRecord(x) &&
    Array.isArray(x.stored) &&
    x.stored.every((p) => typeof p === 'string') &&
    Array.isArray(x.sessions) &&
    x.sessions.every((s) => isRecord(s) && strings(s, ['key', 'profile', 'chain', 'expiration'])) &&
    (x.signIns === undefined || (Array.isArray(x.signIns) && x.signIns.every((t) => isRecord(t) && strings(t, ['key', 'startUrl', 'expiresAt']))))
  );
}

/** Unexpired sessions, sorted by profile (then by cache key, so the order is stable). */
export function liveSessions(summary: VaultSummary, now: Date): SessionSummary[] {
  return summary.sessions
    .filter((s) => expiresAt(s) > now.getTime())
    .sort((a, b) => byCodePoint(a.profile, b.profile) || byCodePoint(a.key, b.key));
}

/** Checks decoded JSON has the shape of VaultData, so a bad payload fails here rather than deep in the CLI. */
/** One record's change: entries added or replaced, and keys removed. */
export interface RecordPatch<T> {
  set: Record<string, T>;
  drop: string[];
}

/**
 * What turns one payload into another. The unlock agent applies it for a command that computed the change on what
 * it read, so the command needs neither the key nor a copy of the whole vault to write.
 */
export interface VaultPatch {
  credentials: RecordPatch<StoredCredentials>;
  sessions: RecordPatch<CachedSession>;
  /** Optional: a patch without it leaves the SSO sign-ins as they are. */
  ssoTokens?: RecordPatch<SsoToken>;
}

export function diffVaultData(base: VaultData, next: VaultData): VaultPatch {
  const ssoTokens = diffRecord(base.ssoTokens ?? {}, next.ssoTokens ?? {});
  return {
    credentials: diffRecord(base.credentials, next.credentials),
    sessions: diffRecord(base.sessions, next.sessions),
    ...((Object.keys(ssoTokens.set).length > 0 || ssoTokens.drop.length > 0) && { ssoTokens }),
  };
}

export function applyVaultPatch(d: VaultData, patch: VaultPatch): VaultData {
  const next = { ...d, credentials: applyRecord(d.credentials, patch.credentials), sessions: applyRecord(d.sessions, patch.sessions) };
  return patch.ssoTokens ? { ...next, ssoTokens: applyRecord(d.ssoTokens ?? {}, patch.ssoTokens) } : next;
}

export function isVaultPatch(x: unknown): x is VaultPatch {
  const isRecordPatch = (r: unknown) => isRecord(r) && isRecord(r.set) && Array.isArray(r.drop) && r.drop.every((k) => typeof k === 'string');
  return isRecord(x) && isRecordPatch(x.credentials) && isRecordPatch(x.sessions) && (x.ssoTokens === undefined || isRecordPatch(x.ssoTokens));
}

function diffRecord<T>(base: Record<string, T>, next: Record<string, T>): RecordPatch<T> {
  const changed = ([k, v]: [string, T]) => !Object.hasOwn(base, k) || JSON.stringify(base[k]) !== JSON.stringify(v);
  return {
    set: Object.fromEntries(Object.entries(next).filter(changed)),
    drop: Object.keys(base).filter((k) => !Object.hasOwn(next, k)),
  };
}

function applyRecord<T>(record: Record<string, T>, patch: RecordPatch<T>): Record<string, T> {
  const dropped = new Set(patch.drop);
  return Object.fromEntries([...Object.entries(record).filter(([k]) => !dropped.has(k)), ...Object.entries(patch.set)]);
}

export function isVaultData(x: unknown): x is VaultData {
  return (
    isRecord(x) &&
    x.version === 1 &&
    isRecord(x.credentials) &&
    Object.values(x.credentials).every(isStoredCredentials) &&
    isRecord(x.sessions) &&
    Object.values(x.sessions).every(isCachedSession) &&
    (x.ssoTokens === undefined || (isRecord(x.ssoTokens) && Object.values(x.ssoTokens).every(isSsoToken)))
  );
}

function isSsoToken(x: unknown): x is SsoToken {
  return isRecord(x) && strings(x, ['startUrl', 'region', 'accessToken', 'expiresAt']);
}

function isStoredCredentials(x: unknown): x is StoredCredentials {
  return isRecord(x) && strings(x, ['accessKeyId', 'secretAccessKey', 'addedAt']);
}

function isCachedSession(x: unknown): x is CachedSession {
  return (
    isRecord(x) &&
    strings(x, ['accessKeyId', 'secretAccessKey', 'sessionToken', 'expiration', 'profile', 'chain']) &&
    Array.isArray(x.profiles) &&
    x.profiles.every((p) => typeof p === 'string')
  );
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function strings(x: Record<string, unknown>, keys: string[]): boolean {
  return keys.every((k) => typeof x[k] === 'string');
}

// An unparseable expiration counts as expired: better one extra STS call than a dead session handed out.
function expiresAt(s: Pick<CachedSession, 'expiration'>): number {
  const t = Date.parse(s.expiration);
  return Number.isNaN(t) ? -Infinity : t;
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
