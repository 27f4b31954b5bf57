import {
  ChainTooLongError,
  InvalidProfileValueError,
  MissingSourceError,
  NoCredentialsError,
  ProfileCycleError,
  UnknownProfileError,
  UnsupportedProfileError,
} from './errors.js';
import { listProfileNames } from './list.js';
import { settingsReader, type Settings } from './settings.js';
import { parseSessionTags, parseTagKeys } from './session-tags.js';
import { suggestProfiles } from './suggest.js';
import type { Base, Chain, ConfigFile, CredentialSourceName, Hop, PassThrough, SsoSettings } from './types.js';
import { checkValue } from './validate.js';

export interface ResolveOptions {
  /**
   * Whether the vault holds long-lived keys for a profile. Without it, nothing is known about stored keys: every
   * source profile is followed by its config, and the profile where the chain starts is assumed to have keys.
   */
  hasStoredKeys?: (profile: string) => boolean;
  /**
   * The command line or the environment gives the region (--region, AWS_REGION, AWS_DEFAULT_REGION), which beats the
   * profile's: the profile's region is then neither read nor checked, as a value vault does not use.
   */
  regionGiven?: boolean;
}

/**
 * The most profiles a source_profile chain may have. Real chains have two to four; every hop is an AssumeRole call
 * and a cached session in the vault, so a hostile or generated config with a thousand hops would make every command
 * slow and the vault file tens of megabytes. 32 is far above any real setup and keeps the worst case small.
 */
export const MAX_CHAIN_PROFILES = 32;


/**
 * Follows `name`'s source_profile links down to where its credentials start, collecting one AssumeRole hop per
 * profile with a role_arn. The walk is a loop, not recursion, and at most MAX_CHAIN_PROFILES long.
 */
