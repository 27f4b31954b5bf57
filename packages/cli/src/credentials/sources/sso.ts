import { ssoRoleKey } from '../cache-key.js';
import { SsoError } from '../errors.js';
import { cachedBase, saveBase } from './base-cache.js';
import type { CredentialSource } from './source.js';

/**
 * IAM Identity Center: GetRoleCredentials with a signed-in token. The sign-in (vault, the AWS CLI's token cache,
 * refresh, device authorization) is sso/sign-in.ts, reached through Deps so the walker stays free of HTTP. The role
 * credentials are cached in the vault like any session, so a cached `vault exec` needs neither network nor token.
 */
export const sso: CredentialSource<'sso'> = {
  keyTag: 'arsso',
  usesVault: true,
  describe: (base) => `the IAM Identity Center role ${base.roleName} in ${base.accountId} (profile ${base.profile})`,
  async credentials(base, deps, _opts, useCache) {
    const key = ssoRoleKey(base.sso.startUrl, base.accountId, base.roleName, deps.ssoEndpoint);
    const hit = cachedBase(deps, key, useCache, `IAM Identity Center session of ${base.profile}`);
    if (hit) return hit;
    deps.log(`IAM Identity Center: role ${base.roleName} in account ${base.accountId} via ${base.sso.startUrl}`);
    const creds = await deps.sso(base);
    // As botocore refuses them: credentials already expired would only fail later, inside the command.
    if (creds.expiration && creds.expiration.getTime() <= deps.clock().getTime()) {
      throw new SsoError(
        `IAM Identity Center gave role credentials for ${base.roleName} in ${base.accountId} that expired at ${creds.expiration.toISOString()}; ` +
          `check this machine's clock, and run the command again`,
      );
    }
    saveBase(deps, key, creds, base.profile, `${base.profile} (IAM Identity Center ${base.roleName})`);
    return { creds };
  },
};
