import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
  STSClient,
  STSServiceException,
} from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import type { CachedSession } from '@vault/core';
import type { Chain } from '@vault/profiles';
import { resolveCredentials } from './chain.js';
import { NO_OTHER_SOURCES } from './fake-sts.fixture.js';
import { suppressSdkVersionWarning } from '../aws/sdk-warning.js';
import { createStsApi } from './sts-client.js';
import type { Deps } from './types.js';

// Where vault's commands would send these calls (stsTarget); the mocked transport never reaches it.
const ENDPOINT = 'https://sts.us-east-1.amazonaws.com';
const BASE = { accessKeyId: 'AKIABASE000000000001', secretAccessKey: 'base-secret-abcdefghijklmnopqrstuvwxyz0123' };
const SESSION = {
  AccessKeyId: 'ASIASESSION000000001',
  SecretAccessKey: 'session-secret-abcdefghijklmnopqrstuvwx',
  SessionToken: 'session-token-abcdefghijklmnopqrstuvwxyz',
  Expiration: new Date(Date.now() + 3600_000),
};
const ADMIN = 'arn:aws:iam::123456789012:role/admin';
const MFA = 'arn:aws:iam::123456789012:mfa/alice';
const SECRETS = [BASE.secretAccessKey, SESSION.SecretAccessKey, SESSION.SessionToken, '135790'];

const sts = mockClient(STSClient);
const savedEnv = { ...process.env };
// Records warnings instead of printing them; installed before the first STS call so the SDK's own warning
// (emitted once per module instance, when the first client is built) reaches it.
const emitted: unknown[][] = [];
const originalEmitWarning = process.emitWarning;
process.emitWarning = ((...args: unknown[]) => void emitted.push(args)) as typeof process.emitWarning;

beforeEach(() => {
  sts.reset();
  delete process.env.AWS_ENDPOINT_URL;
  delete process.env.AWS_ENDPOINT_URL_STS;
});
afterAll(() => {
  process.emitWarning = originalEmitWarning;
  process.env = savedEnv;
  sts.restore();
});

function awsError(name: string, message: string, status = 403): Error {
  return new STSServiceException({ name, message, $fault: 'client', $metadata: { httpStatusCode: status } });
}

function deps(endpoint = ENDPOINT): Deps & { saved: string[] } {
  const saved: string[] = [];
  return {
    saved,
    sts: (creds, region) => createStsApi(creds, region, endpoint),
    store: {
      baseKeys: (p) => (p === 'read-only' ? BASE : undefined),
      session: () => undefined,
      longestSession: () => undefined,
      save: (key: string, _s: CachedSession) => void saved.push(key),
    },
    promptMfa: async () => '135790',
    runCredentialProcess: async () => {
      throw new Error('unused');
    },
    ...NO_OTHER_SOURCES,
    clock: () => new Date(1_700_000_000_000),
    log: () => undefined,
    progress: () => undefined,
  };
}

// The keys and the role name one device, so the chain starts with GetSessionToken (aws-vault's rule).
const admin: Chain = {
  profile: 'admin',
  base: { kind: 'vault-keys', profile: 'read-only', mfaSerial: MFA },
  hops: [{ profile: 'admin', roleArn: ADMIN, mfaSerial: MFA }],
  path: ['read-only', 'admin'],
};

async function failure(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}

function expectNoSecret(message: string): void {
  for (const s of SECRETS) expect(message).not.toContain(s);
  expect(message).not.toMatch(/\n/);
}

