import { processKey } from '../cache-key.js';
import { CredentialProcessError } from '../errors.js';
import type { CredentialSource } from './source.js';

/**
 * credential_process: a command that prints credentials as JSON. Temporary ones are cached in the vault like any
 * session, as aws-vault caches them, so a process that asks for a password or an MFA code (a SAML or corporate SSO
 * tool) is run once per session rather than on every command. The vault is opened for it only where that asks
 * nothing (profile-credentials.ts): locked, the process runs each time.
 */
export const credentialProcess: CredentialSource<'credential_process'> = {
  keyTag: 'arp',
  usesVault: false,
  describe: (base) => `the credential_process credentials of profile ${base.profile}`,
  async credentials(base, deps, _opts, useCache) {
    const key = processKey(base.profile, base.command);
    const hit = useCache ? deps.store.session(key) : undefined;
    if (hit) {
      deps.progress(`Using the cached credential_process credentials of ${base.profile} (valid until ${hit.expiration})`);
      const { accessKeyId, secretAccessKey, sessionToken, expiration } = hit;
      return { creds: { accessKeyId, secretAccessKey, sessionToken, expiration: new Date(expiration) }, cached: true };
    }
    deps.log(`running credential_process of ${base.profile}`);
    let creds;
    try {
      creds = await deps.runCredentialProcess(base.command, base.profile);
    } catch (err) {
      const detail = err instanceof CredentialProcessError ? err.detail : err instanceof Error ? err.message : String(err);
      throw new CredentialProcessError(base.profile, detail);
    }
    // Long-lived keys (no expiration) are not a session: nothing to keep them for.
    if (creds.sessionToken && creds.expiration) {
      deps.store.save(key, {
        accessKeyId: creds.accessKeyId,
        secretAccessKey: creds.secretAccessKey,
        sessionToken: creds.sessionToken,
        expiration: creds.expiration.toISOString(),
        profile: base.profile,
        chain: `${base.profile} (credential_process)`,
        profiles: [base.profile],
      });
    }
    return { creds };
  },
};
