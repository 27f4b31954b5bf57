import { readConfigFile, resolveProfile } from '@vault/profiles';
import { CliError } from '../errors/cli-error.js';
import type { Context } from '../io/context.js';
import { checkRange } from '../credentials/duration.js';
import { durationVariable } from '../credentials/environment.js';
import type { AwsCredentials } from '../credentials/types.js';
import { consoleDestination, federationEndpoint, loginUrl, logoutThenLoginUrl } from '../login/console-url.js';
import { FEDERATION_LIMITS, federationToken } from '../login/federation-token.js';
import { openBrowser } from '../credentials/open-browser.js';
import { requestSigninToken, type Fetch } from '../login/signin-token.js';
import { commandRegion, defaultServices, profileCredentials, type CredentialServices } from '../credentials/profile-credentials.js';
import { stsTarget, type StsTarget } from '../credentials/sts-endpoint.js';

export interface LoginArgs {
  /** Undefined: sign in with the keys in the environment (AWS_ACCESS_KEY_ID...), or as "default" without them. */
  profile: string | undefined;
  /** Print the URL instead of opening a browser. */
  stdout: boolean;
  /** Sign the browser out of its console session first. */
  autoLogout: boolean;
  /** A role is assumed with the stored keys directly, without a GetSessionToken session first. */
  noSession: boolean;
  /** The role session's duration, or the federation token's for a profile without a role. */
  durationSeconds?: number;
  mfaToken?: string;
  region?: string;
  /** Console page to open instead of the home page, e.g. `s3`. */
  path?: string;
  /** The browser program that opens the console and any IAM Identity Center sign-in (--browser). */
  browser?: string;
}

export interface LoginDeps {
  fetch: Fetch;
  /** `env` is the run's (ctx.env): the opener is looked up on its PATH and inherits it. */
  openBrowser: (url: string, browser: string | undefined, env: NodeJS.ProcessEnv) => Promise<boolean>;
  /** STS with the given keys, for GetFederationToken (the real client, loaded on first use, by default). */
  sts: CredentialServices['sts'];
}

const DEFAULT_FEDERATION_SECONDS = 3_600;
/**
 * The console session ends when its credentials expire, so a cached session with only minutes left is renewed
 * rather than reused (15 minutes is the shortest session STS issues).
 */
const MIN_CONSOLE_VALIDITY_MS = 15 * 60_000;

const defaultDeps: LoginDeps = {
  fetch: (url, init) => fetch(url, init),
  openBrowser: (url, browser, env) => openBrowser(url, { env, ...(browser !== undefined && { command: browser }) }),
  sts: defaultServices.sts,
};

