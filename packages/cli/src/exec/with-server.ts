// `vault exec --server`: the child gets a local credential endpoint instead of keys, so the SDKs in it renew
// credentials by themselves for as long as it runs, each renewal going through the same cache-then-STS path as
// `vault exec` (and so landing in the vault's session cache too).
import { randomBytes } from 'node:crypto';
import { wipeKey, type VaultFile, type VaultKey } from '@vault/core';
import { CliError } from '../errors/cli-error.js';
import type { Context } from '../io/context.js';
import type { AwsCredentials } from '../credentials/types.js';
import { profileCredentials, type CredentialRequest } from '../credentials/profile-credentials.js';
import { unlockWithPassphrase } from '../vault-access/vault-access.js';
import { buildChildEnv, endpointVariables, regionVariables } from './env.js';
import { refreshingCredentials } from './refresh.js';
import { runChild } from './run.js';
import { handleRequest, startCredentialServer } from './server.js';

/** The vault's own cache margin: a session is renewed when less than this is left, as `vault exec` would. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/** Pure: what the child gets on top of the parent's environment (no static keys: buildChildEnv strips those). */
export function containerVariables(url: string, token: string, region: string | undefined): Array<[string, string]> {
  const vars: Array<[string, string]> = [
    ['AWS_CONTAINER_CREDENTIALS_FULL_URI', url],
    ['AWS_CONTAINER_AUTHORIZATION_TOKEN', token],
  ];
  return [...vars, ...regionVariables(region)];
}

/** The container-credentials format has no way to say "these never expire", and SDKs reject answers without both. */
function requireTemporary(profile: string, creds: AwsCredentials): AwsCredentials {
  if (creds.sessionToken && creds.expiration) return creds;
  throw new CliError(
    'SERVER_NEEDS_SESSION',
    `profile ${profile} yields credentials without a session token and expiry, which a credential endpoint cannot serve`,
  );
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Returns the child's exit status; the endpoint is closed and the vault key wiped once the child has exited. */
export async function execWithServer(ctx: Context, req: CredentialRequest, command: string[]): Promise<number> {
  if (req.noSession) {
    throw new CliError('USAGE', '--server serves temporary credentials, and --no-session asks for the long-lived keys', 2);
  }
  // The first key is kept for the child's lifetime: a renewal hours later must not ask for the passphrase again.
  let key: VaultKey | undefined;
  const unlock = async (c: Context, file: VaultFile) => (key ??= await unlockWithPassphrase(c, file));
  try {
    const first = await profileCredentials(ctx, req, { unlock, minValidityMs: REFRESH_MARGIN_MS });
    requireTemporary(req.profile, first.credentials);

    // Renewals happen while the child owns the terminal, so they never prompt; an MFA code given once cannot be
    // used again either. Role sessions renew from the cached base session (8 h) without one.
    const renewing: Context = { ...ctx, interactive: () => false };
    const renewRequest: CredentialRequest = { ...req, mfaToken: undefined };
    const current = refreshingCredentials(first.credentials, {
      renew: async () => {
        const next = await profileCredentials(renewing, renewRequest, { unlock, minValidityMs: REFRESH_MARGIN_MS });
        ctx.debug(`renewed the credentials of ${req.profile} (valid until ${next.credentials.expiration?.toISOString()})`);
        return requireTemporary(req.profile, next.credentials);
      },
      clock: ctx.clock,
      marginMs: REFRESH_MARGIN_MS,
      onStaleServed: (err) =>
        ctx.info(`vault: renewing the credentials of ${req.profile} failed, serving the current ones until they expire: ${messageOf(err)}`),
    });
    const serve = async () => {
      try {
        return await current();
      } catch (err) {
        ctx.info(`vault: the credential endpoint has no credentials for ${req.profile}: ${messageOf(err)}`);
        throw err;
      }
    };

    const token = randomBytes(32).toString('base64url');
    ctx.redactor.add(token);
    const server = await startCredentialServer(async (request) => {
      const answer = await handleRequest(request, { token, credentials: serve });
      ctx.debug(`credential endpoint: ${request.method} ${request.url} from ${request.remoteAddress} -> ${answer.status}`);
      return answer;
    });
    try {
      const env = buildChildEnv(ctx.env, req.profile, [
        ...containerVariables(server.url, token, first.region),
        ...endpointVariables(first.endpointUrl),
      ]);
      ctx.debug(`running ${command[0]} with profile ${req.profile}, credentials served at ${server.url}`);
      return await runChild(command, env);
    } finally {
      await server.close();
    }
  } finally {
    if (key) wipeKey(key);
  }
}
