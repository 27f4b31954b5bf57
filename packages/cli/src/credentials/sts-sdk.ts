// The part of the AWS SDK's STS client that vault uses, and the module sts-client.ts loads on its first call. The
// build (scripts/bundle.mjs) makes this file its own CommonJS bundle, bundle/sts.cjs, holding the SDK code these names
// reach and nothing else, required only on the path that calls STS.
export {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
  STSClient,
} from '@aws-sdk/client-sts';
export type { Credentials } from '@aws-sdk/client-sts';
