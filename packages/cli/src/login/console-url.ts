// Pure: the AWS console federation URLs (https://docs.aws.amazon.com/IAM/latest/UserGuide/
// id_roles_providers_enable-console-custom-url.html): a getSigninToken request carrying the session, then the login
// URL carrying the sign-in token it returned.
import { CliError } from '../errors/cli-error.js';
import type { AwsCredentials } from '../credentials/types.js';

/** Overrides the federation endpoint (a proxy, another partition, or a local fake in tests). */
export const FEDERATION_ENDPOINT_ENV = 'AWS_VAULT_FEDERATION_ENDPOINT';

interface Partition {
  signin: string;
  console: string;
}

const AWS: Partition = { signin: 'https://signin.aws.amazon.com/federation', console: 'console.aws.amazon.com' };
const CHINA: Partition = { signin: 'https://signin.amazonaws.cn/federation', console: 'console.amazonaws.cn' };
const GOV_CLOUD: Partition = {
  signin: 'https://signin.amazonaws-us-gov.com/federation',
  console: 'console.amazonaws-us-gov.com',
};

function partitionOf(region: string | undefined): Partition {
  if (region?.startsWith('cn-')) return CHINA;
  if (region?.startsWith('us-gov-')) return GOV_CLOUD;
  return AWS;
}

/** The federation endpoint for the region's partition, unless the environment names another. */
export function federationEndpoint(region: string | undefined, env: NodeJS.ProcessEnv): string {
  const override = env[FEDERATION_ENDPOINT_ENV];
  if (!override) return partitionOf(region).signin;
  // Checked here so a typo is named as such, not reported as an unreachable endpoint.
  const url = URL.canParse(override) ? new URL(override) : undefined;
  if (url?.protocol !== 'https:' && url?.protocol !== 'http:') {
    throw new CliError('SIGNIN_FAILED', `${FEDERATION_ENDPOINT_ENV} ${JSON.stringify(override)} is not an http(s) URL`);
  }
  return override;
}

/**
 * Where the console opens: the home page of the region (or `path`, e.g. `s3`, in it), or the global console
 * home when no region is known.
 */
export function consoleDestination(region: string | undefined, path?: string): string {
  const partition = partitionOf(region);
  if (!region) return `https://${partition.console}/${path ? path.replace(/^\/+/, '') : ''}`;
  // The page's own query and #fragment (`cloudwatch/home?region=us-west-2#logs`) stay as written: the region goes
  // into the query, before the fragment, and only where the path names none.
  const url = new URL(`https://${region}.${partition.console}/${path ? path.replace(/^\/+/, '') : 'console/home'}`);
  // Appended as text: searchParams.set would write the whole query again in form encoding (`/` as %2F).
  if (!url.searchParams.has('region')) url.search = `${url.search ? `${url.search}&` : '?'}region=${encodeURIComponent(region)}`;
  return url.toString();
}

/** The getSigninToken request: the session's credentials travel as JSON in the `Session` parameter. */
export function signinTokenRequestUrl(endpoint: string, creds: AwsCredentials): string {
  const url = new URL(endpoint);
  url.searchParams.set('Action', 'getSigninToken');
  url.searchParams.set(
    'Session',
    JSON.stringify({ sessionId: creds.accessKeyId, sessionKey: creds.secretAccessKey, sessionToken: creds.sessionToken }),
  );
  return url.toString();
}

/** The URL a browser opens to land signed in at `destination`. */
export function loginUrl(endpoint: string, destination: string, signinToken: string): string {
  const url = new URL(endpoint);
  url.searchParams.set('Action', 'login');
  url.searchParams.set('Issuer', 'vault');
  url.searchParams.set('Destination', destination);
  url.searchParams.set('SigninToken', signinToken);
  return url.toString();
}

/**
 * The URL that first signs the browser out of any console session, then follows `login` (aws-vault's
 * --auto-logout): the console keeps one session per browser, and a new sign-in over an old one is refused.
 * Sign-out goes through the sign-in host's /oauth page; for the AWS partition, aws-vault's us-east-1 host.
 */
export function logoutThenLoginUrl(endpoint: string, login: string): string {
  const origin = endpoint === AWS.signin ? 'https://us-east-1.signin.aws.amazon.com' : new URL(endpoint).origin;
  const url = new URL(`${origin}/oauth`);
  url.searchParams.set('Action', 'logout');
  url.searchParams.set('redirect_uri', login);
  return url.toString();
}
