import type { AwsCredentials } from '../credentials/types.js';

export interface RefreshOptions {
  /** Gets new credentials (the normal cache-then-STS path). */
  renew: () => Promise<AwsCredentials>;
  clock: () => Date;
  /** Credentials expiring sooner than this are renewed. */
  marginMs: number;
  /** Told about a failed renewal that was bridged by credentials still valid. */
  onStaleServed: (err: unknown) => void;
  /** How long a caller waits on a renewal while the current set is still valid (default 250 ms). */
  patienceMs?: number;
}

/**
 * Well under the SDKs' own timeouts for a credential endpoint: 1 s for instance metadata (botocore's
 * DEFAULT_METADATA_SERVICE_TIMEOUT, the JS SDK's fromInstanceMetadata), about 2 s for the container endpoint. A
 * renewal that answers within it (STS usually does) is served at once.
 */
const PATIENCE_MS = 250;

/**
 * Credentials for a long-running child: the current set until it comes within `marginMs` of expiring, then a new
 * one. Concurrent callers share one renewal. While the current set is still valid a caller waits on the renewal for
 * `patienceMs` at most, then is answered with the current set while the renewal goes on: an STS that hangs (two
 * tries of 15 s) would otherwise hold the child's request past its SDK's own timeout and fail credentials good for
 * minutes more. When a renewal fails, the next call tries again; once the current set has expired, the renewal (or
 * its failure) is the answer.
 */
export function refreshingCredentials(initial: AwsCredentials | undefined, options: RefreshOptions): () => Promise<AwsCredentials> {
  // Undefined until the first renewal when the caller starts lazily (`exec --lazy`).
  let current = initial;
  // When this refresher obtained the current set; unknown for the initial one (it may come from the cache).
  let obtainedAt: number | undefined;
  let renewing: Promise<AwsCredentials> | undefined;

  const expiresAt = (c: AwsCredentials | undefined) => c?.expiration?.getTime() ?? Number.NEGATIVE_INFINITY;
  // A margin as long as the sessions themselves (AWS_MIN_TTL=15m with --duration 15m) would renew on every request,
  // an MFA code each time: each set is used for half its life at least.
  const fresh = (c: AwsCredentials | undefined) => {
    const left = expiresAt(c) - options.clock().getTime();
    return left > (obtainedAt === undefined ? options.marginMs : Math.min(options.marginMs, (expiresAt(c) - obtainedAt) / 2));
  };

  return async () => {
    if (current && fresh(current)) return current;
    renewing ??= options
      .renew()
      .then(
        (next) => {
          obtainedAt = options.clock().getTime();
          return (current = next);
        },
        (err: unknown) => {
          if (expiresAt(current) <= options.clock().getTime()) throw err;
          options.onStaleServed(err);
          return current as AwsCredentials;
        },
      )
      .finally(() => (renewing = undefined));
    const stillValid = current;
    if (!stillValid || expiresAt(stillValid) <= options.clock().getTime()) return renewing;
    let timer: NodeJS.Timeout | undefined;
    const patience = new Promise<AwsCredentials>((resolve) => {
      timer = setTimeout(() => resolve(stillValid), options.patienceMs ?? PATIENCE_MS);
    });
    // A renewal that fails now is told by onStaleServed (the current set is still valid), so its rejection is not
    // this caller's to see.
    return Promise.race([renewing.catch(() => stillValid), patience]).finally(() => clearTimeout(timer));
  };
}
