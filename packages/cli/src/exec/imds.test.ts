import { CREDENTIALS_PREFIX, handleImdsRequest, INSTANCE_ID, instanceCredentialsJson, ROLE_NAME, SessionTokens, TOKEN_PATH, type ImdsRequest } from './imds.js';

const NOW = new Date('2026-11-30T00:00:00Z');
let now = NOW;
const clock = () => now;
const creds = { accessKeyId: 'ASIAEXAMPLEEXAMPLE12', secretAccessKey: 'secret', sessionToken: 'token', expiration: new Date('2026-11-30T01:00:00Z') };

function endpoint(overrides: Partial<Parameters<typeof handleImdsRequest>[1]> = {}) {
  return { credentials: async () => creds, region: 'eu-west-2', tokens: new SessionTokens(clock), clock, ...overrides };
}

function request(method: string, url: string, headers: Record<string, string> = {}, remoteAddress = '127.0.0.1'): ImdsRequest {
  return { method, url, headers: { host: '127.0.0.1:40123', ...headers }, remoteAddress };
}

beforeEach(() => (now = NOW));

test('a request for another Host (a DNS-rebinding web page) is refused, token or not; localhost is served', async () => {
  const e = endpoint();
  const rebound = { host: 'attacker.example:8080' };
  expect((await handleImdsRequest(request('PUT', TOKEN_PATH, { ...rebound, 'x-aws-ec2-metadata-token-ttl-seconds': '60' }), e)).status).toBe(403);
  const token = (await handleImdsRequest(request('PUT', TOKEN_PATH, { 'x-aws-ec2-metadata-token-ttl-seconds': '60' }), e)).body;
  const read = (headers: Record<string, string>) => handleImdsRequest(request('GET', `${CREDENTIALS_PREFIX}${ROLE_NAME}`, { 'x-aws-ec2-metadata-token': token, ...headers }), e);
  expect((await read(rebound)).status).toBe(403);
  expect((await read({ host: 'localhost:40123' })).status).toBe(200);
});

test('PUT /latest/api/token issues a token for the lifetime asked (1 s to 6 h), refused through a proxy', async () => {
  const e = endpoint();
  const ok = await handleImdsRequest(request('PUT', TOKEN_PATH, { 'x-aws-ec2-metadata-token-ttl-seconds': '21600' }), e);
  expect(ok.status).toBe(200);
  expect(ok.body).toMatch(/^[A-Za-z0-9_-]{43}$/);
  for (const ttl of [undefined, '0', '21601', '1.5', 'x']) {
    const headers: Record<string, string> = ttl === undefined ? {} : { 'x-aws-ec2-metadata-token-ttl-seconds': ttl };
    expect((await handleImdsRequest(request('PUT', TOKEN_PATH, headers), e)).status).toBe(400);
  }
  const proxied = request('PUT', TOKEN_PATH, { 'x-aws-ec2-metadata-token-ttl-seconds': '60', 'x-forwarded-for': '10.0.0.1' });
  expect((await handleImdsRequest(proxied, e)).status).toBe(403);
  expect((await handleImdsRequest(request('GET', TOKEN_PATH), e)).status).toBe(405);
});

test('GETs need a live token: none, a wrong one or an expired one is 401', async () => {
  const e = endpoint();
  const token = (await handleImdsRequest(request('PUT', TOKEN_PATH, { 'x-aws-ec2-metadata-token-ttl-seconds': '60' }), e)).body;
  const get = (t?: string) => handleImdsRequest(request('GET', CREDENTIALS_PREFIX, t === undefined ? {} : { 'x-aws-ec2-metadata-token': t }), e);
  expect((await get()).status).toBe(401);
  expect((await get(`${token}x`)).status).toBe(401);
  expect(await get(token)).toEqual({ status: 200, body: ROLE_NAME });
  now = new Date(NOW.getTime() + 60_000);
  expect((await get(token)).status).toBe(401);
});

test('serves the role, its credentials in EC2 format, and the region; the rest is 404', async () => {
  const e = endpoint();
  const token = (await handleImdsRequest(request('PUT', TOKEN_PATH, { 'x-aws-ec2-metadata-token-ttl-seconds': '60' }), e)).body;
  const get = (url: string) => handleImdsRequest(request('GET', url, { 'x-aws-ec2-metadata-token': token }), e);
  expect(await get(CREDENTIALS_PREFIX.slice(0, -1))).toEqual({ status: 200, body: ROLE_NAME });
  expect(JSON.parse((await get(`${CREDENTIALS_PREFIX}${ROLE_NAME}`)).body)).toEqual({
    Code: 'Success',
    LastUpdated: '2026-11-30T00:00:00Z',
    Type: 'AWS-HMAC',
    AccessKeyId: 'ASIAEXAMPLEEXAMPLE12',
    SecretAccessKey: 'secret',
    Token: 'token',
    Expiration: '2026-11-30T01:00:00Z',
  });
  expect(JSON.parse((await get('/latest/dynamic/instance-identity/document')).body)).toEqual({ region: 'eu-west-2' });
  expect(await get('/latest/meta-data/placement/region')).toEqual({ status: 200, body: 'eu-west-2' });
  // The Go SDK v1's check that instance metadata is there, with or without the trailing slash aws-vault registers.
  for (const path of ['/latest/meta-data/instance-id', '/latest/meta-data/instance-id/']) expect(await get(path)).toEqual({ status: 200, body: INSTANCE_ID });
  expect((await get(`${CREDENTIALS_PREFIX}other-role`)).status).toBe(404);
  expect((await get('/latest/user-data')).status).toBe(404);
});

test('a failure to get credentials is a 500 with its one-line message; a non-loopback peer is 403 before anything', async () => {
  const failing = endpoint({ credentials: async () => Promise.reject(new Error('STS said no')) });
  const token = failing.tokens.issue(60);
  const answer = await handleImdsRequest(request('GET', `${CREDENTIALS_PREFIX}${ROLE_NAME}`, { 'x-aws-ec2-metadata-token': token }), failing);
  expect(answer).toEqual({ status: 500, body: JSON.stringify({ Code: 'CredentialsUnavailable', Message: 'STS said no' }) });
  const remote = request('PUT', TOKEN_PATH, { 'x-aws-ec2-metadata-token-ttl-seconds': '60' }, '10.1.2.3');
  expect((await handleImdsRequest(remote, endpoint())).status).toBe(403);
});

test('tokens are bounded: the oldest goes when a client asks for very many', () => {
  const tokens = new SessionTokens(clock);
  const first = tokens.issue(60);
  for (let i = 0; i < 1_000; i++) tokens.issue(60);
  expect(tokens.valid(first)).toBe(false);
  expect(instanceCredentialsJson(creds, NOW)).toContain('"Type":"AWS-HMAC"');
});
