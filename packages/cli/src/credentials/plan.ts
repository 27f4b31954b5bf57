import { checkValue, type Base, type Chain, type PassThrough } from '@vault/profiles';
import { roleKey, sessionTokenKey, sessionTokenKeyPrefix, type KeyedHop } from './cache-key.js';
import { DurationError, InvalidAssumeError } from './errors.js';
import { LIMITS, checkRange, formatDuration } from './duration.js';
import { sourceOf } from './sources/index.js';
import type { ResolveOptions } from './types.js';

/** GetSessionToken duration of a profile without a role, and AssumeRole duration of a hop, unless configured. */
const DEFAULT_SESSION_SECONDS = 3_600;
/**
 * GetSessionToken duration of the base session a role chain starts from (aws-vault's
 * AWS_CHAINED_SESSION_TOKEN_TTL default): the MFA code is asked once per 8 hours while each role session, capped at
 * one hour by AWS, is renewed from it without a prompt.
 */
const CHAINED_BASE_SESSION_SECONDS = 8 * 3_600;

/** A role given by ARN, or by bare name in the account of the nearest ARN before it (or of the base credentials). */
export type RoleRef = { kind: 'arn'; arn: string } | { kind: 'name'; name: string; accountOf?: string };

interface PlannedLink {
  /** Cache key of the session this link produces. */
  key: string;
  /** Profile the session belongs to (the target profile for --assume hops). */
  profile: string;
  /** Readable chain up to this link, e.g. "read-only -> admin". */
  label: string;
  /** Every profile on the path to this link, so `vault clear PROFILE` drops the sessions that depend on it. */
  profiles: string[];
  durationSeconds: number;
  /** MFA device whose code is sent with this call. */
  mfaSerial?: string;
}

export interface PlannedSession extends PlannedLink {
  /**
   * When no --duration asked for this session's length: the key prefix of the same keys' sessions of any length,
   * any of which will do (as aws-vault keeps one session per profile), so `exec mfa-user` and then `exec mfa-admin`
   * ask for one MFA code, not two.
   */
  anyLengthKeyPrefix?: string;
}

export interface PlannedHop extends PlannedLink {
  role: RoleRef;
  /** Added by --assume: a hop with no profile of its own. */
  extra?: true;
  sessionName?: string;
  externalId?: string;
  sourceIdentity?: string;
  tags?: Record<string, string>;
  transitiveTagKeys?: string[];
}

export interface Plan {
  base: Base;
  /** GetSessionToken on the stored keys; absent when the base credentials are used as they are. */
  session?: PlannedSession;
  hops: PlannedHop[];
}

interface HopSpec {
  profile: string;
  role: RoleRef;
  extra?: true;
  label: string;
  sessionName?: string;
  externalId?: string;
  sourceIdentity?: string;
  tags?: Record<string, string>;
  transitiveTagKeys?: string[];
  mfaSerial?: string;
  configuredDuration?: number;
}

/**
 * Pure: decides every STS call the chain needs (which credentials each starts from, durations, where the MFA code
 * goes) and the cache key of each result, validating durations before anything is asked of the user or of AWS.
 */
