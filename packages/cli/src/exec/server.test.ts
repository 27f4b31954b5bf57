import { request } from 'node:http';
import { connect } from 'node:net';
import type { AwsCredentials } from '../credentials/types.js';
import {
  CREDENTIALS_PATH,
  ROLE_ARN_PATH,
  containerCredentialsJson,
  handleRequest,
  isLoopback,
  startCredentialServer,
  tokenMatches,
  type EndpointRequest,
} from './server.js';

const TOKEN = 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2FsZG8';
const CREDS: AwsCredentials = {
  accessKeyId: 'ASIASERVERTEST000001',
  secretAccessKey: 'server-secret-0123456789abcdefghijklmnop',
  sessionToken: 'server-session-token',
  expiration: new Date('2026-11-23T12:34:56.789Z'),
};

function req(overrides: Partial<EndpointRequest> = {}): EndpointRequest {
  return { method: 'GET', url: CREDENTIALS_PATH, authorization: TOKEN, remoteAddress: '127.0.0.1', host: '127.0.0.1:4711', headers: {}, ...overrides };
}

const endpoint = { token: TOKEN, credentials: async () => CREDS };

describe('handleRequest', () => {
  it('serves the container-credentials JSON to a loopback caller with the token', async () => {
    const answer = await handleRequest(req(), endpoint);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({
      AccessKeyId: CREDS.accessKeyId,
      SecretAccessKey: CREDS.secretAccessKey,
      Token: CREDS.sessionToken,
      Expiration: '2026-11-23T12:34:56Z',
    });
  });

  it.each([
    ['no Authorization header', { authorization: undefined }],
    ['an empty one', { authorization: '' }],
    ['a wrong token of the same length', { authorization: `${TOKEN.slice(0, -1)}x` }],
    ['the token with a suffix', { authorization: `${TOKEN}x` }],
    ['a prefix of the token', { authorization: TOKEN.slice(0, 10) }],
    ['a Bearer-prefixed token', { authorization: `Bearer ${TOKEN}` }],
  ])('answers 403 without credentials for %s', async (_, overrides) => {
    let asked = false;
    const answer = await handleRequest(req(overrides), { token: TOKEN, credentials: async () => ((asked = true), CREDS) });
    expect(answer.status).toBe(403);
    expect(answer.body).not.toContain(CREDS.secretAccessKey);
    expect(answer.body).not.toContain(TOKEN);
    expect(asked).toBe(false);
  });

  it('answers 403 to a peer that is not loopback, even with the token', async () => {
    for (const remoteAddress of ['10.0.0.5', '::ffff:192.168.1.2', 'fe80::1', undefined]) {
      expect((await handleRequest(req({ remoteAddress }), endpoint)).status).toBe(403);
    }
  });

  it.each([['127.0.0.1'], ['127.0.0.1:4711'], ['localhost:4711'], ['LOCALHOST']])('serves Host %s', async (host) => {
    expect((await handleRequest(req({ host }), endpoint)).status).toBe(200);
  });

  // A web page whose name was rebound to 127.0.0.1 reaches the port with its own name as Host (DNS rebinding).
  it.each([['evil.example:4711'], ['127.0.0.1.evil.example'], ['localhost.evil.example:4711'], [''], [undefined]])(
    'answers 403 to Host %s, even with the token',
    async (host) => {
      const answer = await handleRequest(req({ host }), endpoint);
      expect(answer.status).toBe(403);
      expect(answer.body).not.toContain(CREDS.secretAccessKey);
    },
  );

  it('checks the token before the method and path, so nothing is learned without it', async () => {
    expect((await handleRequest(req({ method: 'POST', authorization: undefined }), endpoint)).status).toBe(403);
    expect((await handleRequest(req({ url: '/other', authorization: undefined }), endpoint)).status).toBe(403);
    expect((await handleRequest(req({ method: 'POST' }), endpoint)).status).toBe(405);
    expect((await handleRequest(req({ url: `${CREDENTIALS_PATH}?x=1` }), endpoint)).status).toBe(200);
  });

  it("answers every path outside /role-arn/ with the profile's credentials, as aws-vault's `/` route does", async () => {
    // Its Docker recipe's proxy puts the endpoint's path in front of a container's relative URI.
    for (const url of ['/', '/credentials', '/v2/credentials/abc']) {
      expect({ url, status: (await handleRequest(req({ url }), endpoint)).status }).toEqual({ url, status: 200 });
    }
  });

  it("serves aws-vault's /role-arn/ARN route with the role's credentials, a bad ARN with 400, and only with the token", async () => {
    const asked: string[] = [];
    const roles = { ...endpoint, roleCredentials: async (arn: string) => (asked.push(arn), { ...CREDS, accessKeyId: 'ASIAROLEROLEROLE0001' }) };
    const arn = 'arn:aws:iam::123456789012:role/team/deploy';
    const answer = await handleRequest(req({ url: `${ROLE_ARN_PATH}${arn}` }), roles);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).AccessKeyId).toBe('ASIAROLEROLEROLE0001');
    // Encoded as a client may send it.
    expect((await handleRequest(req({ url: `${ROLE_ARN_PATH}${encodeURIComponent(arn)}?x=1` }), roles)).status).toBe(200);
    expect(asked).toEqual([arn, arn]);
    for (const bad of ['', 'deploy', 'arn:aws:iam::123:role/x', 'arn:aws:iam::123456789012:user/x', '%E0%A4%A', 'arn:aws:iam::123456789012:role/a b']) {
      expect({ bad, status: (await handleRequest(req({ url: `${ROLE_ARN_PATH}${bad}` }), roles)).status }).toEqual({ bad, status: 400 });
    }
    expect((await handleRequest(req({ url: `${ROLE_ARN_PATH}${arn}`, authorization: 'wrong' }), roles)).status).toBe(403);
    expect(asked).toHaveLength(2);
    // However the client spells the route, it is the route: never the profile's own credentials for a role.
    for (const url of [`/${ROLE_ARN_PATH}${arn}`, `/role-arn%2F${encodeURIComponent(arn)}`, '/role-arn', '/%2Frole-arn/x']) {
      const answer = await handleRequest(req({ url }), roles);
      expect({ url, status: answer.status, profile: answer.body.includes(CREDS.accessKeyId) }).toEqual({ url, status: url.includes('deploy') ? 200 : 400, profile: false });
    }
    // Without the route, it is an unknown path.
    expect((await handleRequest(req({ url: `${ROLE_ARN_PATH}${arn}` }), endpoint)).status).toBe(404);
  });

  it('answers 500 with the error code and message when no credentials can be had', async () => {
    const failing = {
      token: TOKEN,
      credentials: async () => {
        throw Object.assign(new Error('an MFA code for arn:aws:iam::1:mfa/me is needed'), { code: 'MFA_REQUIRED' });
      },
    };
    const answer = await handleRequest(req(), failing);
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body)).toEqual({ code: 'MFA_REQUIRED', message: 'an MFA code for arn:aws:iam::1:mfa/me is needed' });
  });
});

