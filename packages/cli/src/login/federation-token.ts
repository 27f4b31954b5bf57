// Long-lived IAM user keys cannot sign in to the console; a GetFederationToken session made from them can (this is
// what aws-vault does for a profile without a role). GetSessionToken credentials would not do: the federation
// endpoint refuses them.
import { iamUserOfArn } from '../aws/arn.js';
import { formatDuration } from '../credentials/duration.js';
import type { AwsCredentials, StsApi } from '../credentials/types.js';

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

/** GetFederationToken, through `sts` made with an IAM user's long-lived keys, with the allow-all policy. */
export async function federationToken(sts: StsApi, durationSeconds: number, log: (message: string) => void): Promise<AwsCredentials> {
  const identity = await sts.getCallerIdentity();
  const name = federatedUserName(identity.arn);
  log(`GetFederationToken as ${name} for ${identity.arn} (${formatDuration(durationSeconds)})`);
  return sts.getFederationToken({ name, durationSeconds, policy: ALLOW_ALL_POLICY });
}
