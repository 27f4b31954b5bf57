import { NoStoredKeysError } from '../errors.js';
import type { CredentialSource } from './source.js';

/** Long-lived keys stored in the vault under the profile's name. */
export const vaultKeys: CredentialSource<'vault-keys'> = {
  keyTag: 'ar',
  usesVault: true,
  describe: (base) => `the stored keys of profile ${base.profile}`,
  async credentials(base, deps) {
    const keys = deps.store.baseKeys(base.profile);
    if (!keys) throw new NoStoredKeysError(base.profile);
    return { creds: { ...keys } };
  },
};
