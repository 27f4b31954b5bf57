// Errors of the credentials layer. Each has a stable `code` the CLI's catalogue keys its hint on; messages are one
// line, name the cause, and never carry a secret key, session token or MFA code.

export class CredentialsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class DurationError extends CredentialsError {
  constructor(message: string) {
    super('INVALID_DURATION', message);
  }
}

export class InvalidMfaTokenError extends CredentialsError {
  constructor(
    readonly serial: string,
    fromFlag: boolean,
  ) {
    super('INVALID_MFA_TOKEN', `the MFA code${fromFlag ? ' given with --mfa-token' : ''} for ${serial} is not 6 digits`);
  }
}

export class InvalidAssumeError extends CredentialsError {
  constructor(
    readonly value: string,
    reason: string,
  ) {
    super('INVALID_ASSUME', `--assume ${JSON.stringify(value)} is not valid: ${reason}`);
  }
}

export class NoStoredKeysError extends CredentialsError {
  constructor(readonly profile: string) {
    super('NO_STORED_KEYS', `no keys are stored in the vault for profile ${profile}`);
  }
}

export class CredentialProcessError extends CredentialsError {
  constructor(
    readonly profile: string | undefined,
    readonly detail: string,
  ) {
    super('CREDENTIAL_PROCESS_FAILED', `credential_process${profile ? ` of profile ${profile}` : ''} failed: ${detail}`);
  }
}

export type StsErrorCode = 'STS_ACCESS_DENIED' | 'STS_INVALID_KEYS' | 'STS_NETWORK' | 'STS_ERROR';

export type StsOperation = 'GetSessionToken' | 'AssumeRole' | 'AssumeRoleWithWebIdentity' | 'GetCallerIdentity' | 'GetFederationToken';

/** What went wrong in one STS call, kept apart from the message so the chain walker can reword it with context. */
export interface StsFailure {
  operation: StsOperation;
  /** AWS error code (e.g. AccessDenied) or the network error code (e.g. ECONNREFUSED). */
  awsCode: string;
  /** The service's own message, already one line and scrubbed of the credentials used. */
  awsMessage: string;
  /** The endpoint URL the call went to. */
  endpoint: string;
  roleArn?: string;
}

export class StsError extends CredentialsError {
  constructor(
    code: StsErrorCode,
    message: string,
    readonly failure: StsFailure,
  ) {
    super(code, message);
  }
}

/** An aws-vault environment variable vault reads holds a value it cannot use. */
export class InvalidEnvironmentError extends CredentialsError {
  constructor(
    readonly variable: string,
    value: string,
    readonly reason: string,
  ) {
    // Values are settings (durations, ARNs, tags, URLs shown without their user name or query); a long one is cut so
    // the message stays one line.
    const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
    super('INVALID_ENVIRONMENT', `${variable}=${JSON.stringify(shown)} is not valid: ${reason}`);
  }
}

/** mfa_process or an AWS_VAULT_PROMPT driver could not give an MFA code. */
export class MfaSourceError extends CredentialsError {
  constructor(code: 'MFA_SOURCE_FAILED' | 'MFA_PROMPT_UNAVAILABLE', message: string) {
    super(code, message);
  }
}

export class WebIdentityTokenError extends CredentialsError {
  constructor(
    readonly profile: string,
    readonly path: string,
    reason: string,
  ) {
    super('WEB_IDENTITY_TOKEN', `profile ${profile}: cannot read web_identity_token_file ${path} (${reason})`);
  }
}

export class CredentialSourceError extends CredentialsError {
  constructor(
    readonly source: string,
    detail: string,
  ) {
    super('CREDENTIAL_SOURCE_FAILED', `credential_source = ${source}: ${detail}`);
  }
}

/** IAM Identity Center refused or failed, after a fresh sign-in where one could help. */
export class SsoError extends CredentialsError {
  constructor(message: string) {
    super('SSO_FAILED', message);
  }
}
