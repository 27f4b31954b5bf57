import { requestSigninToken, type Fetch } from './signin-token.js';

const ENDPOINT = 'https://signin.example.test/federation';
const CREDS = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret-key-value', sessionToken: 'session-token-value' };

function answering(status: number, body: string): Fetch & { urls: string[] } {
  const urls: string[] = [];
  const fetch = async (url: string) => {
    urls.push(url);
    return { status, text: async () => body };
  };
  return Object.assign(fetch, { urls });
}

async function failure(p: Promise<unknown>): Promise<Error & { code: string }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { code: string };
  }
  throw new Error('expected a failure');
}

function expectNoSecrets(message: string): void {
  for (const s of [CREDS.secretAccessKey, CREDS.sessionToken, 'Session=']) expect(message).not.toContain(s);
}

it('returns the SigninToken of a 200 answer, having sent the session to the endpoint', async () => {
  const fetch = answering(200, '{"SigninToken":"the-token"}');
  expect(await requestSigninToken(ENDPOINT, CREDS, fetch)).toBe('the-token');
  const sent = new URL(fetch.urls[0]!);
  expect(sent.origin + sent.pathname).toBe(ENDPOINT);
  expect(JSON.parse(sent.searchParams.get('Session')!).sessionKey).toBe(CREDS.secretAccessKey);
});

it('reports a refusal with the status and endpoint, never the request', async () => {
  const err = await failure(requestSigninToken(ENDPOINT, CREDS, answering(400, 'bad session')));
  expect(err.code).toBe('SIGNIN_FAILED');
  expect(err.message).toMatch(/federation endpoint https:\/\/signin\.example\.test\/federation refused the session \(HTTP 400\)/);
  expectNoSecrets(err.message);
});

it('reports an answer without a token', async () => {
  for (const body of ['{}', 'not json', '{"SigninToken":""}', '{"SigninToken":7}']) {
    const err = await failure(requestSigninToken(ENDPOINT, CREDS, answering(200, body)));
    expect(err.message).toMatch(/answered without a SigninToken/);
  }
});

it('reports an unreachable endpoint by its socket error code', async () => {
  const fetch: Fetch = async (url) => {
    throw Object.assign(new TypeError(`fetch failed for ${url}`), { cause: { code: 'ECONNREFUSED' } });
  };
  const err = await failure(requestSigninToken(ENDPOINT, CREDS, fetch));
  expect(err.code).toBe('SIGNIN_FAILED');
  expect(err.message).toBe(`cannot reach the federation endpoint ${ENDPOINT} (ECONNREFUSED)`);
});
