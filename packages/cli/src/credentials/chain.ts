// Walks a resolved profile chain to credentials: cached sessions first, STS for what is missing.
//
// Where the first role hop starts (planChain decides, by aws-vault's rule): from a GetSessionToken session on the
// stored keys, valid 8 h, when a profile at or above the keys names the same MFA device as the profile sourcing it;
// the code goes with that call, and the roles are renewed from the cached session without a prompt. Otherwise the
// first hop is assumed straight from the stored keys. Each role whose profile names another device sends its own code.
// Any other base (credential_process, SSO, web identity, credential_source: sources/) is used as its source returns
// it; the first hop starts from it.
// Every later hop is assumed with the previous hop's session ("role chaining"), which AWS caps at 1 h.
import type { Chain } from '@vault/profiles';
import { formatDuration } from './duration.js';
import { StsError } from './errors.js';
import { mfaCodeSource, type MfaCodeSource } from './mfa.js';
import { planChain, type Plan, type PlannedHop, type PlannedSession } from './plan.js';
import { sourceOf } from './sources/index.js';
import type { AwsCredentials, Deps, ResolveOptions } from './types.js';
import { generatedSessionName } from './session-name.js';
import { fromCache } from './sources/base-cache.js';

/** Whose credentials the next STS call is made with: decides how a refusal is explained. */
type Origin =
  | { kind: 'stored-keys'; profile: string }
  | { kind: 'source'; description: string }
  | { kind: 'session'; profile: string; cached: boolean }
  | { kind: 'role'; label: string; roleArn?: string; sessionName?: string; cached: boolean };

interface Walk {
  plan: Plan;
  opts: ResolveOptions;
  deps: Deps;
  mfaCode: MfaCodeSource;
}

interface Step {
  creds: AwsCredentials;
  origin: Origin;
}

/** A cached session STS no longer accepts (revoked, or the keys behind it deleted): walk again without the cache. */
class CachedSessionRejected extends Error {}

export async function resolveCredentials(chain: Chain, opts: ResolveOptions, deps: Deps): Promise<AwsCredentials> {
  const plan = planChain(chain, opts);
  const walk: Walk = {
    plan,
    opts,
    deps,
    mfaCode: mfaCodeSource(opts.mfaToken, deps.promptMfa),
  };
  try {
    return await walkChain(walk, true);
  } catch (err) {
    if (!(err instanceof CachedSessionRejected)) throw err;
    deps.log(`${err.message}; starting again without cached sessions`);
    return walkChain(walk, false);
  }
}

async function walkChain(walk: Walk, useCache: boolean): Promise<AwsCredentials> {
  const { plan } = walk;
  const cached = useCache ? cachedStart(walk) : undefined;
  let current = cached ? cached.step : await freshStart(walk, useCache);
  let account: Promise<Scope> | undefined;
  for (let i = cached ? cached.next : 0; i < plan.hops.length; i++) {
    const hop = plan.hops[i] as PlannedHop;
    const from = current;
    const roleArn =
      hop.role.kind === 'arn'
        ? hop.role.arn
        : roleInAccount(hop.role.name, hop.role.accountOf ? scopeOf(hop.role.accountOf) : await (account ??= callerScope(walk, from)));
    current = await assumeRole(walk, hop, roleArn, from, useCache);
  }
  return current.creds;
}

async function freshStart(walk: Walk, useCache: boolean): Promise<Step> {
  const base = await baseCredentials(walk, useCache);
  return walk.plan.session ? sessionToken(walk, walk.plan.session, base, useCache) : base;
}