describe('createStsApi with the real STSClient (mocked transport)', () => {
  it('sends the parameters and maps the credentials', async () => {
    sts.on(GetSessionTokenCommand).resolves({ Credentials: SESSION });
    sts.on(AssumeRoleCommand).resolves({ Credentials: { ...SESSION, AccessKeyId: 'ASIAROLE' } });
    sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/alice', UserId: 'AIDA' });

    const d = deps();
    const creds = await resolveCredentials(admin, { noSession: false, assume: [] }, d);
    expect(creds).toEqual({
      accessKeyId: 'ASIAROLE',
      secretAccessKey: SESSION.SecretAccessKey,
      sessionToken: SESSION.SessionToken,
      expiration: SESSION.Expiration,
    });
    expect(sts.commandCalls(GetSessionTokenCommand)[0]?.args[0].input).toEqual({
      DurationSeconds: 28800,
      SerialNumber: MFA,
      TokenCode: '135790',
    });
    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input).toEqual({
      RoleArn: ADMIN,
      RoleSessionName: '1700000000000000000',
      DurationSeconds: 3600,
    });
    expect(d.saved).toHaveLength(2);
    const identity = await createStsApi(BASE, 'eu-west-1', ENDPOINT).getCallerIdentity();
    expect(identity).toEqual({ account: '123456789012', arn: 'arn:aws:iam::123456789012:user/alice', userId: 'AIDA' });
  });

  it('AccessDenied on AssumeRole -> STS_ACCESS_DENIED naming role, caller and both policies', async () => {
    sts.on(GetSessionTokenCommand).resolves({ Credentials: SESSION });
    sts
      .on(AssumeRoleCommand)
      .rejects(
        awsError(
          'AccessDenied',
          `User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:AssumeRole on resource: ${ADMIN}`,
        ),
      );
    const err = await failure(resolveCredentials(admin, { noSession: false, assume: [] }, deps()));
    expect(err.code).toBe('STS_ACCESS_DENIED');
    expect(err.message).toBe(
      `AWS denied AssumeRole on ${ADMIN} for arn:aws:iam::123456789012:user/alice: the caller's identity policy must ` +
        `allow sts:AssumeRole on ${ADMIN}, and the role's trust policy must name arn:aws:iam::123456789012:user/alice ` +
        `(or its account) with its conditions met (MFA must be allowed (a code from ${MFA} was used))`,
    );
    expectNoSecret(err.message);
  });

  it.each(['InvalidClientTokenId', 'SignatureDoesNotMatch', 'UnrecognizedClientException', 'ExpiredToken'])(
    '%s -> STS_INVALID_KEYS naming the profile and the fix',
    async (name) => {
      sts.on(GetSessionTokenCommand).rejects(awsError(name, `The request signature ${BASE.secretAccessKey} is wrong`));
      const err = await failure(resolveCredentials(admin, { noSession: false, assume: [] }, deps()));
      expect(err.code).toBe('STS_INVALID_KEYS');
      expect(err.message).toBe(
        `AWS rejected the stored keys for profile read-only (${name}): they are wrong or revoked; ` +
          'store working keys with `vault add read-only --force` (a new key from the IAM console)',
      );
      expectNoSecret(err.message);
    },
  );

  it('ECONNREFUSED -> STS_NETWORK naming the endpoint the call went to', async () => {
    sts.on(GetSessionTokenCommand).rejects(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }));
    const err = await failure(resolveCredentials(admin, { noSession: false, assume: [] }, deps('http://127.0.0.1:9')));
    expect(err.code).toBe('STS_NETWORK');
    expect(err.message).toBe('cannot reach STS at http://127.0.0.1:9 (ECONNREFUSED) during GetSessionToken');
  });

  it.each(['http://proxy.local:4566', 'https://sts-fips.us-east-1.amazonaws.com', 'https://sts.cn-north-1.amazonaws.com.cn'])(
    'ENOTFOUND at %s names that endpoint',
    async (url) => {
      sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }));
      const err = await failure(createStsApi(BASE, undefined, url).getCallerIdentity());
      expect(err.message).toBe(`cannot reach STS at ${url} (ENOTFOUND) during GetCallerIdentity`);
    },
  );

  it('a socket timeout is a network error', async () => {
    sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));
    expect((await failure(createStsApi(BASE, undefined, ENDPOINT).getCallerIdentity())).code).toBe('STS_NETWORK');
  });

  it('any other error -> STS_ERROR with the AWS code and message, secrets scrubbed', async () => {
    sts.on(GetSessionTokenCommand).resolves({ Credentials: SESSION });
    sts
      .on(AssumeRoleCommand)
      .rejects(awsError('ValidationError', `The requested DurationSeconds exceeds the MaxSessionDuration\n(${SESSION.SessionToken})`, 400));
    const err = await failure(resolveCredentials(admin, { noSession: false, assume: [] }, deps()));
    expect(err.code).toBe('STS_ERROR');
    expect(err.message).toBe(
      `STS AssumeRole of ${ADMIN} failed: ValidationError: The requested DurationSeconds exceeds the MaxSessionDuration (****)`,
    );
    expectNoSecret(err.message);
  });

  it('AccessDenied on GetSessionToken (e.g. a wrong MFA code) is an STS_ERROR with AWS message', async () => {
    sts.on(GetSessionTokenCommand).rejects(awsError('AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code.'));
    const err = await failure(resolveCredentials(admin, { noSession: false, assume: [] }, deps()));
    expect(err.code).toBe('STS_ERROR');
    expect(err.message).toBe(
      'STS GetSessionToken failed: AccessDenied: MultiFactorAuthentication failed with invalid MFA one time pass code.',
    );
  });

  it('AccessDenied on GetSessionToken by a policy says --no-session uses the keys themselves', async () => {
    const denied = 'User: arn:aws:iam::123456789012:user/bob is not authorized to perform: sts:GetSessionToken';
    sts.on(GetSessionTokenCommand).rejects(awsError('AccessDenied', denied));
    const err = await failure(createStsApi(BASE, undefined, ENDPOINT).getSessionToken({ durationSeconds: 900 }));
    expect(err.message).toBe(`STS GetSessionToken failed: AccessDenied: ${denied}; a policy denies the keys a session: --no-session uses the keys themselves`);
  });

  it('an answer the SDK cannot read (a proxy, another service) names the endpoint, not SDK internals', async () => {
    const unreadable = Object.assign(new Error('Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.'), { name: 'Error' });
    sts.on(GetSessionTokenCommand).rejects(unreadable);
    const err = await failure(createStsApi(BASE, undefined, 'http://127.0.0.1:9/').getSessionToken({ durationSeconds: 900 }));
    expect(err.code).toBe('STS_ERROR');
    expect(err.message).toBe('STS GetSessionToken failed: http://127.0.0.1:9/ did not answer as STS does (its response could not be read); check AWS_ENDPOINT_URL_STS, endpoint_url and any proxy in the way');
  });

  it('an error answer without an STS error in it (a gateway\'s page: the SDK says "Unknown") names the endpoint and the status', async () => {
    sts.on(AssumeRoleCommand).rejects(Object.assign(new Error('Unknown'), { name: 'Unknown', $fault: 'server', $metadata: { httpStatusCode: 502 } }));
    const err = await failure(createStsApi(BASE, undefined, 'http://proxy.local:8080').assumeRole({ roleArn: ADMIN, roleSessionName: 's', durationSeconds: 900 }));
    expect(err.code).toBe('STS_ERROR');
    expect(err.message).toBe(
      `STS AssumeRole of ${ADMIN} failed: http://proxy.local:8080 did not answer as STS does (HTTP 502, no AWS error in it); check AWS_ENDPOINT_URL_STS, endpoint_url and any proxy in the way`,
    );
  });

  it('a 404 page (the SDK says "NotFound: Unknown", the commonest mistake in an endpoint_url path) names the endpoint too', async () => {
    sts.on(GetSessionTokenCommand).rejects(Object.assign(new Error('Unknown'), { name: 'NotFound', $fault: 'client', $metadata: { httpStatusCode: 404 } }));
    const err = await failure(createStsApi(BASE, undefined, 'http://proxy.local:8080/wrong').getSessionToken({ durationSeconds: 900 }));
    expect(err.message).toBe(
      'STS GetSessionToken failed: http://proxy.local:8080/wrong did not answer as STS does (HTTP 404, no AWS error in it); check AWS_ENDPOINT_URL_STS, endpoint_url and any proxy in the way',
    );
  });

  it.each([
    ['Throttling', 'Rate exceeded', /: Throttling: Rate exceeded; AWS is limiting the rate of STS calls from this account: wait a moment and run it again$/],
    ['RegionDisabledException', 'STS is not activated in this region for account:123456789012.', /; STS is not active in this region for the account: activate it .*, or use another region/],
  ])('%s says what to do', async (name, message, expected) => {
    sts.on(GetSessionTokenCommand).rejects(awsError(name, message, 400));
    expect((await failure(createStsApi(BASE, undefined, ENDPOINT).getSessionToken({ durationSeconds: 900 }))).message).toMatch(expected);
  });

  it('a response without credentials is an STS_ERROR', async () => {
    sts.on(GetSessionTokenCommand).resolves({});
    const err = await failure(createStsApi(BASE, undefined, ENDPOINT).getSessionToken({ durationSeconds: 900 }));
    expect(err.code).toBe('STS_ERROR');
    expect(err.message).toBe('STS GetSessionToken returned no credentials');
  });
});

