import { processKey } from '../cache-key.js';
import { CredentialProcessError } from '../errors.js';
import { runsVault } from '../process-marker.js';
import { cachedBase, saveBase } from './base-cache.js';
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
    const { createHash } = await import('node:crypto');
    const key = processKey(base.profile, createHash('sha256').update(base.command).digest('hex'));
    const hit = cachedBase(deps, key, useCache, `credential_process credentials of ${base.profile}`);
    if (hit) return hit;
    deps.log(`running credential_process of ${base.profile}`);
    let creds;
    try {
      creds = await deps.runCredentialProcess(base.command, base.profile);
    } catch (err) {
      const detail = err instanceof CredentialProcessError ? err.detail : err instanceof Error ? err.message : String(err);
      // A vault run as a helper is not given the passphrase variable (no helper is): it opens the vault through the
      // agent, or by asking on a terminal. (A failure that names its profile is vault's own loop check, said whole.)
      const ownCheck = err instanceof CredentialProcessError && err.profile !== undefined;
      const hint = runsVault(base.command) && !ownCheck ? '; a vault started so is not given AWS_VAULT_FILE_PASSPHRASE: if it could not open the vault, run `vault unlock` first' : '';
      throw new CredentialProcessError(base.profile, `${detail}${hint}`);
    }
    saveBase(deps, key, creds, base.profile, `${base.profile} (credential_process)`);
    return { creds };
  },
};
