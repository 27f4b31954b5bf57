// Public API of @vault/core. Implementation modules: format.ts (header layout), kdf.ts (Argon2id), seal.ts (AEAD
// and key check), payload.ts (pure VaultData operations), private-file.ts (permission-checked reads), lock.ts,
// atomic-write.ts, sodium.ts (lazy libsodium), vault.ts (VaultFile), errors.ts. docs/security.md has the format.
export type { StoredCredentials, CachedSession, SsoToken, VaultData, KdfParams, KeyInfo, VaultKey } from './types.js';
export {
  VaultError,
  WrongPassphraseError,
  VaultCorruptError,
  VaultTooNewError,
  VaultNotFoundError,
  VaultExistsError,
  VaultLockedError,
  VaultPermissionError,
  VaultKeyStaleError,
} from './errors.js';
export { KDF_PRESETS, deriveKey, type KdfPreset } from './kdf.js';
export {
  emptyVaultData,
  getCredentials,
  putCredentials,
  removeCredentials,
  listProfiles,
  getSession,
  putSession,
  putSessions,
  withCredentialsOf,
  getSsoToken,
  putSsoTokens,
  storeNewSessions,
  isKeysBasis,
  type KeysBasis,
  clearSessions,
  liveSessions,
  summarizeVault,
  isVaultSummary,
  type SessionSummary,
  type VaultSummary,
  diffVaultData,
  applyVaultPatch,
  isVaultPatch,
  type VaultPatch,
} from './payload.js';
export { vaultDir, vaultFilePath, wipeKey, VaultFile, type SealedVault, type VaultFileOptions } from './vault.js';
// The CLI rewrites the AWS config and credentials files with the same crash-safe replacement as the vault.
export { writeFileAtomic } from './atomic-write.js';
export { MAX_VAULT_FILE_BYTES } from './private-file.js';
export { withLock, type LockTiming } from './lock.js';
