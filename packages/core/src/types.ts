/** Long-lived keys stored for one profile. */
export interface StoredCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** ISO 8601 time the keys were added. */
  addedAt: string;
}

/** A temporary session cached in the vault, keyed by the chain that produced it (never by secrets). */
export interface CachedSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** ISO 8601 expiry. */
  expiration: string;
  /** Profile whose chain produced it (for `vault list` and `vault clear PROFILE`). */
  profile: string;
  /** Human-readable chain, e.g. "read-only -> arn:aws:iam::123:role/admin". */
  chain: string;
  /** Profile names this session was derived from (every link), so `clear PROFILE` drops dependants. */
  profiles: string[];
}

/**
 * An IAM Identity Center (SSO) sign-in: the OIDC access token, its refresh token and the client registration that
 * can refresh it, sealed in the vault instead of left in ~/.aws/sso/cache as the AWS CLI does.
 */
export interface SsoToken {
  startUrl: string;
  region: string;
  accessToken: string;
  /** ISO 8601 expiry of the access token. */
  expiresAt: string;
  refreshToken?: string;
  clientId?: string;
  clientSecret?: string;
  /** ISO 8601 expiry of the client registration. */
  registrationExpiresAt?: string;
}

/**
 * Decrypted payload of the vault file. `ssoTokens` arrived after version 1 was fixed: it is optional, so every
 * earlier vault opens as it is, and the version stays 1.
 */
export interface VaultData {
  version: 1;
  credentials: Record<string, StoredCredentials>;
  sessions: Record<string, CachedSession>;
  /** SSO sign-ins, keyed by sso-session name or start URL (the AWS CLI's cache key). */
  ssoTokens?: Record<string, SsoToken>;
}

/** Argon2id13 parameters, stored in the header so they can be raised without breaking old files. */
export interface KdfParams {
  alg: 'argon2id13';
  opslimit: number;
  memlimit: number;
}

/** What a derived key is valid for: the KDF parameters and salt of one vault file. */
export interface KeyInfo {
  kdf: KdfParams;
  salt: Uint8Array;
}

/** A derived vault key plus the header facts it was derived for. Wipe with `wipeKey` when done. */
export interface VaultKey {
  key: Uint8Array;
  info: KeyInfo;
}