describe('createStsApi with the real transport', () => {
  it('fails fast with STS_NETWORK when nothing listens at the endpoint', async () => {
    sts.restore();
    try {
      const port = await closedPort();
      const started = Date.now();
      const err = await failure(createStsApi(BASE, 'us-east-1', `http://127.0.0.1:${port}`).getCallerIdentity());
      expect(err.code).toBe('STS_NETWORK');
      expect(err.message).toBe(`cannot reach STS at http://127.0.0.1:${port} (ECONNREFUSED) during GetCallerIdentity`);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      mockClient(STSClient);
    }
  });
});

describe('createStsApi and the SDK settings of the profile', () => {
  it("an endpoint vault chose wins over the SDK's own profile's use_fips_endpoint / use_dualstack_endpoint (the SDK refused the pair)", async () => {
    sts.restore();
    const dir = await mkdtemp(join(tmpdir(), 'vault-sts-fips-'));
    const saved = process.env.AWS_CONFIG_FILE;
    try {
      process.env.AWS_CONFIG_FILE = join(dir, 'config');
      await writeFile(process.env.AWS_CONFIG_FILE, '[default]\nuse_fips_endpoint = true\nuse_dualstack_endpoint = true\n');
      const port = await closedPort();
      const err = await failure(createStsApi(BASE, 'us-east-1', `http://127.0.0.1:${port}`).getCallerIdentity());
      expect({ code: err.code, message: err.message }).toEqual({ code: 'STS_NETWORK', message: expect.stringContaining('ECONNREFUSED') });
    } finally {
      if (saved === undefined) delete process.env.AWS_CONFIG_FILE;
      else process.env.AWS_CONFIG_FILE = saved;
      await rm(dir, { recursive: true, force: true });
      mockClient(STSClient);
    }
  });
});

