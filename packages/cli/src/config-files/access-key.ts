import { profileName, sectionHeader } from '@vault/profiles';
import { CliError } from '../errors/cli-error.js';

/** IAM key ids: AKIA (long-lived) or ASIA (temporary) followed by upper-case letters and digits. */
const AWS_KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{12,124}$/;
/** A blank or a control character, which no key id or secret has: a paste gone wrong, or lines added to export's output. */
const BLANK_OR_CONTROL = /[\s\p{Cc}]/u;

/**
 * The key id, trimmed, and whether it has the shape of an IAM one. Any other printable id is kept, as aws-vault keeps
 * it: LocalStack's `test`, or a MinIO or other S3-compatible store's id, reached through endpoint_url. One with a
 * blank or a control character inside, or longer than IAM's 128 characters, is a paste gone wrong.
 */
export function validateAccessKeyId(id: string): { id: string; looksLikeAws: boolean } {
  const trimmed = id.trim();
  if (!trimmed || trimmed.length > 128 || BLANK_OR_CONTROL.test(trimmed) || trimmed.includes('\uFFFD')) {
    throw new CliError('INVALID_ACCESS_KEY_ID', 'that is not an access key id (1 to 128 characters, none of them blank or a control character)');
  }
  return { id: trimmed, looksLikeAws: AWS_KEY_ID.test(trimmed) };
}

/**
 * The secret, trimmed. Nothing inside it may be blank or a control character: AWS secrets are 40 base64 characters
 * (other S3-compatible stores' are also printable), and a line break would let a pasted secret add lines to what
 * `vault export --format env` or `ini` prints (`\nAWS_REGION=...`).
 */
export function validateSecretAccessKey(secret: string): string {
  const trimmed = secret.trim();
  if (!trimmed) throw new CliError('EMPTY_SECRET', 'the secret access key is empty');
  if (BLANK_OR_CONTROL.test(trimmed)) throw new CliError('INVALID_SECRET', 'the secret access key has a space, line break or control character in it');
  // What Node makes of bytes that are not UTF-8 in the environment: stored, the secret would not be the one given.
  if (trimmed.includes('\uFFFD')) throw new CliError('INVALID_SECRET', 'the secret access key has bytes that are not UTF-8 text in it');
  return trimmed;
}

/** Far beyond any real profile name; a longer one is a paste gone wrong, and `vault list` pads every row to it. */
const MAX_PROFILE_NAME = 256;

/**
 * Profile names end up in ini section headers: refuse what would break the file, and a name the header written for
 * it would read back as another one (`"q"`: `[profile "q"]` is profile q), whose stored keys no profile would use.
 */
export function validateProfileName(name: string): string {
  if (name.length > MAX_PROFILE_NAME) throw new CliError('USAGE', `invalid profile name: longer than ${MAX_PROFILE_NAME} characters`, 2);
  if (!name) throw new CliError('USAGE', 'invalid profile name: it is empty', 2);
  const why = /[\r\n]/.test(name)
    ? 'it has a line break in it'
    : /[\[\]]/.test(name)
      ? 'it has [ or ] in it, which end a section header'
      : name.trim() !== name
        ? 'it starts or ends with a space, which a section header drops'
        : /["\\]/.test(name)
          ? 'it has a double quote or a backslash, which the AWS CLI reads in a section header as quoting'
          : undefined;
  if (why) throw new CliError('USAGE', `invalid profile name ${JSON.stringify(name)}: ${why}`, 2);
  const header = sectionHeader(name);
  const readBack = profileName(header.slice(1, -1), 'config');
  if (readBack !== name) {
    throw new CliError('USAGE', `invalid profile name ${JSON.stringify(name)}: the config reads ${header} as profile ${readBack}; use ${readBack}`, 2);
  }
  return name;
}
