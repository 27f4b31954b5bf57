// Every credential source, by the Base kind @vault/profiles resolves a profile to. Adding a source: a Base kind in
// @vault/profiles, one file here, and one line below (the compiler insists on it). docs/development.md has the steps.
import type { Base } from '@vault/profiles';
import { credentialProcess } from './credential-process.js';
import { credentialSource } from './credential-source.js';
import type { BaseOf, CredentialSource } from './source.js';
import { sso } from './sso.js';
import { vaultKeys } from './vault-keys.js';
import { webIdentity } from './web-identity.js';

const SOURCES: { [K in Base['kind']]: CredentialSource<K> } = {
  'vault-keys': vaultKeys,
  credential_process: credentialProcess,
  sso,
  'web-identity': webIdentity,
  'credential-source': credentialSource,
};

export function sourceOf<K extends Base['kind']>(base: BaseOf<K>): CredentialSource<K> {
  return SOURCES[base.kind as K];
}