/** Keys from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), when both are set. */
export function environmentCredentials(env: NodeJS.ProcessEnv): AwsCredentials | undefined {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = env;
  if (!accessKeyId || !secretAccessKey) return undefined;
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

/** The credentials that sign in, the region, whether they are a role's session, and who they are for messages. */
async function signingCredentials(ctx: Context, args: LoginArgs) {
  const fromEnv = args.profile === undefined ? environmentCredentials(ctx.env) : undefined;
  const givenRegion = commandRegion(args.region, ctx.env, undefined);
  // aws-vault's variables for login alone: AWS_VAULT_DURATION is --duration's default (for a role's session too),
  // AWS_FEDERATION_TOKEN_TTL the federation token's length when neither says.
  const [duration, durationSource] =
    args.durationSeconds !== undefined ? [args.durationSeconds, '--duration'] : [durationVariable(ctx.env, 'AWS_VAULT_DURATION'), 'AWS_VAULT_DURATION'];
  // Read (and checked) only where a federation token is made: a bad one does not stop a role's login.
  const federation = (): number | undefined => {
    const [seconds, source] =
      duration !== undefined ? [duration, durationSource] : [durationVariable(ctx.env, 'AWS_FEDERATION_TOKEN_TTL'), 'AWS_FEDERATION_TOKEN_TTL'];
    if (seconds !== undefined) checkRange(seconds, FEDERATION_LIMITS, 'GetFederationToken', source);
    return seconds;
  };
  if (fromEnv) {
    ctx.redactor.add(fromEnv.secretAccessKey);
    if (fromEnv.sessionToken) ctx.redactor.add(fromEnv.sessionToken);
    const federationSeconds = fromEnv.sessionToken ? undefined : federation();
    const sts = stsTarget({ region: givenRegion }, ctx.env);
    return { credentials: fromEnv, region: givenRegion, sts, viaRole: false, who: 'the keys in AWS_ACCESS_KEY_ID', federationSeconds };
  }
  const profile = args.profile ?? 'default';
  // A role's session signs in as it is; long-lived keys first become a federation token, and for that they are
  // needed as stored (GetFederationToken refuses session credentials).
  const chain = resolveProfile(await readConfigFile(ctx.configPath, 'config'), profile, { regionGiven: givenRegion !== undefined });
  const viaRole = chain.hops.length > 0;
  const federationSeconds = viaRole ? undefined : federation();
  const { credentials, region, sts } = await profileCredentials(
    ctx,
    {
      profile,
      noSession: !viaRole || args.noSession,
      ...(viaRole && duration !== undefined && { durationSeconds: duration, durationSource }),
      mfaToken: args.mfaToken,
      region: args.region,
      assume: [],
      // `login --stdout` opens no browser at all: an IAM Identity Center sign-in prints its link too, as aws-vault 7
      // (ByteNess, the release with --device-code) does, for a machine without one.
      printSignInLink: args.stdout,
      ...(args.browser !== undefined && { browser: args.browser }),
    },
    { minValidityMs: MIN_CONSOLE_VALIDITY_MS },
  );
  return { credentials, region, sts, viaRole, who: profile, federationSeconds };
}

export async function login(ctx: Context, args: LoginArgs, deps: LoginDeps = defaultDeps): Promise<void> {
  const { credentials, region, sts, viaRole, who, federationSeconds } = await signingCredentials(ctx, args);
  const session = await consoleSession(ctx, deps, viaRole, credentials, sts, federationSeconds, who);

  const endpoint = federationEndpoint(region, ctx.env);
  ctx.debug(`requesting a sign-in token from ${endpoint}`);
  const token = await requestSigninToken(endpoint, session, deps.fetch);
  const signIn = loginUrl(endpoint, consoleDestination(region, args.path), token);
  const url = args.autoLogout ? logoutThenLoginUrl(endpoint, signIn) : signIn;
  if (!args.stdout) {
    if (await deps.openBrowser(url, args.browser, ctx.env)) {
      ctx.info(`Opened the AWS console for ${who} in your browser.`);
      return;
    }
    ctx.info('No browser could be opened; open this sign-in URL (valid for 15 minutes):');
  }
  ctx.stdout(`${url}\n`);
}

async function consoleSession(
  ctx: Context,
  deps: LoginDeps,
  viaRole: boolean,
  credentials: AwsCredentials,
  target: StsTarget,
  durationSeconds: number | undefined,
  who: string,
): Promise<AwsCredentials> {
  if (viaRole) return credentials;
  if (credentials.sessionToken) {
    // Temporary credentials from the environment or a credential_process sign in as they are when they are a role's
    // session or a federation token; a GetSessionToken session (what `vault exec` of a profile without a role gives
    // its shell) the console refuses at sign-in, after the browser opened. aws-vault asks STS which they are too.
    const { arn } = await deps.sts(credentials, target.region, target.endpoint).getCallerIdentity();
    if (!/^arn:[\w-]+:sts::\d{12}:(assumed-role|federated-user)\//.test(arn)) {
      const whose = who.startsWith('the keys') ? who : `the credentials of ${who}`;
      throw new CliError('CONSOLE_REFUSES_SESSION', `${whose} are a session of ${arn}, not a role's session or a federation token, which the AWS console does not accept`);
    }
    return credentials;
  }
  // Where the profile's other STS calls went (its endpoint_url, FIPS and dual-stack settings, AWS_ENDPOINT_URL_STS
  // from the run's environment): GetFederationToken is one more.
  const sts = deps.sts(credentials, target.region, target.endpoint);
  const session = await federationToken(sts, durationSeconds ?? DEFAULT_FEDERATION_SECONDS, ctx.debug);
  ctx.redactor.add(session.secretAccessKey);
  ctx.redactor.add(session.sessionToken);
  return session;
}
