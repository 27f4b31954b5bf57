// A fake STS for unit tests: records every call and issues numbered credentials. Shared by the chain walker's
// tests and those of the shared credential path (profile-credentials.ts); not part of the build.
import type { AwsCredentials, Deps, StsApi } from './types.js';

export type Op = 'GetSessionToken' | 'AssumeRole' | 'AssumeRoleWithWebIdentity' | 'GetCallerIdentity' | 'GetFederationToken';
export interface Call {
  op: Op;
  /** The secret of the credentials the call was signed with (enough to tell which link's credentials they were). */
  with: string;
  region: string | undefined;
  params: Record<string, unknown>;
}

/** Records every call; issues numbered credentials that expire `lifetime` after the call (per the fake clock). */
export function fakeSts(now: () => number, options: { fail?: (call: Call) => unknown; identityArn?: string } = {}) {
  const calls: Call[] = [];
  let n = 0;
  const issue = (params: Record<string, unknown>): AwsCredentials => {
    n += 1;
    const seconds = typeof params.durationSeconds === 'number' ? params.durationSeconds : 3600;
    return {
      accessKeyId: `ASIAISSUED${n}`,
      secretAccessKey: `issued-secret-${n}`,
      sessionToken: `issued-token-${n}`,
      expiration: new Date(now() + seconds * 1000),
    };
  };
  const record = (op: Op, creds: AwsCredentials, region: string | undefined, params: Record<string, unknown>) => {
    const call = { op, with: creds.secretAccessKey, region, params };
    calls.push(call);
    const failure = options.fail?.(call);
    if (failure) throw failure;
  };
  const factory = (creds: AwsCredentials, region: string | undefined): StsApi => ({
    async getSessionToken(p) {
      record('GetSessionToken', creds, region, p);
      return issue(p);
    },
    async assumeRole(p) {
      record('AssumeRole', creds, region, p);
      return issue(p);
    },
    async assumeRoleWithWebIdentity(p) {
      record('AssumeRoleWithWebIdentity', creds, region, p);
      return issue(p);
    },
    async getCallerIdentity() {
      record('GetCallerIdentity', creds, region, {});
      const arn = options.identityArn ?? 'arn:aws:iam::123456789012:user/alice';
      return { account: arn.split(':')[4] as string, arn, userId: 'AIDAEXAMPLE' };
    },
    async getFederationToken(p) {
      record('GetFederationToken', creds, region, p);
      return issue(p);
    },
  });
  return { calls, factory };
}

/** For tests of chains from stored keys: the other sources' services, which such a chain must not call. */
export const NO_OTHER_SOURCES: Pick<Deps, 'sso' | 'machineCredentials' | 'readTokenFile'> = {
  sso: async () => {
    throw new Error('no IAM Identity Center call expected');
  },
  machineCredentials: async () => {
    throw new Error('no credential_source expected');
  },
  readTokenFile: async () => {
    throw new Error('no web identity token expected');
  },
};
