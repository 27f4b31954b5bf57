import { StsError, type StsErrorCode, type StsFailure, type StsOperation } from './errors.js';

// Pure mapping from whatever the SDK (or the socket under it) threw to a StsError with a stable code.

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'TimeoutError',
  'RequestTimeout',
]);

const INVALID_KEY_CODES = new Set([
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'UnrecognizedClient',
  'UnrecognizedClientException',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidAccessKeyId',
]);

const ACCESS_DENIED_CODES = new Set(['AccessDenied', 'AccessDeniedException']);

export interface CallContext {
  operation: StsOperation;
  endpoint: string;
  roleArn?: string;
  /** Values that must not survive into a message (the secret key, session token, MFA code of the call). */
  secrets: Array<string | undefined>;
}

/** The endpoint the SDK calls, for messages: the SDK's own environment overrides first, as it resolves them. */
export function stsEndpoint(region: string, env: NodeJS.ProcessEnv): string {
  const override = env.AWS_ENDPOINT_URL_STS || env.AWS_ENDPOINT_URL;
  if (override) return override;
  return `https://sts.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

export function toStsError(err: unknown, ctx: CallContext): StsError {
  const awsCode = errorCode(err);
  const failure: StsFailure = {
    operation: ctx.operation,
    awsCode,
    awsMessage: scrub(err instanceof Error ? err.message : String(err), ctx.secrets),
    endpoint: ctx.endpoint,
    ...(ctx.roleArn !== undefined && { roleArn: ctx.roleArn }),
  };
  const code = classify(awsCode, ctx.operation);
  return new StsError(code, baseMessage(code, failure), failure);
}

function classify(awsCode: string, operation: StsOperation): StsErrorCode {
  if (NETWORK_CODES.has(awsCode)) return 'STS_NETWORK';
  if (INVALID_KEY_CODES.has(awsCode)) return 'STS_INVALID_KEYS';
  if (ACCESS_DENIED_CODES.has(awsCode) && operation === 'AssumeRole') return 'STS_ACCESS_DENIED';
  return 'STS_ERROR';
}

// Messages without the chain's context; the walker rewords access-denied and invalid-keys errors once it knows
// whose credentials were refused.
function baseMessage(code: StsErrorCode, f: StsFailure): string {
  const call = `STS ${f.operation}${f.roleArn ? ` of ${f.roleArn}` : ''}`;
  switch (code) {
    case 'STS_NETWORK':
      return `cannot reach STS at ${f.endpoint} (${f.awsCode}) during ${f.operation}`;
    case 'STS_INVALID_KEYS':
      return `AWS rejected the credentials used for ${call} (${f.awsCode}: ${f.awsMessage})`;
    case 'STS_ACCESS_DENIED':
      return `AWS denied ${call}: ${f.awsMessage}`;
    case 'STS_ERROR':
      return `${call} failed: ${f.awsCode}: ${f.awsMessage}`;
  }
}

/** AWS service errors carry their code as `name`; socket errors as `code` (possibly inside an AggregateError). */
export function errorCode(err: unknown): string {
  if (typeof err !== 'object' || err === null) return 'Error';
  const e = err as { name?: unknown; code?: unknown; Code?: unknown; errors?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return e.code;
  if (Array.isArray(e.errors)) {
    const inner = e.errors.map(errorCode).find((c) => NETWORK_CODES.has(c));
    if (inner) return inner;
  }
  if (e.cause !== undefined && e.cause !== err) {
    const inner = errorCode(e.cause);
    if (NETWORK_CODES.has(inner)) return inner;
  }
  // The SDK re-wraps errors it does not recognise as Error instances, keeping only their text.
  const quoted = err instanceof Error ? /\b(E[A-Z]{4,})\b/.exec(err.message)?.[1] : undefined;
  if (quoted && NETWORK_CODES.has(quoted)) return quoted;
  if (typeof e.Code === 'string' && e.Code) return e.Code;
  if (typeof e.name === 'string' && e.name && e.name !== 'Error') return e.name;
  if (typeof e.code === 'string' && e.code) return e.code;
  return 'Error';
}

const MAX_MESSAGE = 300;

/** One line of at most MAX_MESSAGE characters, with every given secret masked. */
export function scrub(message: string, secrets: Array<string | undefined>): string {
  let out = message;
  for (const s of secrets) if (s) out = out.split(s).join('****');
  out = out.replace(/\s+/g, ' ').trim();
  return out.length > MAX_MESSAGE ? `${out.slice(0, MAX_MESSAGE)}…` : out || '(no message)';
}