export function planChain(chain: Chain, opts: PlanOptions): Plan {
  const specs = [...chain.hops.map(configuredHop), ...extraHops(opts.assume, chain)];
  const durations = specs.map((spec, i) => hopDuration(spec, i, specs, opts));
  const { endpoint } = opts;
  const opening = chain.base.kind === 'vault-keys' && !opts.noSession ? sessionOpening(chain, durations) : undefined;
  const viaSession = opening !== undefined;
  // As in aws-vault, each role sends its own device's code, unless the base session was opened with that device.
  const hopSerials = specs.map(({ mfaSerial }) => (mfaSerial !== undefined && mfaSerial !== opening?.mfaSerial ? mfaSerial : undefined));
  // The device of the chain's first STS call, which keys every session of the chain.
  const mfaSerial = viaSession ? opening.mfaSerial : hopSerials[0];
  const baseProfile = chain.base.profile;

  let session: PlannedSession | undefined;
  if (viaSession) {
    const [durationSeconds, source] = sessionDuration(specs.length > 0, opening.chained, opts);
    checkRange(durationSeconds, LIMITS.getSessionToken, 'GetSessionToken', source);
    session = {
      key: sessionTokenKey(baseProfile, mfaSerial, durationSeconds, endpoint),
      profile: baseProfile,
      label: baseProfile,
      profiles: [baseProfile],
      durationSeconds,
      mfaSerial,
      ...((specs.length > 0 || opts.durationSeconds === undefined) && {
        anyLengthKeyPrefix: sessionTokenKeyPrefix(baseProfile, mfaSerial, endpoint),
      }),
    };
  }

  const keyed: KeyedHop[] = [];
  const labels = [baseProfile];
  const profiles = new Set([baseProfile]);
  const hops = specs.map((spec, i): PlannedHop => {
    const durationSeconds = durations[i] as number;
    const hopSerial = hopSerials[i];
    keyed.push({
      role: spec.role.kind === 'arn' ? spec.role.arn : spec.role.name,
      durationSeconds,
      // The first call's device is in the key already.
      ...(hopSerial !== undefined && (i > 0 || viaSession) && { mfaSerial: hopSerial }),
      sessionName: spec.sessionName,
      externalId: spec.externalId,
      sourceIdentity: spec.sourceIdentity,
      tags: spec.tags,
      transitiveTagKeys: spec.transitiveTagKeys,
    });
    labels.push(spec.label);
    profiles.add(spec.profile);
    return {
      key: roleKey(sourceOf(chain.base).keyTag, baseProfile, mfaSerial, keyed, endpoint),
      profile: spec.profile,
      label: labels.join(' -> '),
      profiles: [...profiles],
      durationSeconds,
      mfaSerial: hopSerial,
      role: spec.role,
      ...(spec.extra && { extra: true as const }),
      sessionName: spec.sessionName,
      externalId: spec.externalId,
      sourceIdentity: spec.sourceIdentity,
      ...(spec.tags !== undefined && { tags: spec.tags }),
      ...(spec.transitiveTagKeys !== undefined && { transitiveTagKeys: spec.transitiveTagKeys }),
    };
  });
  // A web identity is the chain's first role, assumed with the token: its duration is decided as a hop's.
  const base =
    chain.base.kind === 'web-identity'
      ? { ...chain.base, durationSeconds: roleDuration(chain.base.durationSeconds, chain.base.profile, hops.length === 0, opts, 'AssumeRoleWithWebIdentity')[0] }
      : chain.base;
  return { base, session, hops };
}

/**
 * aws-vault's rule for where a GetSessionToken session on the stored keys opens, and with which MFA device: going up
 * from the keys' profile through the profiles that only borrow its keys (source_profile, no role_arn), at the first
 * profile that names the same device as the profile sourcing it (the next borrowing profile, or the first role), so
 * that one code serves every role for hours; at the target, when no role follows. Undefined when the first role is
 * assumed straight from the keys: no profile shares its device with the one above it (a device named on the keys'
 * profile alone asks no code for the roles, as with the AWS CLI), the target holds the keys and assumes its own role,
 * or the first role asks for more than the 1 h a role assumed from a session may last. A chain of --assume hops
 * only (vault's own) opens the session at the target.
 */
function sessionOpening(chain: Chain, durations: number[]): { mfaSerial?: string; chained: boolean } | undefined {
  const { base } = chain;
  if (base.kind !== 'vault-keys') return undefined;
  if (durations.length > 0 && (durations[0] as number) > LIMITS.roleChaining) return undefined;
  const firstRole = chain.hops[0];
  if (firstRole?.profile === base.profile) return undefined;
  const levels: PassThrough[] = [base, ...(base.passThrough ?? [])];
  for (const [i, level] of levels.entries()) {
    const sourcedBy = levels[i + 1] ?? firstRole;
    if (sourcedBy === undefined) return { ...(level.mfaSerial !== undefined && { mfaSerial: level.mfaSerial }), chained: durations.length > 0 };
    if (level.mfaSerial !== undefined && level.mfaSerial === sourcedBy.mfaSerial) return { mfaSerial: level.mfaSerial, chained: true };
  }
  return undefined;
}

function configuredHop(hop: Chain['hops'][number]): HopSpec {
  return {
    profile: hop.profile,
    role: { kind: 'arn', arn: hop.roleArn },
    label: hop.profile,
    sessionName: hop.roleSessionName,
    externalId: hop.externalId,
    sourceIdentity: hop.sourceIdentity,
    tags: hop.sessionTags,
    transitiveTagKeys: hop.transitiveTagKeys,
    mfaSerial: hop.mfaSerial,
    configuredDuration: hop.durationSeconds,
  };
}

