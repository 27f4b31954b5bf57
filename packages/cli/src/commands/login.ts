import { readConfigFile, resolveProfile } from '@vault/profiles';
import type { Context } from '../io/context.js';
import { checkRange } from '../credentials/duration.js';
import { readCredentialEnvironment } from '../credentials/environment.js';
import type { AwsCredentials } from '../credentials/types.js';
import { consoleDestination, federationEndpoint, loginUrl } from '../login/console-url.js';
import { FEDERATION_LIMITS, federationToken } from '../login/federation-token.js';
import { openBrowser } from '../login/open-browser.js';
import { requestSigninToken, type Fetch } from '../login/signin-token.js';
import { profileCredentials } from '../credentials/profile-credentials.js';

export interface LoginArgs {
  profile: string;
  /** Print the URL instead of opening a browser. */
  stdout: boolean;
  /** The role session's duration, or the federation token's for a profile without a role. */
  durationSeconds?: number;
  mfaToken?: string;
  region?: string;
  /** Console page to open instead of the home page, e.g. `s3`. */
  path?: string;
}

export interface LoginDeps {
  fetch: Fetch;
  openBrowser: (url: string) => Promise<boolean>;
}

const DEFAULT_FEDERATION_SECONDS = 3_600;
/**
 * The console session ends when its credentials expire, so a cached session with only minutes left is renewed
 * rather than reused (15 minutes is the shortest session STS issues).
 */
const MIN_CONSOLE_VALIDITY_MS = 15 * 60_000;

const defaultDeps: LoginDeps = { fetch: (url, init) => fetch(url, init), openBrowser };

export async function login(ctx: Context, args: LoginArgs, deps: LoginDeps = defaultDeps): Promise<void> {
  // A role's session signs in as it is; long-lived keys first become a federation token, and for that they are
  // needed as stored (GetFederationToken refuses session credentials).
  const chain = resolveProfile(await readConfigFile(ctx.configPath, 'config'), args.profile);
  const viaRole = chain.hops.length > 0;
  // aws-vault's variables: AWS_VAULT_DURATION is --duration's default, AWS_FEDERATION_TOKEN_TTL the token's length
  // when neither says.
  const fromEnv = readCredentialEnvironment(ctx.env);
  const [federationSeconds, source] =
    args.durationSeconds !== undefined
      ? [args.durationSeconds, '--duration']
      : fromEnv.durationSeconds !== undefined
        ? [fromEnv.durationSeconds, 'AWS_VAULT_DURATION']
        : [fromEnv.federationSeconds, 'AWS_FEDERATION_TOKEN_TTL'];
  if (!viaRole && federationSeconds !== undefined) checkRange(federationSeconds, FEDERATION_LIMITS, 'GetFederationToken', source);
  const { credentials, region } = await profileCredentials(
    ctx,
    {
      profile: args.profile,
      noSession: !viaRole,
      durationSeconds: viaRole ? args.durationSeconds : undefined,
      mfaToken: args.mfaToken,
      region: args.region,
      assume: [],
    },
    { minValidityMs: MIN_CONSOLE_VALIDITY_MS },
  );
  const session = await consoleSession(ctx, viaRole, credentials, region, federationSeconds);

  const endpoint = federationEndpoint(region, ctx.env);
  ctx.debug(`requesting a sign-in token from ${endpoint}`);
  const token = await requestSigninToken(endpoint, session, deps.fetch);
  const url = loginUrl(endpoint, consoleDestination(region, args.path), token);
  if (!args.stdout) {
    if (await deps.openBrowser(url)) {
      ctx.info(`Opened the AWS console for ${args.profile} in your browser.`);
      return;
    }
    ctx.info('No browser could be opened; open this sign-in URL (valid for 15 minutes):');
  }
  ctx.stdout(`${url}\n`);
}

async function consoleSession(
  ctx: Context,
  viaRole: boolean,
  credentials: AwsCredentials,
  region: string | undefined,
  durationSeconds: number | undefined,
): Promise<AwsCredentials> {
  // Temporary credentials from a credential_process can sign in as they are.
  if (viaRole || credentials.sessionToken) return credentials;
  const session = await federationToken(credentials, region, durationSeconds ?? DEFAULT_FEDERATION_SECONDS, ctx.debug);
  ctx.redactor.add(session.secretAccessKey);
  ctx.redactor.add(session.sessionToken);
  return session;
}
