// What every AWS SDK call's failure has in common, for STS (credentials/sts-errors.ts) and IAM (rotate/iam-client.ts):
// the code to classify it by, and a message that is one line and holds no secret.

/** Codes that mean no answer came back: the network, not AWS, failed. */
export const NETWORK_CODES = new Set([
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

/**
 * Network failures before the request was sent (no connection was made): the call certainly did not take effect, as
 * it may have after a timeout or a reset.
 */
export const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

const UNREADABLE = /Deserialization error|XML parse error|Unexpected token|is not valid JSON|char '.' is not expected/i;

/**
 * An answer the SDK found no AWS error in (a proxy's or gateway's page, a captive portal, another service at the
 * address): the SDK says "Unknown: Unknown" or names its parser and its hidden fields, neither of which helps. Gives
 * the answer's HTTP status, if any, for a message that names the endpoint instead.
 */
export function unreadableAnswer(err: unknown): { status?: number } | undefined {
  const e = err as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number } } | null;
  if (typeof e !== 'object' || e === null) return undefined;
  const message = typeof e.message === 'string' ? e.message : '';
  // "Unknown" is the SDK's message when it found no error in the body (its name is then "Unknown", or the status's
  // own, such as "NotFound" for a 404 page).
  if (message !== 'Unknown' && !UNREADABLE.test(message)) return undefined;
  const status = e.$metadata?.httpStatusCode;
  return status === undefined ? {} : { status };
}

/** How an unreadable answer is described: its status, and that it held no AWS error. */
export function describeUnreadable(answer: { status?: number }): string {
  return answer.status === undefined ? 'its response could not be read' : `HTTP ${answer.status}, no AWS error in it`;
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