function extraHops(assume: string[], chain: Chain): HopSpec[] {
  const configured = chain.hops;
  let lastArn = configured.at(-1)?.roleArn;
  return assume.map((text, i) => {
    checkAssume(text);
    const role: RoleRef = text.startsWith('arn:') ? { kind: 'arn', arn: text } : { kind: 'name', name: text, accountOf: lastArn };
    if (role.kind === 'arn') lastArn = role.arn;
    // Straight after the keys, the first hop is the target profile's own role, so it goes with the target's device.
    const mfaSerial = i === 0 && configured.length === 0 ? targetSerial(chain) : undefined;
    // Labelled apart from a profile of the same name (`vault list` shows it): `--assume ec2-worker` is not profile ec2-worker.
    return { profile: chain.profile, role, label: `--assume ${text}`, extra: true as const, ...(mfaSerial !== undefined && { mfaSerial }) };
  });
}

function targetSerial({ base }: Chain): string | undefined {
  return base.kind === 'vault-keys' ? (base.passThrough?.at(-1) ?? base).mfaSerial : undefined;
}

/**
 * An --assume value gets the checks a role_arn in the config gets, so a typo fails before any prompt or STS call
 * instead of as a bare ValidationError from STS (or, worse, a cached hop to a role nobody meant).
 */
function checkAssume(text: string): void {
  if (text.startsWith('arn:')) {
    const reason = checkValue('role_arn', text);
    if (reason) throw new InvalidAssumeError(text, reason);
    return;
  }
  // A bare name (optionally with an IAM path, e.g. service-role/deployer) becomes the ARN of that role.
  if (checkValue('role_arn', `arn:aws:iam::000000000000:role/${text}`)) {
    throw new InvalidAssumeError(
      text,
      'give a role name (1 to 64 letters, digits or +=,.@_-) or a role ARN like arn:aws:iam::123456789012:role/NAME',
    );
  }
}

type PlanOptions = Pick<
  ResolveOptions,
  'noSession' | 'durationSeconds' | 'durationSource' | 'assume' | 'sessionSeconds' | 'chainedSessionSeconds' | 'assumeRoleSeconds' | 'endpoint'
>;

/**
 * The duration a role is asked for, and where it came from: --duration when it is the chain's last call, else
 * AWS_ASSUME_ROLE_TTL (as in aws-vault, it beats the profile), else the profile's duration_seconds, else 1 h.
 */
function roleDuration(configured: number | undefined, profile: string, last: boolean, opts: PlanOptions, what: string): [number, string] {
  const [seconds, source]: [number, string] =
    last && opts.durationSeconds !== undefined
      ? [opts.durationSeconds, opts.durationSource ?? '--duration']
      : opts.assumeRoleSeconds !== undefined
        ? [opts.assumeRoleSeconds, 'AWS_ASSUME_ROLE_TTL']
        : [configured ?? DEFAULT_SESSION_SECONDS, `duration_seconds of profile ${profile}`];
  checkRange(seconds, LIMITS.assumeRole, what, source);
  return [seconds, source];
}

/**
 * GetSessionToken duration and where it came from: --duration when the session is the last call (no role follows),
 * aws-vault's TTL variables (the chained one for a session other profiles are built on), defaults.
 */
function sessionDuration(rolesFollow: boolean, chained: boolean, opts: PlanOptions): [number, string] {
  if (!rolesFollow && opts.durationSeconds !== undefined) return [opts.durationSeconds, opts.durationSource ?? '--duration'];
  if (chained) {
    return opts.chainedSessionSeconds !== undefined
      ? [opts.chainedSessionSeconds, 'AWS_CHAINED_SESSION_TOKEN_TTL']
      : [CHAINED_BASE_SESSION_SECONDS, 'the chained session default'];
  }
  if (opts.sessionSeconds !== undefined) return [opts.sessionSeconds, 'AWS_SESSION_TOKEN_TTL'];
  return [DEFAULT_SESSION_SECONDS, 'the session default'];
}

/** AssumeRole duration of a hop: --duration for the last, else AWS_ASSUME_ROLE_TTL (as in aws-vault, it beats the profile), else duration_seconds. */
function hopDuration(spec: HopSpec, i: number, specs: HopSpec[], opts: PlanOptions): number {
  const [seconds, source] = roleDuration(spec.configuredDuration, spec.profile, i === specs.length - 1, opts, 'AssumeRole');
  if (i > 0 && seconds > LIMITS.roleChaining) {
    throw new DurationError(
      `${source} (${formatDuration(seconds)}) is too long for ${spec.label}: it is assumed with the role session of ` +
        `${specs[i - 1]?.label}, and AWS caps such role-chaining sessions at 1h; use 3600 seconds (1h) or less`,
    );
  }
  return seconds;
}
