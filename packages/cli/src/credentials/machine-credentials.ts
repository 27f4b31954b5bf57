// credential_source: the credentials the machine itself provides, as the AWS SDKs read them. The environment's
// variables; EC2 instance metadata (IMDSv2: a session token first, then the instance role's credentials); the ECS
// container endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI, with its authorization token).
import type { CredentialSourceName } from '@vault/profiles';
import { CredentialSourceError, InvalidEnvironmentError } from './errors.js';
import { shownUrl } from './sts-endpoint.js';
import type { AwsCredentials } from './types.js';

type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export interface MachineDeps {
  env: NodeJS.ProcessEnv;
  fetch: Fetch;
  readFile: (path: string) => Promise<string>;
}

const IMDS = 'http://169.254.169.254';
const ECS = 'http://169.254.170.2';
const TIMEOUT_MS = 2_000;

export async function machineCredentials(source: CredentialSourceName, deps: MachineDeps): Promise<AwsCredentials> {
  switch (source) {
    case 'Environment':
      return fromEnvironment(deps.env);
    case 'Ec2InstanceMetadata':
      return fromInstanceMetadata(deps);
    case 'EcsContainer':
      return fromContainer(deps);
  }
}

function fromEnvironment(env: NodeJS.ProcessEnv): AwsCredentials {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new CredentialSourceError('Environment', 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set');
  }
  return { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN && { sessionToken: env.AWS_SESSION_TOKEN }) };
}

async function fromInstanceMetadata(deps: MachineDeps): Promise<AwsCredentials> {
  // The SDKs' switch for machines where probing 169.254.169.254 would hang or reach the wrong thing.
  if (deps.env.AWS_EC2_METADATA_DISABLED?.toLowerCase() === 'true') {
    throw new CredentialSourceError('Ec2InstanceMetadata', 'the instance metadata service is disabled (AWS_EC2_METADATA_DISABLED=true)');
  }
  const endpoint = deps.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
  if (endpoint) checkedUrl('AWS_EC2_METADATA_SERVICE_ENDPOINT', endpoint);
  const base = (endpoint || IMDS).replace(/\/+$/, '');
  const source = 'Ec2InstanceMetadata';
  const token = await text(deps, source, `${base}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '21600' } });
  const headers = { 'x-aws-ec2-metadata-token': token };
  const role = (await text(deps, source, `${base}/latest/meta-data/iam/security-credentials/`, { headers })).split('\n')[0]?.trim();
  if (!role) throw new CredentialSourceError(source, 'the instance has no IAM role (instance profile)');
  return parse(source, await text(deps, source, `${base}/latest/meta-data/iam/security-credentials/${encodeURIComponent(role)}`, { headers }));
}

async function fromContainer(deps: MachineDeps): Promise<AwsCredentials> {
  const { env } = deps;
  const source = 'EcsContainer';
  const relative = env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI;
  const full = env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
  const url = relative ? relativeUrl(relative) : full && containerUrl(full);
  if (!url) {
    throw new CredentialSourceError(source, 'neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set');
  }
  let authorization = env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
  const tokenFile = env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE;
  if (tokenFile) {
    try {
      authorization = (await deps.readFile(tokenFile)).trim();
    } catch (err) {
      throw new InvalidEnvironmentError('AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', tokenFile, `the file cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  // As botocore checks it: a line break would make the request fail with the token in fetch's message.
  if (authorization !== undefined && /[\r\n]/.test(authorization)) {
    throw new CredentialSourceError(source, `the authorization token (${tokenFile ? 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE' : 'AWS_CONTAINER_AUTHORIZATION_TOKEN'}) has a line break in it`);
  }
  return parse(source, await text(deps, source, url, { headers: authorization ? { authorization } : {} }));
}

/** An http(s) URL from a variable, or an error naming the variable. */
function checkedUrl(variable: string, value: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    // Reported below.
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') throw new InvalidEnvironmentError(variable, shownUrl(value), 'expected an http:// or https:// URL');
  return url;
}

/** The hosts the AWS SDKs let the container token travel to over plain http. */
const CONTAINER_HOSTS = new Set(['localhost', '169.254.170.2', '169.254.170.23', '[fd00:ec2::23]', '[::1]']);

/** AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, a path on the ECS endpoint: one that would move the request elsewhere is refused. */
function relativeUrl(relative: string): string {
  const url = `${ECS}${relative}`;
  let host: string | undefined;
  try {
    host = new URL(url).host;
  } catch {
    // Reported below.
  }
  if (host !== new URL(ECS).host) {
    throw new InvalidEnvironmentError('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', shownUrl(relative), 'expected a path such as /v2/credentials/ID');
  }
  return url;
}

/**
 * AWS_CONTAINER_CREDENTIALS_FULL_URI as the AWS SDKs accept it: https to anywhere, plain http only to the loopback or
 * the container endpoints, so the authorization token is never sent in the clear to another machine.
 */
function containerUrl(value: string): string {
  const url = checkedUrl('AWS_CONTAINER_CREDENTIALS_FULL_URI', value);
  if (url.protocol === 'http:' && !CONTAINER_HOSTS.has(url.hostname) && !/^127\.\d+\.\d+\.\d+$/.test(url.hostname)) {
    throw new InvalidEnvironmentError(
      'AWS_CONTAINER_CREDENTIALS_FULL_URI',
      shownUrl(value),
      'a plain http:// endpoint must be a loopback address, 169.254.170.2, 169.254.170.23 or fd00:ec2::23, as for the AWS SDKs; use https:// for another host',
    );
  }
  return value;
}

async function text(deps: MachineDeps, source: CredentialSourceName, url: string, init: RequestInit): Promise<string> {
  let response: Response;
  try {
    response = await deps.fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    // The cause's code, not fetch's message, which can quote a header value (the authorization token).
    const cause = (err as { cause?: { code?: unknown } }).cause?.code;
    const why = typeof cause === 'string' ? cause : (err as Error).name;
    throw new CredentialSourceError(source, `${new URL(url).host} did not answer (${why}); is vault running on ${source === 'EcsContainer' ? 'ECS' : 'EC2'}?`);
  }
  if (!response.ok) throw new CredentialSourceError(source, `${new URL(url).host} answered HTTP ${response.status}`);
  return response.text();
}

function parse(source: CredentialSourceName, body: string): AwsCredentials {
  let c: Record<string, unknown>;
  try {
    c = JSON.parse(body) as Record<string, unknown>;
  } catch {
    throw new CredentialSourceError(source, 'the credentials endpoint did not answer with JSON');
  }
  const { AccessKeyId, SecretAccessKey, Token, Expiration } = c;
  if (typeof AccessKeyId !== 'string' || typeof SecretAccessKey !== 'string') {
    throw new CredentialSourceError(source, 'the credentials endpoint gave no AccessKeyId and SecretAccessKey');
  }
  return {
    accessKeyId: AccessKeyId,
    secretAccessKey: SecretAccessKey,
    ...(typeof Token === 'string' && { sessionToken: Token }),
    ...(typeof Expiration === 'string' && { expiration: new Date(Expiration) }),
  };
}
