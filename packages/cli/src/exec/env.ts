import type { AwsCredentials } from '../credentials/types.js';
import { CREDENTIAL_PROCESS_OF } from '../credentials/process-marker.js';
import { PASSPHRASE_VARIABLES } from '../vault-access/helper-env.js';

/**
 * Variables removed from the parent's environment before the child sees it: a stale profile selector or key
 * would override or confuse the credentials we inject, and vault's own passphrases must never leak to the child.
 */
const STRIPPED = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  ...PASSPHRASE_VARIABLES,
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  // The SDKs pair it with the keys (account-based endpoints such as DynamoDB's): an inherited one would send our
  // credentials to another account's endpoint. Set again below where the chain says the account.
  'AWS_ACCOUNT_ID',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  // The SDKs read the token from this file in preference to AWS_CONTAINER_AUTHORIZATION_TOKEN.
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  // aws-vault unsets these two: the first names a legacy credentials file some tools still read keys from, the
  // second makes the Go SDK v1 read ~/.aws/config, where the profile's own settings would compete with ours.
  'AWS_CREDENTIAL_FILE',
  'AWS_SDK_LOAD_CONFIG',
  // An instance-metadata endpoint the child should not use instead of ours (`exec --ec2-server` sets its own).
  'AWS_EC2_METADATA_SERVICE_ENDPOINT',
  'AWS_EC2_METADATA_DISABLED',
  // vault's own marker for a credential_process it runs; a command vault starts is not inside one.
  CREDENTIAL_PROCESS_OF,
];

/** AWS_REGION and AWS_DEFAULT_REGION (the AWS CLI v1 reads only the latter), when there is a region. */
export function regionVariables(region: string | undefined): Array<[string, string]> {
  return region ? [['AWS_REGION', region], ['AWS_DEFAULT_REGION', region]] : [];
}

/** AWS_ACCOUNT_ID, as aws-vault gives it for an IAM Identity Center profile (its sso_account_id). */
export function accountVariables(accountId: string | undefined): Array<[string, string]> {
  return accountId ? [['AWS_ACCOUNT_ID', accountId]] : [];
}

/** AWS_ENDPOINT_URL, as aws-vault gives it to the child, when the profile's chain has an endpoint_url. */
export function endpointVariables(endpointUrl: string | undefined): Array<[string, string]> {
  return endpointUrl ? [['AWS_ENDPOINT_URL', endpointUrl]] : [];
}

/** The AWS_* variables that carry credentials and region, in a stable order (also used by `vault export`). */
export function credentialVariables(creds: AwsCredentials, region: string | undefined): Array<[string, string]> {
  const vars: Array<[string, string]> = [
    ['AWS_ACCESS_KEY_ID', creds.accessKeyId],
    ['AWS_SECRET_ACCESS_KEY', creds.secretAccessKey],
  ];
  if (creds.sessionToken) vars.push(['AWS_SESSION_TOKEN', creds.sessionToken]);
  if (creds.expiration) vars.push(['AWS_CREDENTIAL_EXPIRATION', isoSeconds(creds.expiration)]);
  vars.push(...regionVariables(region));
  return vars;
}

/** Pure: the child's environment for `vault exec`. */
export function buildChildEnv(
  parent: NodeJS.ProcessEnv,
  profile: string,
  injected: Array<[string, string]>,
): Record<string, string> {
  const env: Record<string, string> = {};
  // Key by key rather than Object.entries(): no [key, value] array per variable, ~12 kB less for a shell's 44
  // variables of what a cached `vault exec` allocates, which is close to where V8 starts collecting
  // (docs/benchmarks.md, "Round 8").
  for (const k in parent) {
    const v = parent[k];
    if (v !== undefined && Object.hasOwn(parent, k) && !STRIPPED.includes(k)) env[k] = v;
  }
  env.AWS_VAULT = profile;
  for (const [k, v] of injected) env[k] = v;
  return env;
}

/**
 * ISO 8601 in UTC without milliseconds, the form the AWS CLI and SDKs print. Built from the UTC fields rather than
 * with toISOString(), whose first call in a process costs V8 1-1.5 ms, the largest single call of a cached
 * `vault exec` (docs/benchmarks.md, "Start-up, round 4").
 */
export function isoSeconds(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const day = `${String(date.getUTCFullYear()).padStart(4, '0')}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}`;
  return `${day}T${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}Z`;
}
