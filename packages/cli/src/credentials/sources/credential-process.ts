import { CredentialProcessError } from '../errors.js';
import type { CredentialSource } from './source.js';

/** credential_process: a command that prints credentials as JSON; it does its own caching, so none here. */
export const credentialProcess: CredentialSource<'credential_process'> = {
  keyTag: 'arp',
  usesVault: false,
  describe: (base) => `the credential_process credentials of profile ${base.profile}`,
  async credentials(base, deps) {
    deps.log(`running credential_process of ${base.profile}`);
    try {
      return { creds: await deps.runCredentialProcess(base.command, base.profile) };
    } catch (err) {
      const detail = err instanceof CredentialProcessError ? err.detail : err instanceof Error ? err.message : String(err);
      throw new CredentialProcessError(base.profile, detail);
    }
  },
};
