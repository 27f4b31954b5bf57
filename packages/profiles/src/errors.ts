// Every failure @vault/profiles reports on purpose. The `code` is stable (the CLI's catalogue keys on it); the
// message is one line naming the cause. Config and credentials files can hold secret keys, so no message ever
// quotes a whole line of a file, nor the value of a key whose name says it is a secret or a token.
import { sectionHeader } from './section-names.js';

/** Base class of every error @vault/profiles throws on purpose. */
export class ProfileError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A line of a config or credentials file is not something the AWS CLI would accept either. */
export class ConfigParseError extends ProfileError {
  constructor(
    readonly path: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super('CONFIG_PARSE', `cannot parse ${path}, line ${line}: ${reason}`);
  }
}

/** The config or credentials file exists but could not be read (permissions, a directory in its place, ...). */
export class ConfigReadError extends ProfileError {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super('CONFIG_READ', `cannot read ${path}: ${reason}`);
  }
}

export interface UnknownProfileDetail {
  /** The config file that was searched. */
  path?: string;
  /** Line of a `[NAME]` section that the config file ignores because it lacks the `profile ` prefix. */
  unprefixedLine?: number;
}

/** The profile asked for is neither in the config file nor stored in the vault. */
export class UnknownProfileError extends ProfileError {
  constructor(
    readonly profile: string,
    readonly suggestions: string[],
    readonly detail: UnknownProfileDetail = {},
  ) {
    const where = detail.path ? ` in ${detail.path}` : '';
    const parts =
      profile.trim() === ''
        ? ['no profile named: the profile name is empty']
        : [`unknown profile ${profile}: no ${sectionHeader(profile)} section${where} and no stored keys`];
    if (detail.unprefixedLine !== undefined) {
      parts.push(
        `line ${detail.unprefixedLine} has [${profile}], which the config file ignores: ` +
          `write ${sectionHeader(profile)}`,
      );
    }
    if (suggestions.length > 0) parts.push(`did you mean ${suggestions.join(', ')}?`);
    super('UNKNOWN_PROFILE', parts.join('; '));
  }
}

/** A source_profile in the chain has nothing to get credentials from. `chain` runs from the target to that source. */
export class MissingSourceError extends ProfileError {
  readonly profile: string;

  constructor(readonly chain: string[]) {
    const missing = chain[chain.length - 1] ?? '';
    super('MISSING_SOURCE', `${chain.join(' -> ')}: ${missing} has no config section and no stored keys`);
    this.profile = missing;
  }
}

/**
 * The profile where the chain has to start has a config section but no stored keys, and nothing else to get
 * credentials from. `chain` runs from the target down to that profile.
 */
export class NoCredentialsError extends ProfileError {
  constructor(
    readonly profile: string,
    readonly chain: string[] = [profile],
  ) {
    const via = chain.length > 1 ? ` (${chain.join(' -> ')})` : '';
    const selfSourced = chain.length > 1 && chain[chain.length - 2] === profile;
    const why = selfSourced
      ? 'its source_profile is itself, which means its own stored keys, and none are stored'
      : 'no keys are stored for it and it has no source_profile or credential_process';
    super('NO_CREDENTIALS', `no credentials for profile ${profile}${via}: ${why}`);
  }
}

/** source_profile or include_profile links loop back to a profile already in the chain. */
export class ProfileCycleError extends ProfileError {
  constructor(
    readonly chain: string[],
    readonly key: 'source_profile' | 'include_profile' | 'parent_profile' = 'source_profile',
  ) {
    super('PROFILE_CYCLE', `profile cycle: ${chain.join(' -> ')} (through ${key})`);
  }
}

/** A source_profile chain longer than vault follows: a config mistake or a hostile file, never a real setup. */
export class ChainTooLongError extends ProfileError {
  constructor(
    readonly profile: string,
    readonly limit: number,
  ) {
    super('CHAIN_TOO_LONG', `profile ${profile}: its source_profile chain is longer than ${limit} profiles`);
  }
}

/** A config value has a shape AWS would reject (or that vault cannot use). */
export class InvalidProfileValueError extends ProfileError {
  constructor(
    readonly profile: string,
    readonly key: string,
    value: string,
    readonly reason: string,
    readonly path: string,
    readonly line?: number,
  ) {
    const at = line === undefined ? path : `${path}, section at line ${line}`;
    super('INVALID_PROFILE_VALUE', `invalid ${key} ${showValue(key, value)} in profile ${profile} (${at}): ${reason}`);
  }
}

/** The profile gets its credentials in a way vault does not handle (credential_source, SSO, web identity, ...). */
export class UnsupportedProfileError extends ProfileError {
  constructor(
    readonly profile: string,
    readonly reason: string,
  ) {
    super('UNSUPPORTED_PROFILE', `profile ${profile}: ${reason}`);
  }
}

const MAX_SHOWN = 120;

/**
 * Quotes a config value for a message, unless the key's name says it holds a secret, or the value is a URL with a
 * user name, query or fragment (a proxy's password, a signed link).
 */
function showValue(key: string, value: string): string {
  if (isSecretKey(key) || (/url$/i.test(key) && /[@?#]/.test(value))) return '(value hidden)';
  const shown = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}...` : value;
  return JSON.stringify(shown);
}

function isSecretKey(key: string): boolean {
  return /secret|token|password/i.test(key);
}