export function resolveProfile(config: ConfigFile, name: string, opts: ResolveOptions = {}): Chain {
  if (name.trim() === '') throw new UnknownProfileError(name, [], { path: config.path });
  const settingsOf = settingsReader(config);
  const walk: string[] = []; // target first, as the user follows the links
  const visited = new Set<string>();
  const hops: Hop[] = []; // target first; reversed at the end
  // Profiles without a role of their own directly above the base (target first): their mfa_serial decides, with the
  // keys' own, where aws-vault opens a GetSessionToken session.
  let passThrough: PassThrough[] = [];
  let current = name;
  let base: Base;

  for (;;) {
    walk.push(current);
    visited.add(current);
    if (walk.length > MAX_CHAIN_PROFILES) throw new ChainTooLongError(name, MAX_CHAIN_PROFILES);
    const settings = settingsOf(current);
    const value = validatedReader(config, settings);
    if (!config.profiles.has(current)) {
      base = keysBase(current, value('mfa_serial'), passThrough);
      if (opts.hasStoredKeys && !opts.hasStoredKeys(current)) throw noSectionNoKeys(config, walk);
      break;
    }
    if (walk.length > 1 && opts.hasStoredKeys?.(current)) {
      // The AWS CLI and SDKs: a source profile with keys of its own is used as keys; its role_arn and
      // source_profile are not followed.
      base = keysBase(current, value('mfa_serial'), passThrough);
      break;
    }
    const roleArn = value('role_arn');
    const source = value('source_profile');
    const own = ownBase(config, current, value);

    if (roleArn !== undefined) {
      const credentialSource = value('credential_source');
      if (source !== undefined && credentialSource !== undefined) {
        throw new UnsupportedProfileError(current, 'source_profile and credential_source are both set; keep the one to assume role_arn with');
      }
      const tokenFile = value('web_identity_token_file');
      if (source === undefined && credentialSource === undefined && tokenFile !== undefined && !opts.hasStoredKeys?.(current)) {
        // The role is assumed with the token itself (AssumeRoleWithWebIdentity): it is the base, not a hop.
        const roleSessionName = value('role_session_name');
        const durationSeconds = value('duration_seconds');
        base = {
          kind: 'web-identity',
          profile: current,
          roleArn,
          tokenFile,
          ...(roleSessionName !== undefined && { roleSessionName }),
          ...(durationSeconds !== undefined && { durationSeconds: Number(durationSeconds) }),
        };
        break;
      }
      hops.push(hop(current, roleArn, value));
      passThrough = [];
      if (credentialSource !== undefined) {
        base = { kind: 'credential-source', profile: current, source: credentialSource as CredentialSourceName };
        break;
      }
      if (source === undefined) {
        // aws-vault: keys stored for the profile come before its SSO, web identity or credential_process settings.
        if (opts.hasStoredKeys?.(current)) {
          base = keysBase(current, value('mfa_serial'), passThrough);
          break;
        }
        if (own !== undefined) {
          base = own;
          break;
        }
        throw new UnsupportedProfileError(
          current,
          `role_arn has no source_profile, credential_source, credential_process or SSO settings to assume it with; ` +
            `add source_profile = <a profile with stored keys> (source_profile = ${current} uses ${current}'s own stored keys)`,
        );
      }
    } else {
      // As above; the AWS CLI too takes a profile's keys before its credential_process.
      if (own !== undefined && !opts.hasStoredKeys?.(current)) {
        base = own;
        break;
      }
      if (value('web_identity_token_file') !== undefined) {
        throw new UnsupportedProfileError(current, 'web_identity_token_file needs role_arn, the role the token is exchanged for');
      }
      if (source === undefined) {
        base = keysBase(current, value('mfa_serial'), passThrough);
        if (opts.hasStoredKeys && !opts.hasStoredKeys(current)) throw new NoCredentialsError(current, walk);
        break;
      }
    }

    if (source === current) {
      // The AWS CLI idiom: this profile's own keys, then its own role (if it has one).
      base = keysBase(current, value('mfa_serial'), passThrough);
      if (opts.hasStoredKeys && !opts.hasStoredKeys(current)) throw new NoCredentialsError(current, [...walk, current]);
      break;
    }
    if (visited.has(source)) throw new ProfileCycleError([...walk, source]);
    if (roleArn === undefined) {
      const mfaSerial = value('mfa_serial');
      passThrough.push({ profile: current, ...(mfaSerial !== undefined && { mfaSerial }) });
    }
    current = source;
  }

  const chain: Chain = { profile: name, base, hops: hops.reverse(), path: [...walk].reverse() };
  // Only the target's region is used (its own, an included one, or [default]'s), so only it is checked; and not even
  // that one when the command line or the environment gives the region.
  const region = opts.regionGiven ? undefined : validatedReader(config, settingsOf(name))('region');
  if (region !== undefined) chain.region = region;
  Object.assign(chain, chainSettings(walk.map((profile) => validatedReader(config, settingsOf(profile)))));
  // Read (and checked) only where a role ARN or an SSO account does not already say which account it is.
  if (chain.hops.length === 0 && base.kind !== 'sso' && base.kind !== 'web-identity') {
    for (const profile of [...walk].reverse()) {
      const accountId = validatedReader(config, settingsOf(profile))('aws_account_id');
      if (accountId === undefined) continue;
      chain.accountId = accountId;
      break;
    }
  }
  return chain;
}

/**
 * A reader of a profile's settings that throws InvalidProfileValueError for a malformed value of a checked key
 * when that key is read: a value vault does not use (a source profile's region, the role of a source profile whose
 * keys are stored) is not vault's to judge, as the AWS CLI ignores it too.
 */
function validatedReader(config: ConfigFile, settings: Settings): (key: string) => string | undefined {
  return (key) => {
    const setting = settings.get(key);
    if (setting === undefined) return undefined;
    const { from, value } = setting;
    const reason = checkValue(key, value);
    if (reason) throw new InvalidProfileValueError(from, key, value, reason, config.path, config.lines.get(from));
    return value;
  };
}

