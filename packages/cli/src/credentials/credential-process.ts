import { helperOutput } from './helper-output.js';
import { CREDENTIAL_PROCESS_OF, insideCredentialProcessOf, ownProcessWithoutKeys } from './process-marker.js';
import { CredentialProcessError } from './errors.js';
import type { AwsCredentials } from './types.js';

const MAX_OUTPUT = 1024 * 1024;

/**
 * Runs a `credential_process` command through the shell, as the AWS CLI does, and parses its JSON. Its stdout may
 * hold secrets, so no error repeats any of it. stdin is not shared: under `vault exec` it belongs to the child
 * command; a process that must prompt uses the terminal directly (stderr passes through for its messages).
 */
export async function runCredentialProcess(command: string, profile: string, env: NodeJS.ProcessEnv): Promise<AwsCredentials> {
  const running = insideCredentialProcessOf(env);
  if (running.includes(profile)) {
    // Only reached with no keys stored for the profile: with keys, the vault inside the process uses them.
    throw ownProcessWithoutKeys(profile);
  }
  const stdout = await helperOutput(
    { shell: command },
    {
      env: { ...env, [CREDENTIAL_PROCESS_OF]: [...running, profile].join('\n') },
      stdin: 'ignore',
      maxBytes: MAX_OUTPUT,
      fail: (detail) => new CredentialProcessError(undefined, detail),
    },
  );
  return parseProcessOutput(stdout, new Date());
}

/** Pure: validates the credential_process JSON (Version 1). */
export function parseProcessOutput(stdout: string, now: Date): AwsCredentials {
  const fail = (detail: string): never => {
    throw new CredentialProcessError(undefined, detail);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    // The parser's message quotes the input, which may be a secret: say only what was wrong.
    return fail(`its output is not JSON (${stdout.length} characters)`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return fail('its output is not a JSON object');
  const o = parsed as Record<string, unknown>;
  if (o.Version !== 1) return fail('its JSON must have "Version": 1');
  if (typeof o.AccessKeyId !== 'string' || !o.AccessKeyId) return fail('its JSON has no AccessKeyId');
  if (typeof o.SecretAccessKey !== 'string' || !o.SecretAccessKey) return fail('its JSON has no SecretAccessKey');
  if (o.SessionToken !== undefined && typeof o.SessionToken !== 'string') return fail('its SessionToken is not a string');
  const creds: AwsCredentials = { accessKeyId: o.AccessKeyId, secretAccessKey: o.SecretAccessKey };
  if (o.SessionToken) creds.sessionToken = o.SessionToken;
  if (o.Expiration !== undefined) {
    const expiration = typeof o.Expiration === 'string' ? new Date(o.Expiration) : undefined;
    if (!expiration || Number.isNaN(expiration.getTime())) return fail('its Expiration is not an ISO 8601 time');
    if (expiration.getTime() <= now.getTime()) {
      return fail(`it returned credentials that expired at ${expiration.toISOString()}`);
    }
    creds.expiration = expiration;
  }
  return creds;
}
