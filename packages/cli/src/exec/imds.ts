// The endpoint of `vault exec --ec2-server`: the EC2 instance-metadata protocol (IMDS), which every AWS SDK and the
// AWS CLI fall back to when no other credentials are found, served on a loopback port that the child is pointed at
// with AWS_EC2_METADATA_SERVICE_ENDPOINT (so no root and no 169.254.169.254 alias, unlike aws-vault's). Only
// IMDSv2 is served: a session token from PUT /latest/api/token must come with every GET, which a GET forged through
// a proxy or a browser cannot carry.
import { randomBytes } from 'node:crypto';
import type { AwsCredentials } from '../credentials/types.js';
import { isoSeconds } from './env.js';
import { isLocalHost, isLoopback, type EndpointResponse } from './server.js';

export const TOKEN_PATH = '/latest/api/token';
export const CREDENTIALS_PREFIX = '/latest/meta-data/iam/security-credentials/';
/** The name of the one "instance role" listed, whose credentials are the profile's. */
export const ROLE_NAME = 'vault';
/** What the instance-id path answers: no instance, this program. */
export const INSTANCE_ID = 'vault';
export const TTL_HEADER = 'x-aws-ec2-metadata-token-ttl-seconds';
export const TOKEN_HEADER = 'x-aws-ec2-metadata-token';
/** EC2's own bounds for a session token's lifetime. */
const MAX_TTL_SECONDS = 21_600;
/** Tokens kept at once; the oldest goes first, so a client asking in a loop cannot grow memory without bound. */
const MAX_TOKENS = 1_000;

export interface ImdsRequest {
  method: string;
  url: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  remoteAddress: string | undefined;
}

export interface ImdsEndpoint {
  credentials: () => Promise<AwsCredentials>;
  /** The region the SDKs read from the instance identity document, when one is known. */
  region: string | undefined;
  tokens: SessionTokens;
  clock: () => Date;
}

/** IMDSv2 session tokens: random, each valid for the lifetime its PUT asked for. */
export class SessionTokens {
  private readonly expiry = new Map<string, number>();

  constructor(private readonly clock: () => Date) {}

  issue(ttlSeconds: number): string {
    const token = randomBytes(32).toString('base64url');
    if (this.expiry.size >= MAX_TOKENS) this.expiry.delete(this.expiry.keys().next().value as string);
    this.expiry.set(token, this.clock().getTime() + ttlSeconds * 1000);
    return token;
  }

  valid(token: string | undefined): boolean {
    const until = token === undefined ? undefined : this.expiry.get(token);
    if (until === undefined) return false;
    if (until > this.clock().getTime()) return true;
    this.expiry.delete(token as string);
    return false;
  }
}

function header(req: ImdsRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function text(status: number, body: string): EndpointResponse {
  return { status, body };
}

/** The body EC2 answers for an instance role's credentials. */
export function instanceCredentialsJson(creds: AwsCredentials, now: Date): string {
  return JSON.stringify({
    Code: 'Success',
    LastUpdated: isoSeconds(now),
    Type: 'AWS-HMAC',
    AccessKeyId: creds.accessKeyId,
    SecretAccessKey: creds.secretAccessKey,
    Token: creds.sessionToken,
    Expiration: creds.expiration && isoSeconds(creds.expiration),
  });
}

/** Answers one request as EC2's metadata service would for an instance whose role is ROLE_NAME. */
export async function handleImdsRequest(req: ImdsRequest, endpoint: ImdsEndpoint): Promise<EndpointResponse> {
  if (!isLoopback(req.remoteAddress)) return text(403, 'Forbidden');
  // A web page whose domain was rebound to 127.0.0.1 is same-origin with this port, so it could PUT for a token and
  // then read the credentials; it still names its own domain as Host.
  if (!isLocalHost(header(req, 'host'))) return text(403, 'Forbidden');
  const path = req.url.split('?')[0] ?? '';
  if (path === TOKEN_PATH) {
    if (req.method !== 'PUT') return text(405, 'Method Not Allowed');
    // EC2 refuses a token to anything relayed by a proxy, which adds this header.
    if (header(req, 'x-forwarded-for') !== undefined) return text(403, 'Forbidden');
    const ttl = Number(header(req, TTL_HEADER));
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) return text(400, 'Bad Request');
    return text(200, endpoint.tokens.issue(ttl));
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'Method Not Allowed');
  if (!endpoint.tokens.valid(header(req, TOKEN_HEADER))) return text(401, 'Unauthorized');
  switch (path.replace(/\/+$/, '')) {
    case CREDENTIALS_PREFIX.slice(0, -1):
      return text(200, ROLE_NAME);
    case `${CREDENTIALS_PREFIX}${ROLE_NAME}`:
      try {
        return text(200, instanceCredentialsJson(await endpoint.credentials(), endpoint.clock()));
      } catch (err) {
        const message = err instanceof Error && err.message ? err.message : 'credentials are unavailable';
        return text(500, JSON.stringify({ Code: 'CredentialsUnavailable', Message: message }));
      }
    // The AWS SDK for Go (v1) asks for it to decide that instance metadata is there at all (aws-vault's answer).
    case '/latest/meta-data/instance-id':
      return text(200, INSTANCE_ID);
    case '/latest/meta-data/iam/info':
      return text(200, JSON.stringify({ Code: 'Success', LastUpdated: isoSeconds(endpoint.clock()) }));
    case '/latest/dynamic/instance-identity/document':
      return endpoint.region ? text(200, JSON.stringify({ region: endpoint.region })) : text(404, 'Not Found');
    case '/latest/meta-data/placement/region':
      return endpoint.region ? text(200, endpoint.region) : text(404, 'Not Found');
    default:
      return text(404, 'Not Found');
  }
}
