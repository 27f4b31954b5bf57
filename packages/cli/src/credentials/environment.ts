// aws-vault's environment variables that shape credentials (vault/config.go's populateFromEnv, and AWS_MIN_TTL),
// read once into typed values (AWS_VAULT_DURATION and AWS_FEDERATION_TOKEN_TTL are `vault login`'s alone, as in
// aws-vault, and read there). As in aws-vault they beat the profile's own settings, and the
// role variables (AWS_ROLE_ARN, AWS_ROLE_SESSION_NAME, AWS_SESSION_TAGS, AWS_TRANSITIVE_TAGS, AWS_SOURCE_IDENTITY)
// apply to the target profile only. Unlike aws-vault, which ignores a TTL it cannot parse, a bad value is an error
// naming the variable: a silently ignored TTL is a session of the wrong length.
import { checkValue, parseSessionTags, parseTagKeys, type Chain, type Hop } from '@vault/profiles';
import { InvalidEnvironmentError } from './errors.js';
import { parseDuration } from './duration.js';

export interface CredentialEnvironment {
  /** AWS_SESSION_TOKEN_TTL: GetSessionToken for a profile without a role. */
  sessionSeconds?: number;
  /** AWS_CHAINED_SESSION_TOKEN_TTL: the base GetSessionToken session a role chain starts from. */
  chainedSessionSeconds?: number;
  /** AWS_ASSUME_ROLE_TTL: every AssumeRole hop. */
  assumeRoleSeconds?: number;
  /** AWS_MIN_TTL: a cached session is used only while it has more than this left. */
  minTtlSeconds?: number;
  /** AWS_STS_REGIONAL_ENDPOINTS */
  stsRegionalEndpoints?: 'regional' | 'legacy';
  /** AWS_MFA_SERIAL: the MFA device of every profile of the chain. */
  mfaSerial?: string;
  /** AWS_WEB_IDENTITY_TOKEN_FILE: the target's role is assumed with this token (AssumeRoleWithWebIdentity). */
  webIdentityTokenFile?: string;
  /** The role variables, for the target profile's hop. */
  target: Partial<Pick<Hop, 'roleArn' | 'roleSessionName' | 'sessionTags' | 'transitiveTagKeys' | 'sourceIdentity'>>;
}

type Env = Record<string, string | undefined>;

/**
 * A duration variable (`vault login`'s AWS_VAULT_DURATION and AWS_FEDERATION_TOKEN_TTL are read with this where they
 * are used): undefined when unset, empty or 0, which aws-vault reads as "not set". Go's syntax only, as aws-vault
 * reads them: a number without a unit (AWS_MIN_TTL=72000) is no duration to Go, so aws-vault ignored it (a TTL) or
 * refused it (AWS_VAULT_DURATION), and taking it as seconds would give the user's shell a meaning it never had; it is
 * refused, naming the fix.
 */
export function durationVariable(env: Env, name: string): number | undefined {
  const value = env[name] || undefined;
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\+?\d+$/.test(trimmed) && Number(trimmed) !== 0) {
    throw new InvalidEnvironmentError(
      name,
      value,
      `a duration needs a unit (${trimmed}s, or 1h, 15m, 1h30m), as aws-vault reads it (Go's syntax, which has no bare numbers)`,
    );
  }
  try {
    return parseDuration(value) || undefined;
  } catch {
    throw new InvalidEnvironmentError(name, value, 'expected a duration such as 1h, 15m, 1h30m, 1.5h or 3600s');
  }
}

/** AWS_STS_REGIONAL_ENDPOINTS, checked as the config key is: `regional`, `legacy` or unset. */
export function stsRegionalEndpointsVariable(env: Env): CredentialEnvironment['stsRegionalEndpoints'] {
  const value = env.AWS_STS_REGIONAL_ENDPOINTS || undefined;
  const reason = value === undefined ? undefined : checkValue('sts_regional_endpoints', value);
  if (reason !== undefined) throw new InvalidEnvironmentError('AWS_STS_REGIONAL_ENDPOINTS', value as string, reason);
  return value as CredentialEnvironment['stsRegionalEndpoints'];
}