describe('helpers', () => {
  it('tokenMatches accepts exactly the token', () => {
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches(undefined, TOKEN)).toBe(false);
    expect(tokenMatches(TOKEN.toLowerCase(), TOKEN)).toBe(false);
  });

  it('isLoopback knows the loopback forms', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'].map(isLoopback)).toEqual([true, true, true, true]);
    expect(['128.0.0.1', '0.0.0.0', '::', '::ffff:10.0.0.1', '', undefined].map(isLoopback)).toEqual([false, false, false, false, false, false]);
  });

  it('containerCredentialsJson has exactly the four ECS fields', () => {
    expect(Object.keys(JSON.parse(containerCredentialsJson(CREDS)))).toEqual(['AccessKeyId', 'SecretAccessKey', 'Token', 'Expiration']);
  });
});

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    })
      .on('error', reject)
      .end();
  });
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('startCredentialServer', () => {
  it('listens on 127.0.0.1, answers through the handler, and stops listening when closed', async () => {
    const server = await startCredentialServer((r) => handleRequest(r, endpoint));
    // The root with its slash (an empty path fails in the Ruby SDK); a proxy in front of it reaches /role-arn/ too.
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    const ok = await get(server.url, { authorization: TOKEN });
    expect(ok.status).toBe(200);
    expect(ok.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(ok.body).AccessKeyId).toBe(CREDS.accessKeyId);
    expect((await get(server.url)).status).toBe(403);
    await server.close();
    expect(await refused(server.port)).toBe(true);
  });

  it('closes even with a keep-alive connection open', async () => {
    const server = await startCredentialServer((r) => handleRequest(r, endpoint));
    const socket = connect(server.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.write(`GET ${CREDENTIALS_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${TOKEN}\r\nConnection: keep-alive\r\n\r\n`);
    await new Promise((r) => socket.once('data', r));
    const closed = new Promise((r) => socket.once('close', r));
    await server.close();
    await closed;
    expect(await refused(server.port)).toBe(true);
  });
});
