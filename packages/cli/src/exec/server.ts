// The credential endpoint of `vault exec --server`: the ECS container-credentials protocol that every AWS SDK and
// the AWS CLI speak (AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN). Request handling is
// a function of the request and an injected credentials source; the listener around it only moves bytes.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AwsCredentials } from '../credentials/types.js';
import { isoSeconds } from './env.js';

/**
 * The profile's credentials are served at the server's root, the URL handed out having no path (aws-vault's
 * BaseURL), and at any other path outside ROLE_ARN_PATH, as aws-vault's `/` route answers: its Docker recipe (a
 * reverse proxy that puts the URL's path in front of a container's AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) reaches
 * both routes only so.
 */
export const CREDENTIALS_PATH = '/';
/**
 * aws-vault's second route: `/role-arn/ARN` serves that role, assumed with the profile's credentials (as `--assume
 * ARN` would), so one endpoint can give a container another role.
 */
export const ROLE_ARN_PATH = '/role-arn/';
/** A role ARN as IAM writes one: partition, 12-digit account, a role name with its path. */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

export interface EndpointRequest {
  method: string;
  /** Path and query as sent (`req.url`). */
  url: string;
  /** The Authorization header, which the SDKs fill with AWS_CONTAINER_AUTHORIZATION_TOKEN. */
  authorization: string | undefined;
  remoteAddress: string | undefined;
  /** The Host header: the name the client used to reach us. */
  host: string | undefined;
  /** Every header, lower-case names (the EC2 metadata protocol of exec/imds.ts reads its own). */
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface EndpointResponse {
  status: number;
  body: string;
}

export interface Endpoint {
  token: string;
  credentials: () => Promise<AwsCredentials>;
  /** The credentials of a role assumed with the profile's, for ROLE_ARN_PATH. */
  roleCredentials?: (roleArn: string) => Promise<AwsCredentials>;
}

/** Loopback peers only: 127.0.0.0/8, ::1, and IPv4 loopback written as IPv6. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/**
 * The names a client of ours uses: the URL we hand out says 127.0.0.1, and `localhost` is what people type. A web
 * page whose own domain was rebound to 127.0.0.1 (DNS rebinding) still sends its domain as Host, and is refused.
 */
export function isLocalHost(host: string | undefined): boolean {
  return host !== undefined && /^(127\.0\.0\.1|localhost)(:\d{1,5})?$/i.test(host);
}

/**
 * Compares digests rather than the strings so the comparison takes the same time whatever the length or the first
 * differing byte of what the caller sent.
 */
export function tokenMatches(given: string | undefined, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given ?? ''), digest(expected)) && given !== undefined;
}

/** The body of a successful answer, in the container-credentials format. */
export function containerCredentialsJson(creds: AwsCredentials): string {
  return JSON.stringify({
    AccessKeyId: creds.accessKeyId,
    SecretAccessKey: creds.secretAccessKey,
    Token: creds.sessionToken,
    Expiration: creds.expiration && isoSeconds(creds.expiration),
  });
}

function failure(status: number, code: string, message: string): EndpointResponse {
  return { status, body: JSON.stringify({ code, message }) };
}

/**
 * Answers one request. The peer, the Host and the token are checked before anything else, so a caller without the token
 * learns nothing, not even which paths exist. A failure to get credentials is answered with 500 and the error's
 * one-line message (never a secret), which the SDK in the child reports.
 */
export async function handleRequest(req: EndpointRequest, endpoint: Endpoint): Promise<EndpointResponse> {
  if (!isLoopback(req.remoteAddress)) return failure(403, 'Forbidden', 'only loopback clients are served');
  if (!isLocalHost(req.host)) return failure(403, 'Forbidden', 'only requests for Host 127.0.0.1 or localhost are served');
  if (!tokenMatches(req.authorization, endpoint.token)) {
    return failure(403, 'Forbidden', 'the Authorization header does not carry the token from AWS_CONTAINER_AUTHORIZATION_TOKEN');
  }
  if (req.method !== 'GET') return failure(405, 'MethodNotAllowed', 'use GET');
  // Read as a path is meant (`//role-arn/`, `/role-arn%2F...`, `/role-arn` alone): a client asking for a role must
  // never be answered with the profile's own credentials.
  const path = decodedPath(req.url.split('?')[0] ?? '')?.replace(/\/{2,}/g, '/');
  if (path === undefined) return failure(400, 'BadRequest', 'the path is not valid percent-encoding');
  if (path !== ROLE_ARN_PATH.slice(0, -1) && !path.startsWith(ROLE_ARN_PATH)) return served(endpoint.credentials);
  const { roleCredentials } = endpoint;
  if (!roleCredentials) return failure(404, 'NotFound', `this endpoint serves no ${ROLE_ARN_PATH} route`);
  const roleArn = path.slice(ROLE_ARN_PATH.length);
  if (!ROLE_ARN.test(roleArn)) {
    return failure(400, 'BadRequest', `${ROLE_ARN_PATH} takes a role ARN, such as ${ROLE_ARN_PATH}arn:aws:iam::123456789012:role/deploy`);
  }
  return served(() => roleCredentials(roleArn));
}

function decodedPath(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

async function served(fetch: () => Promise<AwsCredentials>): Promise<EndpointResponse> {
  try {
    return { status: 200, body: containerCredentialsJson(await fetch()) };
  } catch (err) {
    const e = err as { code?: unknown; message?: unknown };
    const code = typeof e.code === 'string' ? e.code : 'CredentialsUnavailable';
    const message = typeof e.message === 'string' && e.message ? e.message : 'credentials are unavailable';
    return failure(500, code, message);
  }
}

export interface RunningServer {
  /** The URL to give the child as AWS_CONTAINER_CREDENTIALS_FULL_URI. */
  url: string;
  port: number;
  /** Stops listening and drops open (keep-alive) connections. */
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 on a port the kernel picks, answering every request with `handle`. */
export async function startCredentialServer(handle: (req: EndpointRequest) => Promise<EndpointResponse>): Promise<RunningServer> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const request: EndpointRequest = {
      method: req.method ?? '',
      url: req.url ?? '/',
      authorization: req.headers.authorization,
      remoteAddress: req.socket.remoteAddress,
      host: req.headers.host,
      headers: req.headers,
    };
    void handle(request).then(
      (answer) => send(res, answer),
      () => send(res, failure(500, 'InternalError', 'the credential endpoint failed')),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    // The root, with its slash: the AWS SDK for Ruby requests the URL's path as it is, and an empty one fails there
    // (aws-vault #1229). A proxy joining a container's relative URI to it, and `$URL/role-arn/ARN`, still reach
    // both routes (handleRequest reads `//` as `/`).
    url: `http://127.0.0.1:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, answer: EndpointResponse): void {
  res.writeHead(answer.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(answer.body),
    // Credentials must not be kept by anything between the SDK and us.
    'cache-control': 'no-store',
  });
  res.end(answer.body);
}