/** Pure: the variables above from `env`; an empty variable counts as unset, as in aws-vault. */
export function readCredentialEnvironment(env: Env): CredentialEnvironment {
  const text = (name: string) => env[name] || undefined;
  const duration = (name: string) => durationVariable(env, name);
  const checked = (name: string, key: string) => {
    const value = text(name);
    const reason = value === undefined ? undefined : checkValue(key, value);
    if (reason !== undefined) throw new InvalidEnvironmentError(name, value as string, reason);
    return value;
  };
  const parsed = <T>(name: string, parse: (value: string) => T | string): T | undefined => {
    const value = text(name);
    if (value === undefined) return undefined;
    const result = parse(value);
    if (typeof result === 'string') throw new InvalidEnvironmentError(name, value, result);
    return result;
  };

  const result: CredentialEnvironment = {
    sessionSeconds: duration('AWS_SESSION_TOKEN_TTL'),
    chainedSessionSeconds: duration('AWS_CHAINED_SESSION_TOKEN_TTL'),
    assumeRoleSeconds: duration('AWS_ASSUME_ROLE_TTL'),
    minTtlSeconds: duration('AWS_MIN_TTL'),
    stsRegionalEndpoints: stsRegionalEndpointsVariable(env),
    mfaSerial: checked('AWS_MFA_SERIAL', 'mfa_serial'),
    webIdentityTokenFile: text('AWS_WEB_IDENTITY_TOKEN_FILE'),
    target: {
      roleArn: checked('AWS_ROLE_ARN', 'role_arn'),
      roleSessionName: checked('AWS_ROLE_SESSION_NAME', 'role_session_name'),
      sessionTags: parsed('AWS_SESSION_TAGS', parseSessionTags),
      transitiveTagKeys: parsed('AWS_TRANSITIVE_TAGS', parseTagKeys),
      sourceIdentity: checked('AWS_SOURCE_IDENTITY', 'source_identity'),
    },
  };
  return withoutUndefined(result);
}

/**
 * Pure: `chain` with the environment's settings applied as aws-vault applies them. The role variables change the
 * target profile's hop, or, when the target assumes no role of its own, make it one: AWS_ROLE_ARN=... with a
 * profile of plain keys assumes that role with them. AWS_MFA_SERIAL replaces every profile's MFA device.
 */
export function applyEnvironment(chain: Chain, env: CredentialEnvironment): Chain {
  let hops = chain.hops;
  let base = chain.base;
  const target = env.target;
  const last = hops.at(-1);
  if (last?.profile === chain.profile) {
    if (Object.keys(target).length > 0) hops = [...hops.slice(0, -1), { ...last, ...target }];
  } else if (target.roleArn !== undefined) {
    // The target becomes a role profile, its own mfa_serial with it (as in aws-vault): the keys' profile itself, or
    // the profile borrowing them that stops being a mere borrower.
    let mfaSerial: string | undefined;
    if (base.kind === 'vault-keys') {
      const through = base.passThrough ?? [];
      const top = through.at(-1);
      if (top?.profile === chain.profile) {
        mfaSerial = top.mfaSerial;
        const { passThrough: _, ...rest } = base;
        base = through.length > 1 ? { ...rest, passThrough: through.slice(0, -1) } : rest;
      } else if (base.profile === chain.profile) {
        mfaSerial = base.mfaSerial;
      }
    }
    hops = [...hops, { profile: chain.profile, ...(mfaSerial !== undefined && { mfaSerial }), ...target, roleArn: target.roleArn }];
  }
  if (env.webIdentityTokenFile !== undefined) {
    // aws-vault and the SDKs: with AWS_WEB_IDENTITY_TOKEN_FILE the target's role (AWS_ROLE_ARN, else its role_arn)
    // is assumed with the token, whatever the profile's own source was.
    const own = hops.at(-1)?.profile === chain.profile ? hops.at(-1) : undefined;
    if (!own) throw new InvalidEnvironmentError('AWS_WEB_IDENTITY_TOKEN_FILE', env.webIdentityTokenFile, 'it needs AWS_ROLE_ARN or a role_arn on the profile');
    hops = hops.slice(0, -1);
    base = {
      kind: 'web-identity',
      profile: chain.profile,
      roleArn: own.roleArn,
      tokenFile: env.webIdentityTokenFile,
      ...(own.roleSessionName !== undefined && { roleSessionName: own.roleSessionName }),
      ...(own.durationSeconds !== undefined && { durationSeconds: own.durationSeconds }),
    };
    return { ...chain, base, hops: [] };
  }
  if (env.mfaSerial !== undefined) {
    // As in aws-vault, the variable is every profile's device, so a role chain on stored keys starts from one session.
    const mfaSerial = env.mfaSerial;
    if (base.kind === 'vault-keys') {
      base = { ...base, mfaSerial, ...(base.passThrough && { passThrough: base.passThrough.map((p) => ({ ...p, mfaSerial })) }) };
    }
    hops = hops.map((hop) => ({ ...hop, mfaSerial }));
  }
  return { ...chain, base, hops };
}

function withoutUndefined<T extends object>(value: T): T {
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) delete (value as Record<string, unknown>)[key];
    else if (typeof v === 'object' && !Array.isArray(v) && key === 'target') withoutUndefined(v as object);
  }
  return value;
}
