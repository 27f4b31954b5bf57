import type { CachedSession } from '@vault/core';
import type { Base, CredentialSourceName } from '@vault/profiles';

/** Credentials as handed to the child process or printed by `vault export`. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export interface ResolveOptions {
  /** --no-session: a no-role profile uses its long-lived keys directly (and a role chain starts from them). */
  noSession: boolean;
  /** --duration: GetSessionToken duration (no-role profile) or the LAST hop's duration. */
  durationSeconds?: number;
  /** Where durationSeconds came from, for messages (default '--duration'). */
  durationSource?: string;
  /** AWS_SESSION_TOKEN_TTL: GetSessionToken duration of a profile without a role, when no --duration. */
  sessionSeconds?: number;
  /** AWS_CHAINED_SESSION_TOKEN_TTL: GetSessionToken duration of the base session of a role chain. */
  chainedSessionSeconds?: number;
  /** AWS_ASSUME_ROLE_TTL: AssumeRole duration of every hop, beating duration_seconds (--duration beats it). */
  assumeRoleSeconds?: number;
  /** The STS endpoint URL every call goes to, when not AWS's own: part of every cache key. */
  endpoint?: string;
  /** --mfa-token */
  mfaToken?: string;
  /** Effective region (flag > profile > env), used for the regional STS endpoint. */
  region?: string;
  /** --assume: extra hops after the chain, each a bare role name (same account as the credentials before it) or a role ARN. */
  assume: string[];
}

/** The vault payload as seen by the chain walker; the CLI writes saved sessions back in one vault update. */
export interface SessionStore {
  baseKeys(profile: string): { accessKeyId: string; secretAccessKey: string } | undefined;
  /** Only sessions still valid for more than 5 minutes. */
  session(key: string): CachedSession | undefined;
  /** Of the sessions valid as `session` requires whose key starts with `prefix`, the one that lasts longest. */
  longestSession(prefix: string): CachedSession | undefined;
  save(key: string, session: CachedSession): void;
  /**
   * Runs a call that takes an MFA code under a lock of its session's key, across processes: `run` is given the
   * session another process stored for the key while this one waited (then no code is asked), and a session `run`
   * saves is in the vault before the lock goes. Absent without a vault to keep sessions in.
   */
  mfaLock?: <T>(key: string, run: (latest: CachedSession | undefined) => Promise<T>) => Promise<T>;
}

/** The three STS calls vault makes, behind an interface so the walker can be tested with a fake. */
export interface StsApi {
  getSessionToken(p: { durationSeconds?: number; serialNumber?: string; tokenCode?: string }): Promise<AwsCredentials>;
  assumeRole(p: {
    roleArn: string;
    roleSessionName: string;
    durationSeconds?: number;
    externalId?: string;
    serialNumber?: string;
    tokenCode?: string;
    sourceIdentity?: string;
    tags?: Record<string, string>;
    transitiveTagKeys?: string[];
  }): Promise<AwsCredentials>;
  /** Unsigned: the web identity token is the proof (the credentials the API was made with are not used). */
  assumeRoleWithWebIdentity(p: {
    roleArn: string;
    roleSessionName: string;
    webIdentityToken: string;
    durationSeconds?: number;
  }): Promise<AwsCredentials>;
  getCallerIdentity(): Promise<{ account: string; arn: string; userId: string }>;
  /** A federated user's session from long-lived IAM user keys (what `vault login` signs in to the console with). */
  getFederationToken(p: { name: string; durationSeconds: number; policy: string }): Promise<AwsCredentials>;
}

export interface Deps {
  sts: (creds: AwsCredentials, region: string | undefined) => StsApi;
  /** IAM Identity Center: a signed-in token (asking the user when needed), then the role's credentials. */
  sso: (base: Extract<Base, { kind: 'sso' }>) => Promise<AwsCredentials>;
  /**
   * The IAM Identity Center portal's endpoint when the environment overrides it (AWS_ENDPOINT_URL_SSO, else
   * AWS_ENDPOINT_URL): role credentials from another endpoint are cached apart, as STS sessions are.
   */
  ssoEndpoint?: string;
  /** credential_source: what the environment, EC2 instance metadata or the ECS container endpoint provide. */
  machineCredentials: (source: CredentialSourceName) => Promise<AwsCredentials>;
  /** Reads a web identity token file (fresh on every use: the platform rotates it). */
  readTokenFile: (path: string) => Promise<string>;
  store: SessionStore;
  promptMfa: (serial: string) => Promise<string>;
  /** Runs a profile's credential_process (the profile: to stop a process that runs vault for the same profile). */
  runCredentialProcess: (command: string, profile: string) => Promise<AwsCredentials>;
  clock: () => Date;
  /** --debug diagnostics; never given a secret. */
  log: (message: string) => void;
  /** --verbose: one line per role switched to (or cached session used), as the seeds' aws-assume-role prints. */
  progress: (message: string) => void;
}
