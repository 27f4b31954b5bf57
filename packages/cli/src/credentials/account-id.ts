import type { Chain } from '@vault/profiles';

/**
 * The account the credentials a chain ends in belong to, as aws-vault gives it to the child as AWS_ACCOUNT_ID
 * (vault/vault.go, AccountIDForProfile): the last role's (an --assume hop's, then the config's), else the IAM Identity
 * Center or web identity role's account, else the profiles' aws_account_id. Undefined where only a call would tell:
 * a bare --assume role name with no ARN before it is a role in the caller's own account.
 */
export function accountIdOf(chain: Chain, assume: readonly string[]): string | undefined {
  if (assume.length > 0) {
    // A bare name is a role in the account of the nearest ARN before it (credentials/plan.ts, extraHops).
    const arn = [...chain.hops.map((h) => h.roleArn), ...assume].filter((role) => role.startsWith('arn:')).at(-1);
    return arn === undefined ? undefined : accountOfArn(arn);
  }
  const lastRole = chain.hops.at(-1)?.roleArn;
  if (lastRole !== undefined) return accountOfArn(lastRole);
  if (chain.base.kind === 'sso') return chain.base.accountId;
  if (chain.base.kind === 'web-identity') return accountOfArn(chain.base.roleArn);
  return chain.accountId;
}

/** The account field of an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE), when it is one. */
function accountOfArn(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
}