describe('suppressSdkVersionWarning', () => {
  it("drops only the SDK's Node version warning", () => {
    const seen: unknown[][] = [];
    const target = { emitWarning: (...args: unknown[]) => void seen.push(args) } as unknown as Pick<NodeJS.Process, 'emitWarning'>;
    suppressSdkVersionWarning(target);
    suppressSdkVersionWarning(target); // idempotent: still one wrapper
    target.emitWarning('NodeVersionSupportWarning: The AWS SDK for JavaScript (v3)\nversions published after…');
    target.emitWarning('the SDK is old', 'NodeVersionSupportWarning');
    target.emitWarning('x', { type: 'NodeVersionSupportWarning' });
    target.emitWarning('something else', 'DeprecationWarning');
    target.emitWarning(new Error('an error warning'));
    expect(seen).toEqual([['something else', 'DeprecationWarning'], [new Error('an error warning')]]);
  });

  it('is installed on process before the SDK runs: the real SDK warning never gets through', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '1', Arn: 'arn:aws:iam::1:user/a', UserId: 'A' });
    await createStsApi(BASE, undefined, ENDPOINT).getCallerIdentity();
    process.emitWarning('NodeVersionSupportWarning: test');
    process.emitWarning('vault-test-other-warning', 'VaultTestWarning');
    expect(emitted.map((args) => String(args[0]))).toEqual(['vault-test-other-warning']);
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('createStsApi: GetFederationToken', () => {
  it('sends the name, duration and policy, and answers the session', async () => {
    const expiration = new Date('2026-11-23T12:00:00Z');
    sts.on(GetFederationTokenCommand).resolves({
      Credentials: { AccessKeyId: 'ASIAFED', SecretAccessKey: 'fed-secret', SessionToken: 'fed-token', Expiration: expiration },
    });
    const creds = await createStsApi(BASE, 'eu-west-1', ENDPOINT).getFederationToken({ name: 'alice', durationSeconds: 7200, policy: '{}' });
    expect(creds).toEqual({ accessKeyId: 'ASIAFED', secretAccessKey: 'fed-secret', sessionToken: 'fed-token', expiration });
    expect(sts.commandCalls(GetFederationTokenCommand)[0]!.args[0].input).toEqual({ Name: 'alice', DurationSeconds: 7200, Policy: '{}' });
  });

  it('turns a refusal into an STS error without the secret', async () => {
    sts.on(GetFederationTokenCommand).rejects(
      new STSServiceException({
        name: 'AccessDenied',
        message: `User is not authorized to perform: sts:GetFederationToken (${BASE.secretAccessKey})`,
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const err = (await createStsApi(BASE, undefined, ENDPOINT)
      .getFederationToken({ name: 'alice', durationSeconds: 3600, policy: '{}' })
      .catch((e: unknown) => e)) as Error & { code: string };
    expect(err.code).toBe('STS_ERROR');
    expect(err.message).toMatch(/^STS GetFederationToken failed: AccessDenied: /);
    expect(err.message).not.toContain(BASE.secretAccessKey);
  });
});