/** The longest chain prefix with a cached session, and the index of the hop to continue with. */
function cachedStart(walk: Walk): { step: Step; next: number } | undefined {
  const { plan, deps } = walk;
  for (let i = plan.hops.length - 1; i >= 0; i--) {
    const hop = plan.hops[i] as PlannedHop;
    const hit = deps.store.session(hop.key);
    if (!hit) continue;
    deps.progress(`Using the cached session of ${hop.label} (valid until ${hit.expiration})`);
    const origin: Origin = {
      kind: 'role',
      label: hop.label,
      ...(hop.role.kind === 'arn' && { roleArn: hop.role.arn }),
      ...(hop.sessionName !== undefined && { sessionName: hop.sessionName }),
      cached: true,
    };
    return { step: { creds: fromCache(hit), origin }, next: i + 1 };
  }
  const session = plan.session;
  const hit =
    session &&
    (deps.store.session(session.key) ?? (session.anyLengthKeyPrefix ? deps.store.longestSession(session.anyLengthKeyPrefix) : undefined));
  if (!session || !hit) return undefined;
  deps.progress(`Using the cached session of ${session.label} (valid until ${hit.expiration})`);
  return { step: { creds: fromCache(hit), origin: { kind: 'session', profile: session.profile, cached: true } }, next: 0 };
}

async function baseCredentials(walk: Walk, useCache: boolean): Promise<Step> {
  const { plan, deps, opts } = walk;
  const base = plan.base;
  const source = sourceOf(base);
  const { creds, cached } = await source.credentials(base, deps, opts, useCache);
  // A cached base session STS refuses is dropped and the chain walked again without it (explain()).
  if (cached) return { creds, origin: { kind: 'session', profile: base.profile, cached: true } };
  if (base.kind !== 'vault-keys') return { creds, origin: { kind: 'source', description: source.describe(base) } };
  if (!plan.session && plan.hops.length === 0) deps.log(`using the stored keys of ${base.profile} as they are (--no-session)`);
  return { creds, origin: { kind: 'stored-keys', profile: base.profile } };
}

/**
 * A call that takes an MFA code, made under the store's lock for its session (SessionStore.mfaLock): runs started
 * together (an SDK's credential_process in each of `make -j`'s jobs, terraform's providers) ask for one code, and
 * the others take the session it opened, where each would have asked its own (and AWS refuses a code used twice).
 */
async function underMfaLock(
  walk: Walk,
  link: PlannedSession,
  useCache: boolean,
  call: () => Promise<Step>,
  reuse: (creds: AwsCredentials) => Step,
): Promise<Step> {
  const lock = walk.deps.store.mfaLock;
  if (!link.mfaSerial || !lock) return call();
  return lock(link.key, async (latest) => {
    // Walking again without the cache (STS refused a cached session): the stored one may be that session.
    if (!latest || !useCache) return call();
    walk.deps.progress(`Using the session of ${link.label} another vault command just opened (valid until ${latest.expiration})`);
    return reuse(fromCache(latest));
  });
}

function sessionToken(walk: Walk, session: PlannedSession, from: Step, useCache: boolean): Promise<Step> {
  return underMfaLock(walk, session, useCache, () => newSessionToken(walk, session, from), (creds) => ({ creds, origin: { kind: 'session', profile: session.profile, cached: true } }));
}

async function newSessionToken(walk: Walk, session: PlannedSession, from: Step): Promise<Step> {
  const { deps, opts } = walk;
  const tokenCode = session.mfaSerial ? await walk.mfaCode(session.mfaSerial) : undefined;
  deps.log(
    `GetSessionToken for ${session.profile} (${formatDuration(session.durationSeconds)}` +
      `${session.mfaSerial ? `, MFA ${session.mfaSerial}` : ''})`,
  );
  let creds: AwsCredentials;
  try {
    creds = await deps.sts(from.creds, opts.region).getSessionToken({
      durationSeconds: session.durationSeconds,
      ...(session.mfaSerial !== undefined && { serialNumber: session.mfaSerial, tokenCode }),
    });
  } catch (err) {
    throw await explain(walk, err, from);
  }
  save(walk, session, creds);
  return { creds, origin: { kind: 'session', profile: session.profile, cached: false } };
}

function assumeRole(walk: Walk, hop: PlannedHop, roleArn: string, from: Step, useCache: boolean): Promise<Step> {
  const origin = { kind: 'role' as const, label: hop.label, roleArn, ...(hop.sessionName !== undefined && { sessionName: hop.sessionName }), cached: true };
  return underMfaLock(walk, hop, useCache, () => newRoleSession(walk, hop, roleArn, from), (creds) => ({ creds, origin }));
}

