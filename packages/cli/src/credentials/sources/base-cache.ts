// The sources whose own credentials are temporary (IAM Identity Center's role credentials, a credential_process's
// session) keep them in the vault like any session, under a key of their own.
import type { AwsCredentials, Deps } from '../types.js';
import type { SourceCredentials } from './source.js';

/** The credentials cached under `key`, said as `what`'s, when the walk may use the cache. */
export function cachedBase(deps: Deps, key: string, useCache: boolean, what: string): SourceCredentials | undefined {
  const hit = useCache ? deps.store.session(key) : undefined;
  if (!hit) return undefined;
  deps.progress(`Using the cached ${what} (valid until ${hit.expiration})`);
  return { creds: fromCache(hit), cached: true };
}

/** A cached session as the credentials it holds. */
export function fromCache(s: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: string }): AwsCredentials {
  return { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, sessionToken: s.sessionToken, expiration: new Date(s.expiration) };
}

/** Keeps temporary credentials under `key` for `profile` (`vault clear PROFILE` drops them); long-lived ones are no session. */
export function saveBase(deps: Deps, key: string, creds: AwsCredentials, profile: string, chain: string): void {
  if (!creds.sessionToken || !creds.expiration) return;
  deps.store.save(key, {
    accessKeyId: creds.accessKeyId,
    secretAccessKey: creds.secretAccessKey,
    sessionToken: creds.sessionToken,
    expiration: creds.expiration.toISOString(),
    profile,
    chain,
    profiles: [profile],
  });
}
