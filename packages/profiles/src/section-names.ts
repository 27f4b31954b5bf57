import type { ConfigFile } from './types.js';

/** The profile a section header names, or undefined for sections that are not profiles (as the AWS CLI reads them). */
export function profileName(section: string, kind: ConfigFile['kind']): string | undefined {
  if (kind === 'credentials' || section === 'default') return section;
  // `profile` and whitespace, then the name (the section name is trimmed already); a fixed prefix test rather than
  // a regular expression: this runs for each of thousands of headers on every command.
  if (!section.startsWith('profile') || !isSpace(section.charAt(7))) return undefined;
  const name = section.slice(7).trim();
  return name === '' ? undefined : unquoted(name);
}

/**
 * The header vault writes for a profile of the config file: `[profile NAME]`, quoted where the name has whitespace or
 * a single quote (`[profile "a b"]`, `[profile "o'brien"]`), the one form of such a name the AWS CLI reads (its shlex
 * split skips `[profile a b]` and fails on an unpaired `'`); profileName reads both. Names with `"` or `\` are
 * refused where vault writes headers (validateProfileName in the CLI): botocore reads those as quoting.
 */
export function sectionHeader(profile: string): string {
  if (profile === 'default') return '[default]';
  return NEEDS_QUOTES.test(profile) ? `[profile "${profile}"]` : `[profile ${profile}]`;
}

const NEEDS_QUOTES = /[\s']/;

/** A name written in quotes (`"my corp"`), as botocore's shlex split reads it; any other name as it is. */
function unquoted(name: string): string {
  const first = name.charAt(0);
  const quoted = (first === '"' || first === "'") && name.length > 2 && name.endsWith(first);
  return quoted ? name.slice(1, -1).trim() : name;
}

/** aws-vault's own section of the config file, `[aws-vault]` (its `redact_secrets`, for one). */
export const AWS_VAULT_SECTION = 'aws-vault';

export function isAwsVaultSection(section: string, kind: ConfigFile['kind']): boolean {
  return kind === 'config' && section === AWS_VAULT_SECTION;
}

/** The name of an `[sso-session NAME]` section of a config file, or undefined for any other section. */
export function ssoSessionName(section: string, kind: ConfigFile['kind']): string | undefined {
  if (kind !== 'config' || !section.startsWith('sso-session') || !isSpace(section.charAt(11))) return undefined;
  const name = section.slice(11).trim();
  return name === '' ? undefined : unquoted(name);
}

// One object, made once: a regular-expression literal inside a function is a new object each time it is evaluated,
// and these run for each of thousands of headers.
const SPACE = /\s/;

/** Whether a one-character string is whitespace as `\s` means it (what trim() removes). */
export function isSpace(char: string): boolean {
  return SPACE.test(char);
}