async function newRoleSession(walk: Walk, hop: PlannedHop, roleArn: string, from: Step): Promise<Step> {
  const { deps, opts } = walk;
  const tokenCode = hop.mfaSerial ? await walk.mfaCode(hop.mfaSerial) : undefined;
  const sessionName = hop.sessionName ?? generatedSessionName(deps.clock());
  deps.log(
    `AssumeRole ${roleArn} for ${hop.label} (${formatDuration(hop.durationSeconds)}` +
      `${hop.mfaSerial ? `, MFA ${hop.mfaSerial}` : ''})`,
  );
  let creds: AwsCredentials;
  try {
    creds = await deps.sts(from.creds, opts.region).assumeRole({
      roleArn,
      roleSessionName: sessionName,
      durationSeconds: hop.durationSeconds,
      ...(hop.externalId !== undefined && { externalId: hop.externalId }),
      ...(hop.sourceIdentity !== undefined && { sourceIdentity: hop.sourceIdentity }),
      ...(hop.tags !== undefined && { tags: hop.tags }),
      ...(hop.transitiveTagKeys !== undefined && { transitiveTagKeys: hop.transitiveTagKeys }),
      ...(hop.mfaSerial !== undefined && { serialNumber: hop.mfaSerial, tokenCode }),
    });
  } catch (err) {
    throw await explain(walk, err, from, hop, roleArn);
  }
  deps.progress(`Switched to role ${roleArn}`);
  save(walk, hop, creds);
  return { creds, origin: { kind: 'role', label: hop.label, roleArn, sessionName, cached: false } };
}

function save(walk: Walk, link: PlannedSession, creds: AwsCredentials): void {
  if (!creds.sessionToken || !creds.expiration) {
    walk.deps.log(`not caching the session of ${link.label}: STS gave no session token or expiry`);
    return;
  }
  walk.deps.store.save(link.key, {
    accessKeyId: creds.accessKeyId,
    secretAccessKey: creds.secretAccessKey,
    sessionToken: creds.sessionToken,
    expiration: creds.expiration.toISOString(),
    profile: link.profile,
    chain: link.label,
    profiles: link.profiles,
  });
}

interface Scope {
  partition: string;
  account: string;
}

function scopeOf(arn: string): Scope {
  const [, partition = 'aws', , , account = ''] = arn.split(':');
  return { partition, account };
}

function roleInAccount(name: string, scope: Scope): string {
  return `arn:${scope.partition}:iam::${scope.account}:role/${name}`;
}

/** Account of the current credentials, for a bare --assume role name with no role ARN before it. */
async function callerScope(walk: Walk, from: Step): Promise<Scope> {
  try {
    const identity = await walk.deps.sts(from.creds, walk.opts.region).getCallerIdentity();
    walk.deps.log(`current identity: ${identity.arn}`);
    return scopeOf(identity.arn);
  } catch (err) {
    throw await explain(walk, err, from);
  }
}

/** Rewords an STS refusal with what only the walker knows: whose credentials were refused, and for which role. */
async function explain(walk: Walk, err: unknown, from: Step, hop?: PlannedHop, roleArn?: string): Promise<unknown> {
  if (!(err instanceof StsError)) return err;
  const { origin } = from;
  const f = err.failure;
  if (err.code === 'STS_INVALID_KEYS') {
    if ((origin.kind === 'session' || origin.kind === 'role') && origin.cached) {
      return new CachedSessionRejected(`STS refused ${describe(origin)}, a cached session (${f.awsCode})`);
    }
    return new StsError('STS_INVALID_KEYS', invalidKeysMessage(origin, f.awsCode), f);
  }
  if (err.code === 'STS_ACCESS_DENIED' && hop && roleArn) {
    const caller = await callerOf(walk, from, f.awsMessage);
    return new StsError('STS_ACCESS_DENIED', accessDeniedMessage(walk, hop, roleArn, caller, f.awsMessage), f);
  }
  return err;
}

function describe(origin: Origin): string {
  switch (origin.kind) {
    case 'stored-keys':
      return `the stored keys of profile ${origin.profile}`;
    case 'source':
      return origin.description;
    case 'session':
      return `the session of profile ${origin.profile}`;
    case 'role':
      return `the role session of ${origin.label}`;
  }
}

