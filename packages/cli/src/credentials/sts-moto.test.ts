// createStsApi against a real STS implementation (moto): the client calls the endpoint vault chose (whatever the
// SDK's own variables say), and the walker works over real responses.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { createServer, type Socket } from 'node:net';
import type { CachedSession } from '@vault/core';
import type { Chain } from '@vault/profiles';
import { resolveCredentials } from './chain.js';
import { NO_OTHER_SOURCES } from './fake-sts.fixture.js';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { createStsApi, STS_CLIENT_OPTIONS } from './sts-client.js';

const KEYS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const ADMIN = 'arn:aws:iam::123456789012:role/admin';
const BACKUP = 'arn:aws:iam::987654321098:role/backup';

let moto: ChildProcess | undefined;
let endpoint = '';
const savedEnv = { ...process.env };

beforeAll(async () => {
  const port = await freePort();
  endpoint = `http://127.0.0.1:${port}`;
  moto = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  await waitUntilAnswering(endpoint, 30_000);
}, 40_000);

afterAll(async () => {
  process.env = savedEnv;
  const child = moto;
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
});

beforeEach(() => {
  delete process.env.AWS_ENDPOINT_URL;
  delete process.env.AWS_ENDPOINT_URL_STS;
});

it('calls the endpoint it is given and returns assumed-role credentials', async () => {
  // The SDK's own reading of the variables is not used: vault has applied them already (stsTarget).
  process.env.AWS_ENDPOINT_URL_STS = 'http://127.0.0.1:9';
  process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
  const creds = await createStsApi(KEYS, 'eu-west-1', endpoint).assumeRole({
    roleArn: ADMIN,
    roleSessionName: 'vault-test',
    durationSeconds: 900,
  });
  expect(creds.accessKeyId).toMatch(/^ASIA/);
  expect(creds.secretAccessKey).toEqual(expect.any(String));
  expect(creds.sessionToken).toEqual(expect.any(String));
  const lifetime = (creds.expiration as Date).getTime() - Date.now();
  expect(lifetime).toBeGreaterThan(800_000);
  expect(lifetime).toBeLessThanOrEqual(900_000);
});

it('answers GetCallerIdentity', async () => {
  const identity = await createStsApi(KEYS, undefined, endpoint).getCallerIdentity();
  expect(identity.account).toMatch(/^\d{12}$/);
  expect(identity.arn).toMatch(/^arn:aws:/);
});

it('walks a cross-account chain through moto, then serves it from the cache', async () => {
  const sessions = new Map<string, CachedSession>();
  const chain: Chain = {
    profile: 'backup',
    // One MFA device on the keys and the first role: the chain starts from a GetSessionToken session.
    base: { kind: 'vault-keys', profile: 'read-only', mfaSerial: 'arn:aws:iam::123456789012:mfa/alice' },
    hops: [
      { profile: 'admin', roleArn: ADMIN, mfaSerial: 'arn:aws:iam::123456789012:mfa/alice' },
      { profile: 'backup', roleArn: BACKUP },
    ],
    path: ['read-only', 'admin', 'backup'],
  };
  let stsClients = 0;
  const deps = {
    sts: (creds: Parameters<typeof createStsApi>[0], region: string | undefined) => {
      stsClients += 1;
      return createStsApi(creds, region, endpoint);
    },
    store: {
      baseKeys: () => KEYS,
      session: (key: string) => sessions.get(key),
      longestSession: () => undefined,
      save: (key: string, s: CachedSession) => void sessions.set(key, s),
    },
    promptMfa: async () => '000000',
    runCredentialProcess: async () => {
      throw new Error('unused');
    },
    ...NO_OTHER_SOURCES,
    clock: () => new Date(),
    log: () => undefined,
    progress: () => undefined,
  };
  const first = await resolveCredentials(chain, { noSession: false, assume: [], region: 'us-east-1' }, deps);
  expect(first.accessKeyId).toMatch(/^ASIA/);
  expect(sessions.size).toBe(3);
  expect(stsClients).toBe(3);
  const second = await resolveCredentials(chain, { noSession: false, assume: [], region: 'us-east-1' }, deps);
  expect(second).toEqual(first);
  expect(stsClients).toBe(3);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilAnswering(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (moto?.exitCode !== null) throw new Error(`moto.server exited with status ${moto?.exitCode}`);
    const answered = await new Promise<boolean>((resolve) => {
      const req = request(url, { method: 'GET', timeout: 1000 }, (res) => {
        res.resume();
        resolve(true);
      });
      req.on('error', () => resolve(false));
      req.on('timeout', () => req.destroy());
      req.end();
    });
    if (answered) return;
    if (Date.now() > deadline) throw new Error(`moto.server did not answer at ${url} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a server that accepts the connection and never answers', () => {
  it("ends the request with an error at the client's request timeout, instead of waiting for ever", async () => {
    // Its connections are ended when the test is: one left open kept the jest worker from exiting.
    const connections = new Set<Socket>();
    const silent = createServer((socket) => void connections.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    let client: STSClient | undefined;
    try {
      const { port } = silent.address() as { port: number };
      // vault's own options, with a request timeout a test can wait for (vault's is 15 s, twice).
      client = new STSClient({
        ...STS_CLIENT_OPTIONS,
        maxAttempts: 1,
        requestHandler: { ...STS_CLIENT_OPTIONS.requestHandler, requestTimeout: 300 },
        region: 'us-east-1',
        endpoint: `http://127.0.0.1:${port}`,
        credentials: KEYS,
      });
      await expect(client.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'TimeoutError' });
    } finally {
      client?.destroy();
      for (const socket of connections) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
