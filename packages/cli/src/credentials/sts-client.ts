import type * as StsSdk from './sts-sdk.js';
import { suppressSdkVersionWarning } from '../aws/sdk-warning.js';
import { StsError, type StsOperation } from './errors.js';
import { toStsError } from './sts-errors.js';
import type { AwsCredentials, StsApi } from './types.js';

type Sdk = typeof StsSdk;

const DEFAULT_REGION = 'us-east-1';
// Two attempts and short timeouts: without a network vault should fail in seconds, not after the SDK's minutes.
// throwOnRequestTimeout: without it the SDK only prints a warning when a server accepts the connection and never
// answers, and waits for ever.
export const STS_CLIENT_OPTIONS = { maxAttempts: 2, requestHandler: { connectionTimeout: 3_000, requestTimeout: 15_000, throwOnRequestTimeout: true } };

let sdk: Promise<Sdk> | undefined;

// Loaded on the first STS call only: a cached `vault exec` must not pay for the SDK at start-up.
function loadSdk(): Promise<Sdk> {
  if (!sdk) {
    suppressSdkVersionWarning(process);
    sdk = import('./sts-sdk.js');
  }
  return sdk;
}

/**
 * STS as `creds` in `region` (default us-east-1), at `endpoint`, which vault always chooses itself (stsTarget in
 * sts-endpoint.ts: the variables, endpoint_url, FIPS and dual-stack), so the SDK inside vault never reads a profile.
 */
export function createStsApi(creds: AwsCredentials, region: string | undefined, endpoint: string): StsApi {
  const effectiveRegion = region ?? DEFAULT_REGION;
  let client: StsSdk.STSClient | undefined;

  async function call<T>(
    operation: StsOperation,
    send: (sdk: Sdk, client: StsSdk.STSClient) => Promise<T>,
    extra: { roleArn?: string; tokenCode?: string } = {},
  ): Promise<T> {
    const loaded = await loadSdk();
    client ??= new loaded.STSClient({
      ...STS_CLIENT_OPTIONS,
      region: effectiveRegion,
      // The endpoint vault chose has the FIPS and dual-stack settings applied already; the SDK would refuse the pair
      // ("FIPS and custom endpoint are not supported") if it read them again from its own profile.
      endpoint,
      useFipsEndpoint: false,
      useDualstackEndpoint: false,
      credentials: {
        accessKeyId: creds.accessKeyId,
        secretAccessKey: creds.secretAccessKey,
        ...(creds.sessionToken !== undefined && { sessionToken: creds.sessionToken }),
      },
    });
    try {
      return await send(loaded, client);
    } catch (err) {
      throw toStsError(err, {
        operation,
        endpoint,
        roleArn: extra.roleArn,
        secrets: [creds.secretAccessKey, creds.sessionToken, extra.tokenCode],
      });
    }
  }

  return {
    async getSessionToken(p) {
      const out = await call(
        'GetSessionToken',
        (m, c) =>
          c.send(
            new m.GetSessionTokenCommand({ DurationSeconds: p.durationSeconds, SerialNumber: p.serialNumber, TokenCode: p.tokenCode }),
          ),
        { tokenCode: p.tokenCode },
      );
      return toCredentials(out.Credentials, 'GetSessionToken', endpoint);
    },
    async assumeRole(p) {
      const out = await call(
        'AssumeRole',
        (m, c) =>
          c.send(
            new m.AssumeRoleCommand({
              RoleArn: p.roleArn,
              RoleSessionName: p.roleSessionName,
              DurationSeconds: p.durationSeconds,
              ExternalId: p.externalId,
              SerialNumber: p.serialNumber,
              TokenCode: p.tokenCode,
              SourceIdentity: p.sourceIdentity,
              Tags: p.tags && Object.entries(p.tags).map(([Key, Value]) => ({ Key, Value })),
              TransitiveTagKeys: p.transitiveTagKeys,
            }),
          ),
        { roleArn: p.roleArn, tokenCode: p.tokenCode },
      );
      return toCredentials(out.Credentials, 'AssumeRole', endpoint, p.roleArn);
    },
    async assumeRoleWithWebIdentity(p) {
      const out = await call(
        'AssumeRoleWithWebIdentity',
        (m, c) =>
          c.send(
            new m.AssumeRoleWithWebIdentityCommand({
              RoleArn: p.roleArn,
              RoleSessionName: p.roleSessionName,
              WebIdentityToken: p.webIdentityToken,
              DurationSeconds: p.durationSeconds,
            }),
          ),
        { roleArn: p.roleArn, tokenCode: p.webIdentityToken },
      );
      return toCredentials(out.Credentials, 'AssumeRoleWithWebIdentity', endpoint, p.roleArn);
    },
    async getCallerIdentity() {
      const out = await call('GetCallerIdentity', (m, c) => c.send(new m.GetCallerIdentityCommand({})));
      return { account: out.Account ?? '', arn: out.Arn ?? '', userId: out.UserId ?? '' };
    },
    async getFederationToken(p) {
      const out = await call('GetFederationToken', (m, c) =>
        c.send(new m.GetFederationTokenCommand({ Name: p.name, DurationSeconds: p.durationSeconds, Policy: p.policy })),
      );
      const creds = toCredentials(out.Credentials, 'GetFederationToken', endpoint);
      if (!creds.sessionToken) throw new StsError('STS_ERROR', 'STS GetFederationToken returned no session token', noCredentials('GetFederationToken', endpoint));
      return creds;
    },
  };
}

function noCredentials(operation: StsOperation, endpoint: string, roleArn?: string) {
  return {
    operation,
    awsCode: 'NoCredentials',
    awsMessage: 'the response held no credentials',
    endpoint,
    ...(roleArn !== undefined && { roleArn }),
  };
}

function toCredentials(
  c: StsSdk.Credentials | undefined,
  operation: StsOperation,
  endpoint: string,
  roleArn?: string,
): AwsCredentials {
  if (!c?.AccessKeyId || !c.SecretAccessKey) {
    throw new StsError('STS_ERROR', `STS ${operation} returned no credentials`, noCredentials(operation, endpoint, roleArn));
  }
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    ...(c.SessionToken !== undefined && { sessionToken: c.SessionToken }),
    ...(c.Expiration !== undefined && { expiration: c.Expiration }),
  };
}
