// The shape every credential source has. @vault/profiles decides which kind a profile is (its resolver is the
// guard: a profile's keys -> one Base kind); a source says how that kind becomes credentials.
import type { Base } from '@vault/profiles';
import type { AwsCredentials, Deps, ResolveOptions } from '../types.js';

export type BaseOf<K extends Base['kind']> = Extract<Base, { kind: K }>;

export interface CredentialSource<K extends Base['kind']> {
  /**
   * First field of the cache keys of role sessions assumed from this source: sessions from different sources of the
   * same profile must never be taken for one another.
   */
  keyTag: string;
  /** Whether the vault must be opened for it (stored keys and SSO sign-ins live there). */
  usesVault: boolean;
  /** Whose credentials these are, for messages: "the stored keys of profile dev". */
  describe(base: BaseOf<K>): string;
  /**
   * The base credentials. A source that caches them in the vault (SSO role credentials) looks there only when
   * `useCache` is set, and says `cached` when it answered from there: STS refusing them means "walk again without".
   */
  credentials(base: BaseOf<K>, deps: Deps, opts: ResolveOptions, useCache: boolean): Promise<SourceCredentials>;
}

export interface SourceCredentials {
  creds: AwsCredentials;
  cached?: boolean;
}
