import { InvalidProfileValueError, ProfileCycleError } from './errors.js';
import type { ConfigFile } from './types.js';
import { checkValue } from './validate.js';

/** A profile's value together with the profile whose section holds it (itself, one it includes, or [default]). */
export interface Setting {
  value: string;
  from: string;
}

/** The settings of one profile, with include_profile and the [default] fallback applied. */
export interface Settings {
  get(key: string): Setting | undefined;
  has(key: string): boolean;
}

/**
 * aws-vault's fallback: a profile that lacks one of these keys (itself and through the profiles it includes) takes
 * [default]'s. aws-vault 5-7 (vault/config.go, populateFromConfigFile) falls back for every key its loader reads; the
 * keys that decide where credentials come from (role_arn, source_profile, credential_process, SSO, web identity)
 * are left out here on purpose: inherited, they silently turn every profile into [default]'s role, the loop and
 * wrong-identity bug for which the maintained fork (ByteNess/aws-vault) dropped the fallback altogether.
 */
export const DEFAULT_FALLBACK_KEYS: ReadonlySet<string> = new Set([
  'region',
  'mfa_serial',
  'duration_seconds',
  'role_session_name',
  'external_id',
  'source_identity',
  'sts_regional_endpoints',
  'mfa_process',
  'session_tags',
  'transitive_session_tags',
]);

/**
 * Keys whose empty value (`region =`) means "not set", so an included profile or [default] may still give one: the
 * ones botocore reads as unset when empty (an empty external_id or mfa_serial is sent as it is, and refused).
 */
const EMPTY_MEANS_UNSET: ReadonlySet<string> = new Set(['region', 'role_session_name', 'duration_seconds', 'source_identity']);

const DEFAULT = 'default';

/**
 * Reads profiles with include_profile (or parent_profile, aws-vault 5's name for it) applied, a profile's own
 * settings winning, inclusion nesting, then [default] for the keys of DEFAULT_FALLBACK_KEYS. Every answer is
 * memoised per profile and key, so the work stays linear in the size of the config however the profiles include one
 * another (copying each profile's inherited settings made a chain of includes quadratic).
 */
export function settingsReader(config: ConfigFile): (profile: string) => Settings {
  const included = includeLinks(config);
  const memo = new Map<string, Map<string, Setting | null>>();
  const reachesDefault = new Map<string, boolean>();

  /** The value of `key` in `profile` or the first profile it includes that sets it. */
  function lookup(profile: string, key: string): Setting | undefined {
    const walked: string[] = [];
    let found: Setting | null = null;
    for (let name: string | undefined = profile; name !== undefined; name = included(name)) {
      const known = memo.get(name)?.get(key);
      if (known !== undefined) {
        found = known;
        break;
      }
      walked.push(name);
      const value = config.profiles.get(name)?.[key];
      if (value !== undefined && !(value === '' && EMPTY_MEANS_UNSET.has(key))) {
        found = { value, from: name };
        break;
      }
    }
    for (const name of walked) {
      let keys = memo.get(name);
      if (!keys) memo.set(name, (keys = new Map()));
      keys.set(key, found);
    }
    return found ?? undefined;
  }

  return (profile) => {
    const get = (key: string): Setting | undefined => {
      const own = lookup(profile, key);
      if (own !== undefined || !DEFAULT_FALLBACK_KEYS.has(key) || includesDefault(profile)) return own;
      return lookup(DEFAULT, key);
    };
    return { get, has: (key) => get(key) !== undefined };
  };

  /** Whether [default] is `profile` itself or on its include chain, so it applies fully and is no fallback. */
  function includesDefault(profile: string): boolean {
    const walked: string[] = [];
    let answer = false;
    for (let name: string | undefined = profile; name !== undefined; name = included(name)) {
      const known = reachesDefault.get(name);
      if (known !== undefined || name === DEFAULT) {
        answer = known ?? true;
        break;
      }
      walked.push(name);
    }
    for (const name of walked) reachesDefault.set(name, answer);
    return answer;
  }
}

/**
 * The validated include link of each profile, checked for cycles once per profile: a walk stops at the first
 * profile already checked, so checking every profile of the file costs one pass.
 */
function includeLinks(config: ConfigFile): (name: string) => string | undefined {
  const checked = new Set<string>();
  return (name) => {
    if (!checked.has(name)) {
      const path: string[] = [];
      const onPath = new Set<string>();
      for (let at: string | undefined = name; at !== undefined && !checked.has(at); at = includedProfile(config, at)) {
        if (onPath.has(at)) throw new ProfileCycleError([...path.slice(path.indexOf(at)), at], includeKey(config, at));
        path.push(at);
        onPath.add(at);
      }
      for (const at of path) checked.add(at);
    }
    return includedProfile(config, name);
  };
}

/** Which key links `name` to the profile it includes: include_profile wins over parent_profile, as in aws-vault. */
function includeKey(config: ConfigFile, name: string): 'include_profile' | 'parent_profile' {
  return config.profiles.get(name)?.include_profile !== undefined ? 'include_profile' : 'parent_profile';
}

/**
 * The validated include_profile (or parent_profile) of `name`, if it names a section. One that names no section is
 * ignored, as aws-vault ignores it (populateFromConfigFile): a config that worked there works here; unknownIncludes
 * says which, for the CLI to tell.
 */
function includedProfile(config: ConfigFile, name: string): string | undefined {
  const key = includeKey(config, name);
  const target = config.profiles.get(name)?.[key];
  if (target === undefined) return undefined;
  const reason = checkValue('include_profile', target);
  if (reason) throw new InvalidProfileValueError(name, key, target, reason, config.path, config.lines.get(name));
  return config.profiles.has(target) ? target : undefined;
}

/** The include_profile (or parent_profile) settings met from `profiles` that name no section, one line each. */
export function unknownIncludes(config: ConfigFile, profiles: readonly string[]): string[] {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const start of profiles) {
    for (let at: string | undefined = start; at !== undefined && !seen.has(at); ) {
      seen.add(at);
      const key = includeKey(config, at);
      const target: string | undefined = config.profiles.get(at)?.[key];
      if (target !== undefined && !config.profiles.has(target)) lines.push(`${key} ${target} of profile ${at} names no section: ignored, as aws-vault ignores it`);
      at = target !== undefined && config.profiles.has(target) ? target : undefined;
    }
  }
  return lines;
}
