// The part of the AWS SDK's IAM client that vault uses, and the module iam-client.ts loads on its first call. The
// build (scripts/bundle.mjs) makes this file its own CommonJS bundle, bundle/iam.cjs, holding the SDK code these names
// reach and nothing else, required by `vault rotate` only.
export { CreateAccessKeyCommand, DeleteAccessKeyCommand, IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam';
