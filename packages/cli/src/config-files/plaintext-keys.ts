// What `vault import` takes from the plaintext credentials file, and the file without it. Pure: the command reads
// and writes the files.
import { removeProfileKeys, type ConfigFile, type Setting } from '@vault/profiles';
import { CliError } from '../errors/cli-error.js';
import { validateProfileName } from './access-key.js';

const ID_KEY = 'aws_access_key_id';
const SECRET_KEY = 'aws_secret_access_key';
const TOKEN_KEYS = ['aws_session_token', 'aws_security_token'];
const KEY_ID = /^AKIA[A-Z0-9]{12,124}$/;

export interface ImportableKeys {
  profile: string;
  accessKeyId: string;
  secretAccessKey: string;
  /**
   * The section's other settings (region, mfa_serial, ...): the AWS CLI reads them from the credentials file too,
   * over the config file's, so they move to the config with the keys or the profile would mean less to vault.
   */
  settings: Setting[];
  /** Settings written over several lines (a nested `s3 =` block): named, not copied. */
  leftOut: string[];
}

export interface SkippedProfile {
  profile: string;
  reason: string;
}

export interface ImportPlan {
  keys: ImportableKeys[];
  skipped: SkippedProfile[];
}

export type ImportSelection = { all: true } | { all: false; profiles: readonly string[] };

/** Raised when a profile named for import has no section in the credentials file. */
export class MissingSectionError extends CliError {
  constructor(
    readonly path: string,
    readonly missing: string[],
    readonly present: string[],
  ) {
    const has = present.length > 0 ? `it has ${present.map((p) => `[${p}]`).join(', ')}` : 'it has no sections';
    super('IMPORT_UNKNOWN_PROFILE', `${path} has no ${missing.map((p) => `[${p}]`).join(', ')} section (${has})`);
  }
}

/**
 * Which sections hold long-lived keys that can move into the vault, and why the others cannot. Sections with a
 * session token hold temporary credentials, which would be useless once they expire.
 */
export function planImport(file: ConfigFile, selection: ImportSelection): ImportPlan {
  const present = [...file.profiles.keys()];
  const wanted = selection.all ? present : [...new Set(selection.profiles)];
  const missing = wanted.filter((p) => !file.profiles.has(p));
  if (missing.length > 0) throw new MissingSectionError(file.path, missing, present);

  const plan: ImportPlan = { keys: [], skipped: [] };
  for (const profile of wanted) {
    const values = file.profiles.get(profile) ?? {};
    const accessKeyId = values[ID_KEY] ?? '';
    const secretAccessKey = values[SECRET_KEY] ?? '';
    const skip = (reason: string) => plan.skipped.push({ profile, reason });
    const badName = nameProblem(profile);
    if (badName) skip(badName);
    else if (TOKEN_KEYS.some((k) => values[k])) skip('it holds temporary credentials (aws_session_token), which expire');
    else if (!accessKeyId && !secretAccessKey) skip(`it has no aws_access_key_id or aws_secret_access_key${settingsOnly(values)}`);
    else if (!accessKeyId) skip('it has aws_secret_access_key but no aws_access_key_id');
    else if (!secretAccessKey) skip('it has aws_access_key_id but no aws_secret_access_key');
    else if (!KEY_ID.test(accessKeyId)) skip('its aws_access_key_id is not a long-lived key id (AKIA followed by letters and digits)');
    else plan.keys.push({ profile, accessKeyId, secretAccessKey, ...otherSettings(values) });
  }
  return plan;
}

/** Why vault cannot keep keys under this name (validateProfileName's reason), if it cannot. */
function nameProblem(profile: string): string | undefined {
  try {
    validateProfileName(profile);
    return undefined;
  } catch (err) {
    return `its name cannot be a profile vault writes (${(err as Error).message.replace(/^invalid profile name [^:]*: /, '')})`;
  }
}

/** For a section of settings alone: vault reads profiles from the config file, so the AWS CLI's merge is the user's to do. */
function settingsOnly(values: Readonly<Record<string, string>>): string {
  const keys = Object.keys(values);
  return keys.length === 0 ? '' : `; vault reads profiles from the config file, so move its ${keys.join(', ')} there`;
}

function otherSettings(values: Readonly<Record<string, string>>): Pick<ImportableKeys, 'settings' | 'leftOut'> {
  const others = Object.entries(values).filter(([key]) => key !== ID_KEY && key !== SECRET_KEY && !TOKEN_KEYS.includes(key));
  // A nested block (`s3 =` and indented `key = value` lines) is kept as its lines' text, one line when it has one.
  const nested = (value: string) => /[\r\n]/.test(value) || /^[A-Za-z0-9_]+\s*=/.test(value);
  const copyable = ([key, value]: [string, string]) => /^[a-z0-9_]+$/.test(key) && !nested(value) && value.trim() === value;
  return {
    settings: others.filter(copyable).map(([key, value]): Setting => [key, value]),
    leftOut: others.filter((entry) => !copyable(entry)).map(([key]) => key),
  };
}

/**
 * The credentials file without the access key id and secret of `profiles`: those lines (and any continuation lines
 * of their values) go, every other byte stays, including the section headers, comments and other keys.
 */
export function removeKeys(text: string, profiles: ReadonlySet<string>): string {
  return removeProfileKeys(text, 'credentials', profiles, new Set([ID_KEY, SECRET_KEY]));
}
