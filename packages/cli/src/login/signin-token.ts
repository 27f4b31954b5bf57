import { CliError } from '../errors/cli-error.js';
import type { AwsCredentials } from '../credentials/types.js';
import { signinTokenRequestUrl } from './console-url.js';

export type Fetch = (url: string, init: { signal: AbortSignal }) => Promise<{ status: number; text(): Promise<string> }>;

const TIMEOUT_MS = 15_000;

/**
 * Exchanges the session's credentials for a console sign-in token at the federation endpoint. Messages name the
 * endpoint but never the request URL, which carries the credentials.
 */
export async function requestSigninToken(endpoint: string, creds: AwsCredentials, fetch: Fetch): Promise<string> {
  let response: Awaited<ReturnType<Fetch>>;
  try {
    response = await fetch(signinTokenRequestUrl(endpoint, creds), { signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    throw new CliError('SIGNIN_FAILED', `cannot reach the federation endpoint ${endpoint} (${networkCode(err)})`);
  }
  const body = await response.text().catch(() => '');
  if (response.status !== 200) {
    throw new CliError(
      'SIGNIN_FAILED',
      `the federation endpoint ${endpoint} refused the session (HTTP ${response.status}): the credentials may have expired, ` +
        'or be ones the console does not accept',
    );
  }
  const token = signinTokenOf(body);
  if (!token) throw new CliError('SIGNIN_FAILED', `the federation endpoint ${endpoint} answered without a SigninToken`);
  return token;
}

function signinTokenOf(body: string): string | undefined {
  try {
    const token = (JSON.parse(body) as { SigninToken?: unknown }).SigninToken;
    return typeof token === 'string' && token ? token : undefined;
  } catch {
    return undefined;
  }
}

/** fetch wraps socket errors in `cause`; a timeout is an AbortSignal reason. */
function networkCode(err: unknown): string {
  const e = err as { name?: unknown; cause?: { code?: unknown } };
  if (typeof e.cause?.code === 'string') return e.cause.code;
  if (e.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  return typeof e.name === 'string' ? e.name : 'network error';
}
