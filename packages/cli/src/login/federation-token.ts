// Long-lived IAM user keys cannot sign in to the console; a GetFederationToken session made from them can (this is
// what aws-vault does for a profile without a role). GetSessionToken credentials would not do: the federation
// endpoint refuses them.
import { iamUserOfArn } from '../credentials/iam-user-arn.js';
import type { GetFederationTokenCommandOutput } from '@aws-sdk/client-sts';
import { formatDuration } from '../credentials/duration.js';
import { StsError } from '../credentials/errors.js';
import { stsEndpoint, toStsError } from '../credentials/sts-errors.js';
import { CLIENT_OPTIONS, DEFAULT_REGION, createStsApi, loadSdk } from '../credentials/sts-client.js';
import type { AwsCredentials } from '../credentials/types.js';

/** STS's limits for GetFederationToken, in seconds (an account root user gets at most 1 h). */
export const FEDERATION_LIMITS = { min: 900, max: 129_600 } as const;

/**
 * Without a policy a federated user may do nothing; with one that allows everything, it may do exactly what the IAM
 * user may (the effective permissions are the intersection of both).
 */
export const ALLOW_ALL_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
});

/**
 * Pure: the federated user's name, shown in the console and CloudTrail: the IAM user's name, cut to what
 * GetFederationToken accepts (2-32 characters of [\w+=,.@-]); "vault" for callers that are not IAM users.
 */
export function federatedUserName(callerArn: string): string {
  const user = iamUserOfArn(callerArn)?.name;
  const name = (user ?? '').replace(/[^\w+=,.@-]/g, '-').slice(0, 32);
  return name.length >= 2 ? name : 'vault';
}

/** GetFederationToken as the IAM user whose long-lived `keys` these are, with the allow-all policy. */
export async function federationToken(
  keys: AwsCredentials,
  region: string | undefined,
  durationSeconds: number,
  log: (message: string) => void,
): Promise<AwsCredentials> {
  const identity = await createStsApi(keys, region).getCallerIdentity();
  const name = federatedUserName(identity.arn);
  log(`GetFederationToken as ${name} for ${identity.arn} (${formatDuration(durationSeconds)})`);

  const effectiveRegion = region ?? DEFAULT_REGION;
  const sdk = await loadSdk();
  const client = new sdk.STSClient({
    ...CLIENT_OPTIONS,
    region: effectiveRegion,
    credentials: { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey },
  });
  let out: GetFederationTokenCommandOutput;
  try {
    out = await client.send(
      new sdk.GetFederationTokenCommand({ Name: name, DurationSeconds: durationSeconds, Policy: ALLOW_ALL_POLICY }),
    );
  } catch (err) {
    throw toStsError(err, {
      operation: 'GetFederationToken',
      endpoint: stsEndpoint(effectiveRegion, process.env),
      secrets: [keys.secretAccessKey, keys.sessionToken],
    });
  }
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
    throw new StsError('STS_ERROR', 'STS GetFederationToken returned no credentials', {
      operation: 'GetFederationToken',
      awsCode: 'NoCredentials',
      awsMessage: 'the response held no credentials',
      endpoint: stsEndpoint(effectiveRegion, process.env),
    });
  }
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    ...(c.Expiration !== undefined && { expiration: c.Expiration }),
  };
}
