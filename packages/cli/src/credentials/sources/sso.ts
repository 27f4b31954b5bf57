import type { CredentialSource } from './source.js';

/**
 * IAM Identity Center: GetRoleCredentials with a signed-in token. The sign-in (vault, the AWS CLI's token cache,
 * refresh, device authorization) is sso/sign-in.ts, reached through Deps so the walker stays free of HTTP.
 */
export const sso: CredentialSource<'sso'> = {
  keyTag: 'arsso',
  usesVault: true,
  describe: (base) => `the IAM Identity Center role ${base.roleName} in ${base.accountId} (profile ${base.profile})`,
  async credentials(base, deps) {
    deps.log(`IAM Identity Center: role ${base.roleName} in account ${base.accountId} via ${base.sso.startUrl}`);
    return deps.sso(base);
  },
};
