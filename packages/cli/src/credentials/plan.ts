import { checkValue, type Base, type Chain } from '@vault/profiles';
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
  const specs = [...chain.hops.map(configuredHop), ...extraHops(opts.assume, chain.profile, chain.hops)];
  const durations = specs.map((spec, i) => hopDuration(spec, i, specs, opts));
  const { endpoint } = opts;
  const baseSerial = chain.base.kind === 'vault-keys' ? chain.base.mfaSerial : undefined;
  const viaSession = chain.base.kind === 'vault-keys' && !opts.noSession && startsFromSession(chain, durations, baseSerial);
  // The one device whose code authenticates the chain: the base session's, else the first role's own (an --assume
  // hop straight after the keys has no profile of its own, so the keys' device goes with it).
  const mfaSerial = viaSession ? baseSerial : chain.hops.length > 0 ? specs[0]?.mfaSerial : baseSerial;
  const baseProfile = chain.base.profile;

  let session: PlannedSession | undefined;
  if (viaSession) {
    const [durationSeconds, source] = sessionDuration(specs.length > 0, opts);
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
    keyed.push({
      role: spec.role.kind === 'arn' ? spec.role.arn : spec.role.name,
      durationSeconds,
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
      // Without a base session the first AssumeRole is the first STS call, so it carries the MFA code.
      mfaSerial: i === 0 && !viaSession ? mfaSerial : undefined,
      role: spec.role,
      sessionName: spec.sessionName,
      externalId: spec.externalId,
      sourceIdentity: spec.sourceIdentity,
      ...(spec.tags !== undefined && { tags: spec.tags }),
      ...(spec.transitiveTagKeys !== undefined && { transitiveTagKeys: spec.transitiveTagKeys }),
    };
  });
  return { base: chain.base, session, hops };
}

/**
 * aws-vault's rule for a role chain on stored keys: open one GetSessionToken session (8 h, with the MFA code) and
 * assume the roles from it only when the keys' profile and the first role profile name the same MFA device, so
 * that one code serves every role for hours. Otherwise the first role is assumed straight from the keys, with its
 * own device if it names one, as the AWS CLI does: a device named on the keys' profile alone asks no code for the
 * roles, and a chain without MFA makes no GetSessionToken call. Nor is there a session when the target holds the
 * keys and assumes its own role, or when the first role asks for more than the 1 h a role assumed from a session
 * may last. A chain of --assume hops only (vault's own) always starts from the session.
 */
function startsFromSession(chain: Chain, durations: number[], baseSerial: string | undefined): boolean {
  if (durations.length === 0) return true;
  if ((durations[0] as number) > LIMITS.roleChaining) return false;
  const first = chain.hops[0];
  if (first === undefined) return true;
  return first.profile !== chain.base.profile && baseSerial !== undefined && first.mfaSerial === baseSerial;
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

function extraHops(assume: string[], target: string, configured: Chain['hops']): HopSpec[] {
  let lastArn = configured.at(-1)?.roleArn;
  return assume.map((text) => {
    checkAssume(text);
    const role: RoleRef = text.startsWith('arn:') ? { kind: 'arn', arn: text } : { kind: 'name', name: text, accountOf: lastArn };
    if (role.kind === 'arn') lastArn = role.arn;
    return { profile: target, role, label: text };
  });
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

/** GetSessionToken duration and where it came from: --duration (no role only), aws-vault's TTL variables, defaults. */
function sessionDuration(chained: boolean, opts: PlanOptions): [number, string] {
  if (chained) {
    return opts.chainedSessionSeconds !== undefined
      ? [opts.chainedSessionSeconds, 'AWS_CHAINED_SESSION_TOKEN_TTL']
      : [CHAINED_BASE_SESSION_SECONDS, 'the chained session default'];
  }
  if (opts.durationSeconds !== undefined) return [opts.durationSeconds, opts.durationSource ?? '--duration'];
  if (opts.sessionSeconds !== undefined) return [opts.sessionSeconds, 'AWS_SESSION_TOKEN_TTL'];
  return [DEFAULT_SESSION_SECONDS, 'the session default'];
}

/** AssumeRole duration of a hop: --duration for the last, else AWS_ASSUME_ROLE_TTL (as in aws-vault, it beats the profile), else duration_seconds. */
function hopDuration(spec: HopSpec, i: number, specs: HopSpec[], opts: PlanOptions): number {
  const last = i === specs.length - 1;
  const fromFlag = last && opts.durationSeconds !== undefined;
  const [seconds, source] = fromFlag
    ? [opts.durationSeconds as number, opts.durationSource ?? '--duration']
    : opts.assumeRoleSeconds !== undefined
      ? [opts.assumeRoleSeconds, 'AWS_ASSUME_ROLE_TTL']
      : [spec.configuredDuration ?? DEFAULT_SESSION_SECONDS, `duration_seconds of profile ${spec.profile}`];
  checkRange(seconds, LIMITS.assumeRole, 'AssumeRole', source);
  if (i > 0 && seconds > LIMITS.roleChaining) {
    throw new DurationError(
      `${source} ${formatDuration(seconds)} is too long for ${spec.label}: it is assumed with the role session of ` +
        `${specs[i - 1]?.label}, and AWS caps such role-chaining sessions at 1h (3600 seconds)`,
    );
  }
  return seconds;
}
