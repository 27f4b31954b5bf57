import type { AwsCredentials } from '../credentials/types.js';

export interface RefreshOptions {
  /** Gets new credentials (the normal cache-then-STS path). */
  renew: () => Promise<AwsCredentials>;
  clock: () => Date;
  /** Credentials expiring sooner than this are renewed. */
  marginMs: number;
  /** Told about a failed renewal that was bridged by credentials still valid. */
  onStaleServed: (err: unknown) => void;
}

/**
 * Credentials for a long-running child: the current set until it comes within `marginMs` of expiring, then a new
 * one. Concurrent callers share one renewal. When a renewal fails while the current set is still valid, that set is
 * served (a brief STS outage should not fail the child) and the next call tries again; once they have expired, the
 * failure is the answer.
 */
export function refreshingCredentials(initial: AwsCredentials | undefined, options: RefreshOptions): () => Promise<AwsCredentials> {
  // Undefined until the first renewal when the caller starts lazily (`exec --lazy`).
  let current = initial;
  let renewing: Promise<AwsCredentials> | undefined;

  const expiresAt = (c: AwsCredentials | undefined) => c?.expiration?.getTime() ?? Number.NEGATIVE_INFINITY;
  const fresh = (c: AwsCredentials | undefined): c is AwsCredentials => expiresAt(c) - options.clock().getTime() > options.marginMs;

  return async () => {
    if (fresh(current)) return current;
    renewing ??= options
      .renew()
      .then(
        (next) => (current = next),
        (err: unknown) => {
          if (expiresAt(current) <= options.clock().getTime()) throw err;
          options.onStaleServed(err);
          return current as AwsCredentials;
        },
      )
      .finally(() => (renewing = undefined));
    return renewing;
  };
}