function hop(profile: string, roleArn: string, value: (key: string) => string | undefined): Hop {
  const result: Hop = { profile, roleArn };
  const roleSessionName = value('role_session_name');
  const externalId = value('external_id');
  const mfaSerial = value('mfa_serial');
  const durationSeconds = value('duration_seconds');
  const sourceIdentity = value('source_identity');
  if (roleSessionName !== undefined) result.roleSessionName = roleSessionName;
  if (externalId !== undefined) result.externalId = externalId;
  if (mfaSerial !== undefined) result.mfaSerial = mfaSerial;
  if (durationSeconds !== undefined) result.durationSeconds = Number(durationSeconds);
  if (sourceIdentity !== undefined) result.sourceIdentity = sourceIdentity;
  // Both values were checked by validatedReader, so they parse.
  const sessionTags = value('session_tags');
  const transitiveTags = value('transitive_session_tags');
  if (sessionTags !== undefined) result.sessionTags = parseSessionTags(sessionTags) as Record<string, string>;
  if (transitiveTags !== undefined) result.transitiveTagKeys = parseTagKeys(transitiveTags) as string[];
  return result;
}

/** Where a chain's STS calls go: the settings of its target (chainSettings) that choose the endpoint. */
export type EndpointSettings = Pick<Chain, 'endpointUrl' | 'ignoreConfiguredEndpointUrls' | 'useFipsEndpoint' | 'useDualstackEndpoint' | 'stsRegionalEndpoints'>;

/**
 * The endpoint settings of one profile (its own, an included one's, [default]'s where the chain's rule takes it), as
 * a chain starting at it would have them: for a command that calls AWS with the profile's own keys and walks no
 * chain (`vault rotate`), so nothing else of the profile is read or checked.
 */
export function profileEndpointSettings(config: ConfigFile, name: string): EndpointSettings {
  const { mfaProcess: _, ...endpoints } = chainSettings([validatedReader(config, settingsReader(config)(name))]);
  return endpoints;
}

/**
 * Settings that apply to the whole chain (one STS endpoint, one MFA command): the value of the profile nearest the
 * target along the walk, so a role profile can point its chain at another endpoint or MFA command. endpoint_url is
 * the target's alone (its own or an included one), as the AWS CLI sends every call of a chain to the target's
 * endpoint and aws-vault gives the command the target's: a source profile's endpoint_url is not used.
 */