function invalidKeysMessage(origin: Origin, awsCode: string): string {
  if (origin.kind === 'stored-keys' || origin.kind === 'session') {
    const p = origin.profile;
    return (
      // Not `vault rotate`: it signs its IAM calls with these same keys, which AWS refuses.
      `AWS rejected the stored keys for profile ${p} (${awsCode}): they are wrong or revoked; ` +
      `store working keys with \`vault add ${p} --force\` (a new key from the IAM console)`
    );
  }
  return `AWS rejected ${describe(origin)} (${awsCode})`;
}

interface Caller {
  /** The identity that called, e.g. arn:aws:iam::111111111111:user/alice or an assumed-role ARN. */
  arn: string;
  /** What the role's trust policy names to let it in: the user or role ARN (or its account). */
  principal: string;
}

/** Best effort: from the previous hop, else from AWS's own message, else one GetCallerIdentity call. */
async function callerOf(walk: Walk, from: Step, awsMessage: string): Promise<Caller | undefined> {
  const { origin } = from;
  if (origin.kind === 'role' && origin.roleArn) {
    const { partition, account } = scopeOf(origin.roleArn);
    const roleName = origin.roleArn.split('/').at(-1) as string;
    const arn = origin.sessionName ? `arn:${partition}:sts::${account}:assumed-role/${roleName}/${origin.sessionName}` : origin.roleArn;
    return { arn, principal: origin.roleArn };
  }
  const quoted = /User: (arn:\S+) is not authorized/.exec(awsMessage)?.[1];
  if (quoted) return { arn: quoted, principal: principalOf(quoted) };
  try {
    const identity = await walk.deps.sts(from.creds, walk.opts.region).getCallerIdentity();
    return identity.arn ? { arn: identity.arn, principal: principalOf(identity.arn) } : undefined;
  } catch {
    return undefined;
  }
}

/** A session ARN (arn:aws:sts::1:assumed-role/R/S) is trusted through its role ARN; users and roots as they are. */
function principalOf(arn: string): string {
  const session = /^arn:([^:]+):sts::(\d+):assumed-role\/([^/]+)\//.exec(arn);
  return session ? `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` : arn;
}

/** The device of the nearest code sent on the way to `hop`: its own, an earlier role's, or the base session's. */
function mfaOnPath(plan: Plan, hop: PlannedHop): string | undefined {
  for (let i = plan.hops.indexOf(hop); i >= 0; i--) {
    const serial = plan.hops[i]?.mfaSerial;
    if (serial !== undefined) return serial;
  }
  return plan.session?.mfaSerial;
}

function accessDeniedMessage(walk: Walk, hop: PlannedHop, roleArn: string, caller: Caller | undefined, awsMessage: string): string {
  const who = caller ? caller.arn : 'the current credentials';
  const principal = caller ? `${caller.principal} (or its account)` : 'the caller (or its account)';
  const conditions: string[] = [];
  if (hop.externalId !== undefined) conditions.push('sts:ExternalId must equal external_id');
  const mfaSerial = mfaOnPath(walk.plan, hop);
  if (mfaSerial) conditions.push(`MFA must be allowed (a code from ${mfaSerial} was used)`);
  // The role's own profile, because a device named on the keys' profile alone sends no code with a role (aws-vault's
  // rule); an --assume hop after a role has no profile of its own to name one.
  const afterRole = hop.extra === true && walk.plan.hops.indexOf(hop) > 0;
  const fix = afterRole ? 'an --assume hop after a role sends none' : `if the trust policy requires MFA, set mfa_serial on profile ${hop.profile}`;
  const mfaHint = mfaSerial ? '' : `; no MFA code was sent: ${fix}`;
  const awsSaid = /is not authorized to perform/.test(awsMessage) ? '' : ` (AWS: ${awsMessage})`;
  return (
    `AWS denied AssumeRole on ${roleArn} for ${who}: the caller's identity policy must allow sts:AssumeRole on ` +
    `${roleArn}, and the role's trust policy must name ${principal}` +
    `${conditions.length ? ` with its conditions met (${conditions.join('; ')})` : ''}${mfaHint}${awsSaid}`
  );
}
