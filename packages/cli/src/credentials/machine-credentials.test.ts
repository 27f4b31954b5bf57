import { machineCredentials, type MachineDeps } from './machine-credentials.js';

const BODY = JSON.stringify({ AccessKeyId: 'ASIAM', SecretAccessKey: 's', Token: 't', Expiration: '2026-11-30T01:00:00Z' });

function fake(env: NodeJS.ProcessEnv, answer: (url: string, init: RequestInit) => Response) {
  const requests: Array<{ url: string; init: RequestInit }> = [];
  const deps: MachineDeps = {
    env,
    fetch: async (url, init) => {
      requests.push({ url, init });
      return answer(url, init);
    },
    readFile: async () => 'file-token\n',
  };
  return { deps, requests };
}

describe('machineCredentials', () => {
  it('Environment: the key variables, and a clear error without them', async () => {
    const { deps } = fake({ AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 'x', AWS_SESSION_TOKEN: 'y' }, () => new Response(''));
    await expect(machineCredentials('Environment', deps)).resolves.toEqual({ accessKeyId: 'AKIA', secretAccessKey: 'x', sessionToken: 'y' });
    await expect(machineCredentials('Environment', fake({}, () => new Response('')).deps)).rejects.toMatchObject({ code: 'CREDENTIAL_SOURCE_FAILED' });
  });

  it('Ec2InstanceMetadata: IMDSv2 token, role name, then the role credentials with the token', async () => {
    const { deps, requests } = fake({}, (url) => new Response(url.endsWith('/api/token') ? 'imds-token' : url.endsWith('/security-credentials/') ? 'web-role\n' : BODY));
    await expect(machineCredentials('Ec2InstanceMetadata', deps)).resolves.toMatchObject({ accessKeyId: 'ASIAM', sessionToken: 't' });
    expect(requests.map((r) => [r.init.method ?? 'GET', r.url])).toEqual([
      ['PUT', 'http://169.254.169.254/latest/api/token'],
      ['GET', 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'],
      ['GET', 'http://169.254.169.254/latest/meta-data/iam/security-credentials/web-role'],
    ]);
    expect(requests[2]?.init.headers).toEqual({ 'x-aws-ec2-metadata-token': 'imds-token' });
    const disabled = fake({ AWS_EC2_METADATA_DISABLED: 'true' }, () => new Response(BODY));
    await expect(machineCredentials('Ec2InstanceMetadata', disabled.deps)).rejects.toMatchObject({ code: 'CREDENTIAL_SOURCE_FAILED' });
    expect(disabled.requests).toEqual([]);
  });

  it('EcsContainer: the relative URI on 169.254.170.2, or the full URI with the authorization token file', async () => {
    const relative = fake({ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/creds' }, () => new Response(BODY));
    await machineCredentials('EcsContainer', relative.deps);
    expect(relative.requests[0]?.url).toBe('http://169.254.170.2/v2/creds');
    const full = fake({ AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:9/creds', AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/t' }, () => new Response(BODY));
    await machineCredentials('EcsContainer', full.deps);
    expect(full.requests[0]).toMatchObject({ url: 'http://127.0.0.1:9/creds', init: { headers: { authorization: 'file-token' } } });
    const refused = fake({ AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:9/creds' }, () => new Response('no', { status: 403 }));
    await expect(machineCredentials('EcsContainer', refused.deps)).rejects.toMatchObject({ message: 'credential_source = EcsContainer: 127.0.0.1:9 answered HTTP 403' });
  });

  it('sends the container token over plain http only to the hosts the AWS SDKs allow; https anywhere', async () => {
    const token = { AWS_CONTAINER_AUTHORIZATION_TOKEN: 'SECRET-TOKEN' };
    for (const uri of ['http://192.0.2.2:5114/creds', 'http://169.254.170.2.example.com/creds', 'http://localhost.example/']) {
      const elsewhere = fake({ ...token, AWS_CONTAINER_CREDENTIALS_FULL_URI: uri }, () => new Response(BODY));
      const err = await machineCredentials('EcsContainer', elsewhere.deps).catch((e: unknown) => e as Error & { code?: string });
      expect(err).toMatchObject({ code: 'INVALID_ENVIRONMENT', message: expect.stringMatching(/^AWS_CONTAINER_CREDENTIALS_FULL_URI=.* use https:\/\//) });
      expect(elsewhere.requests).toEqual([]);
    }
    for (const uri of ['http://localhost:9/c', 'http://127.0.0.2/c', 'http://[::1]:9/c', 'http://169.254.170.23/v1/credentials', 'http://[fd00:ec2::23]/c', 'https://creds.example.com/c']) {
      const allowed = fake({ ...token, AWS_CONTAINER_CREDENTIALS_FULL_URI: uri }, () => new Response(BODY));
      await machineCredentials('EcsContainer', allowed.deps);
      expect(allowed.requests).toHaveLength(1);
    }
  });

  it('keeps a relative URI on the ECS endpoint, and never shows a token with a line break', async () => {
    for (const relative of ['.evil.example/x', '@evil.example/x']) {
      const moved = fake({ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: relative, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'SECRET-TOKEN' }, () => new Response(BODY));
      await expect(machineCredentials('EcsContainer', moved.deps)).rejects.toMatchObject({ code: 'INVALID_ENVIRONMENT', message: expect.stringMatching(/^AWS_CONTAINER_CREDENTIALS_RELATIVE_URI=/) });
      expect(moved.requests).toEqual([]);
    }
    const broken = fake({ AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:9/c', AWS_CONTAINER_AUTHORIZATION_TOKEN: 'SECRET\nTOKEN' }, () => new Response(BODY));
    const err = await machineCredentials('EcsContainer', broken.deps).catch((e: unknown) => e as Error);
    expect(err.message).toBe('credential_source = EcsContainer: the authorization token (AWS_CONTAINER_AUTHORIZATION_TOKEN) has a line break in it');
    expect(broken.requests).toEqual([]);
    // A failed request is described by its cause's code, never by fetch's message.
    const down = fake({ AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:9/c', AWS_CONTAINER_AUTHORIZATION_TOKEN: 'SECRET-TOKEN' }, () => {
      throw Object.assign(new TypeError('fetch failed: header "SECRET-TOKEN"'), { cause: { code: 'ECONNREFUSED' } });
    });
    const refused = await machineCredentials('EcsContainer', down.deps).catch((e: unknown) => e as Error);
    expect(refused.message).toBe('credential_source = EcsContainer: 127.0.0.1:9 did not answer (ECONNREFUSED); is vault running on ECS?');
  });

  it('names the variable of a malformed endpoint or an unreadable token file', async () => {
    const cases: Array<[NodeJS.ProcessEnv, 'EcsContainer' | 'Ec2InstanceMetadata', RegExp]> = [
      [{ AWS_CONTAINER_CREDENTIALS_FULL_URI: 'not a url' }, 'EcsContainer', /^AWS_CONTAINER_CREDENTIALS_FULL_URI="not a url" is not valid: expected an http/],
      [{ AWS_CONTAINER_CREDENTIALS_FULL_URI: 'file:///etc/passwd' }, 'EcsContainer', /^AWS_CONTAINER_CREDENTIALS_FULL_URI=/],
      [{ AWS_EC2_METADATA_SERVICE_ENDPOINT: 'bogus' }, 'Ec2InstanceMetadata', /^AWS_EC2_METADATA_SERVICE_ENDPOINT="bogus" is not valid/],
    ];
    for (const [env, source, message] of cases) {
      await expect(machineCredentials(source, fake(env, () => new Response(BODY)).deps)).rejects.toMatchObject({ code: 'INVALID_ENVIRONMENT', message: expect.stringMatching(message) });
    }
    const noFile = fake({ AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:9/c', AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/nonexistent' }, () => new Response(BODY));
    noFile.deps.readFile = async () => {
      throw Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
    };
    await expect(machineCredentials('EcsContainer', noFile.deps)).rejects.toMatchObject({
      message: 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE="/nonexistent" is not valid: the file cannot be read (ENOENT)',
    });
  });
});
