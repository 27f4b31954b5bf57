/** The keys of one profile section, names lower-cased and values trimmed, exactly as written otherwise. */
export type ProfileValues = Record<string, string>;

export interface ConfigFile {
  path: string;
  kind: 'config' | 'credentials';
  profiles: ReadonlyMap<string, ProfileValues>;
  /** profile name -> 1-based line of its (first) section header */
  lines: ReadonlyMap<string, number>;
  /**
   * Config-file sections ignored because they lack the `profile ` prefix (`[admin]` instead of `[profile admin]`),
   * name -> line. Kept only so that "unknown profile" can point at the likely mistake.
   */
  ignoredSections?: ReadonlyMap<string, number>;
  /** `[sso-session NAME]` sections of a config file, name -> keys (the AWS CLI v2 style of SSO settings). */
  ssoSessions?: ReadonlyMap<string, ProfileValues>;
  /** aws-vault's `[aws-vault]` section of a config file, when there is one. */
  awsVault?: ProfileValues;
}

/** One AssumeRole call, made with the credentials produced by everything before it in the chain. */
export interface Hop {
  profile: string;
  roleArn: string;
  roleSessionName?: string;
  externalId?: string;
  mfaSerial?: string;
  durationSeconds?: number;
  sourceIdentity?: string;
  /** session_tags: sent as AssumeRole Tags. */
  sessionTags?: Record<string, string>;
  /** transitive_session_tags: sent as AssumeRole TransitiveTagKeys. */
  transitiveTagKeys?: string[];
}

/** IAM Identity Center sign-in settings: from a `[sso-session NAME]` section, or the legacy keys on the profile. */
export interface SsoSettings {
  startUrl: string;
  region: string;
  /** The sso-session name; absent for the legacy style (the token cache is then keyed by the start URL). */
  session?: string;
  /** sso_registration_scopes (sso-session style only), e.g. ['sso:account:access']. */
  scopes?: string[];
}

/** The AWS SDKs' credential_source values: credentials the machine itself provides. */
export type CredentialSourceName = 'Environment' | 'Ec2InstanceMetadata' | 'EcsContainer';

/**
 * A profile with source_profile and no role_arn between the stored keys and the first role (aws-vault's): it uses the
 * keys as they are, and its mfa_serial takes part in aws-vault's choice of where a GetSessionToken session opens.
 */
export interface PassThrough {
  profile: string;
  mfaSerial?: string;
}

/** Where the first credentials of a chain come from. */
export type Base =
  | {
      kind: 'vault-keys';
      profile: string;
      /** The mfa_serial of the profile holding the keys. */
      mfaSerial?: string;
      /** The pass-through profiles above the keys' profile, nearest first; the target when it is one. */
      passThrough?: PassThrough[];
    }
  | { kind: 'credential_process'; profile: string; command: string }
  | { kind: 'sso'; profile: string; sso: SsoSettings; accountId: string; roleName: string }
  | { kind: 'web-identity'; profile: string; roleArn: string; tokenFile: string; roleSessionName?: string; durationSeconds?: number }
  | { kind: 'credential-source'; profile: string; source: CredentialSourceName };

export interface Chain {
  profile: string;
  base: Base;
  /** In the order they are assumed: hops[0] is assumed with the base credentials. */
  hops: Hop[];
  region?: string;
  /** endpoint_url: where STS calls go (and the child's AWS_ENDPOINT_URL). */
  endpointUrl?: string;
  /** ignore_configured_endpoint_urls = true on the target: endpointUrl and the endpoint variables are not used. */
  ignoreConfiguredEndpointUrls?: true;
  /** use_fips_endpoint / use_dualstack_endpoint = true on the target: AWS's FIPS or dual-stack STS endpoint. */
  useFipsEndpoint?: true;
  useDualstackEndpoint?: true;
  /** sts_regional_endpoints: 'legacy' sends STS calls of the legacy regions to the global endpoint. */
  stsRegionalEndpoints?: 'regional' | 'legacy';
  /** mfa_process: a command that prints the MFA code. */
  mfaProcess?: string;
  /**
   * aws_account_id of a chain whose credentials neither a role ARN nor an SSO account names the account of: the
   * nearest to the base profile that sets it, as aws-vault reads it.
   */
  accountId?: string;
  /** profile names from base to target, e.g. ['read-only','admin','backup'] */
  path: string[];
}