function chainSettings(
  walked: Array<(key: string) => string | undefined>,
): Pick<Chain, 'endpointUrl' | 'ignoreConfiguredEndpointUrls' | 'useFipsEndpoint' | 'useDualstackEndpoint' | 'stsRegionalEndpoints' | 'mfaProcess'> {
  // Stops at the first profile that sets the key: a value further down is not used, so it is not checked either.
  const nearest = (key: string) => {
    for (const value of walked) {
      const found = value(key);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  // The AWS CLI's switch for configured endpoints, read from the profile in use as it reads it (true, in any case, or
  // not); AWS_IGNORE_CONFIGURED_ENDPOINT_URLS beats it, so endpoint_url is kept beside it.
  const on = (key: string) => walked[0]?.(key)?.trim().toLowerCase() === 'true';
  const ignoreEndpoints = on('ignore_configured_endpoint_urls');
  // Read from the profile in use, as the AWS CLI reads them (not from [default] for another profile).
  const useFips = on('use_fips_endpoint');
  const useDualstack = on('use_dualstack_endpoint');
  const endpointUrl = walked[0]?.('endpoint_url');
  const stsRegionalEndpoints = nearest('sts_regional_endpoints') as Chain['stsRegionalEndpoints'];
  const mfaProcess = nearest('mfa_process');
  return {
    ...(endpointUrl !== undefined && { endpointUrl }),
    ...(ignoreEndpoints && { ignoreConfiguredEndpointUrls: true as const }),
    ...(useFips && { useFipsEndpoint: true as const }),
    ...(useDualstack && { useDualstackEndpoint: true as const }),
    ...(stsRegionalEndpoints !== undefined && { stsRegionalEndpoints }),
    ...(mfaProcess !== undefined && { mfaProcess }),
  };
}

function keysBase(profile: string, mfaSerial: string | undefined, passThrough: PassThrough[]): Base {
  return {
    kind: 'vault-keys',
    profile,
    ...(mfaSerial !== undefined && { mfaSerial }),
    ...(passThrough.length > 0 && { passThrough: [...passThrough].reverse() }),
  };
}

/** The error for a profile with no config section whose keys are not stored either. */
function noSectionNoKeys(config: ConfigFile, walk: string[]): Error {
  const [target = '', ...sources] = walk;
  if (sources.length > 0) return new MissingSourceError(walk);
  return new UnknownProfileError(target, suggestProfiles(target, listProfileNames(config)), {
    path: config.path,
    unprefixedLine: config.ignoredSections?.get(target),
  });
}

/**
 * A profile's own source of first credentials, other than stored keys: SSO settings, else credential_process (the
 * AWS CLI's order, botocore's provider chain, and aws-vault's). Undefined when it has neither.
 */
function ownBase(config: ConfigFile, profile: string, value: (key: string) => string | undefined): Base | undefined {
  const accountId = value('sso_account_id');
  const roleName = value('sso_role_name');
  const sso = ssoSettings(config, profile, value);
  if (sso === undefined) {
    if (accountId !== undefined || roleName !== undefined) throw ssoIncomplete(profile, 'sso_session (or sso_start_url and sso_region)');
    const command = value('credential_process');
    return command === undefined ? undefined : { kind: 'credential_process', profile, command };
  }
  if (accountId === undefined || roleName === undefined) {
    throw ssoIncomplete(profile, [accountId === undefined && 'sso_account_id', roleName === undefined && 'sso_role_name'].filter(Boolean).join(' and '));
  }
  return { kind: 'sso', profile, sso, accountId, roleName };
}

/** The sign-in settings of an SSO profile: its [sso-session] section, else the legacy keys on the profile itself. */
function ssoSettings(config: ConfigFile, profile: string, value: (key: string) => string | undefined): SsoSettings | undefined {
  const session = value('sso_session');
  if (session !== undefined) {
    const section = config.ssoSessions?.get(session);
    if (!section) throw new UnsupportedProfileError(profile, `sso_session = ${session} names no [sso-session ${session}] section; add one with sso_start_url and sso_region`);
    const read = (key: string) => {
      const found = section[key];
      const reason = found === undefined ? undefined : checkValue(key, found);
      if (reason) throw new UnsupportedProfileError(profile, `[sso-session ${session}] ${key}: ${reason}`);
      return found;
    };
    const startUrl = read('sso_start_url');
    const region = read('sso_region');
    if (startUrl === undefined || region === undefined) {
      throw new UnsupportedProfileError(profile, `[sso-session ${session}] needs sso_start_url and sso_region`);
    }
    // The profile's own legacy keys, when also present, must agree: the AWS CLI refuses a mismatch too.
    const legacyUrl = value('sso_start_url');
    if (legacyUrl !== undefined && legacyUrl !== startUrl) {
      throw new UnsupportedProfileError(profile, `sso_start_url differs from that of [sso-session ${session}]; remove it from the profile`);
    }
    const legacyRegion = value('sso_region');
    if (legacyRegion !== undefined && legacyRegion !== region) {
      throw new UnsupportedProfileError(profile, `sso_region (${legacyRegion}) differs from that of [sso-session ${session}] (${region}); remove it from the profile`);
    }
    const scopes = section.sso_registration_scopes?.split(',').map((s) => s.trim()).filter(Boolean);
    return { startUrl, region, session, ...(scopes && scopes.length > 0 && { scopes }) };
  }
  const startUrl = value('sso_start_url');
  const region = value('sso_region');
  if (startUrl === undefined && region === undefined) return undefined;
  if (startUrl === undefined || region === undefined) throw ssoIncomplete(profile, startUrl === undefined ? 'sso_start_url' : 'sso_region');
  return { startUrl, region };
}

function ssoIncomplete(profile: string, missing: string): Error {
  return new UnsupportedProfileError(profile, `an IAM Identity Center (SSO) profile also needs ${missing}`);
}
