import { describeUnreadable, errorCode, NETWORK_CODES, scrub, unreadableAnswer } from '../aws/errors.js';
import { StsError, type StsErrorCode, type StsFailure, type StsOperation } from './errors.js';

// Pure mapping from whatever the SDK (or the socket under it) threw to a StsError with a stable code.

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

export function toStsError(err: unknown, ctx: CallContext): StsError {
  const awsCode = errorCode(err);
  // An answer without an STS error in it: the SDK's own text names its parser or says "Unknown: Unknown"; the
  // endpoint and the status say what to check.
  const unreadable = unreadableAnswer(err);
  const failure: StsFailure = {
    operation: ctx.operation,
    awsCode: unreadable ? 'UnreadableAnswer' : awsCode,
    awsMessage: unreadable
      ? `${ctx.endpoint} did not answer as STS does (${describeUnreadable(unreadable)}); check AWS_ENDPOINT_URL_STS, endpoint_url and any proxy in the way`
      : scrub(err instanceof Error ? err.message : String(err), ctx.secrets),
    endpoint: ctx.endpoint,
    ...(ctx.roleArn !== undefined && { roleArn: ctx.roleArn }),
  };
  if (unreadable) return new StsError('STS_ERROR', `STS ${ctx.operation}${ctx.roleArn ? ` of ${ctx.roleArn}` : ''} failed: ${failure.awsMessage}`, failure);
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
      // Not a wrong MFA code (also AccessDenied, and said plainly by AWS): a policy that refuses the keys a session.
      if (ACCESS_DENIED_CODES.has(f.awsCode) && f.operation === 'GetSessionToken' && /not authorized to perform/i.test(f.awsMessage)) {
        return `${call} failed: ${f.awsCode}: ${f.awsMessage}; a policy denies the keys a session: --no-session uses the keys themselves`;
      }
      return `${call} failed: ${f.awsCode}: ${f.awsMessage}${HINTS[f.awsCode] ?? ''}`;
  }
}

/** What to do about the STS errors whose own text does not say. */
const HINTS: Readonly<Record<string, string>> = {
  Throttling: '; AWS is limiting the rate of STS calls from this account: wait a moment and run it again',
  ThrottlingException: '; AWS is limiting the rate of STS calls from this account: wait a moment and run it again',
  RegionDisabledException:
    "; STS is not active in this region for the account: activate it (IAM console, Account settings), or use another region (--region, AWS_REGION or the profile's region)",
};

