import type { CredentialSource } from './source.js';

/** credential_source: the machine's own credentials (environment, EC2 instance metadata, ECS container endpoint). */
export const credentialSource: CredentialSource<'credential-source'> = {
  keyTag: 'arcs',
  usesVault: false,
  describe: (base) => `the ${base.source} credentials of profile ${base.profile}`,
  async credentials(base, deps) {
    deps.log(`credential_source ${base.source} of ${base.profile}`);
    return { creds: await deps.machineCredentials(base.source) };
  },
};
