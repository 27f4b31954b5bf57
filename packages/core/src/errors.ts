// Every failure @vault/core reports. The `code` is stable (the CLI's catalogue keys on it); the message is one
// line naming the cause, and never contains a passphrase, key or decrypted byte.

/** Base class of every error @vault/core throws on purpose. */
export class VaultError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The passphrase does not derive the key this vault was sealed with. */
export class WrongPassphraseError extends VaultError {
  constructor(readonly path?: string) {
    super('WRONG_PASSPHRASE', path ? `wrong passphrase for the vault ${path}` : 'wrong passphrase for the vault');
  }
}

/** The file is not a vault this version can read, or it was damaged or tampered with after it was written. */
export class VaultCorruptError extends VaultError {
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super('VAULT_CORRUPT', `vault file ${path} is corrupt or was tampered with: ${detail}`);
  }
}

/** The file is a vault of a later format: not damaged, and its keys are not lost; this version cannot read it. */
export class VaultTooNewError extends VaultError {
  constructor(
    readonly path: string,
    readonly version: number,
    readonly readable: number,
  ) {
    super('VAULT_TOO_NEW', `vault file ${path} was written by a newer vault (format version ${version}; this one reads version ${readable})`);
  }
}

export class VaultNotFoundError extends VaultError {
  constructor(readonly path: string) {
    super('VAULT_NOT_FOUND', `no vault file at ${path}`);
  }
}

export class VaultExistsError extends VaultError {
  constructor(readonly path: string) {
    super('VAULT_EXISTS', `a vault file already exists at ${path}`);
  }
}

/** Another process held the vault's write lock for longer than we were willing to wait. */
export class VaultLockedError extends VaultError {
  constructor(
    readonly path: string,
    readonly detail = 'another vault process is holding its lock',
  ) {
    super('VAULT_LOCKED', `could not lock the vault ${path}: ${detail}`);
  }
}

/** The vault path is unsafe to use (symlink, not a regular file, open to other users); `detail` says how to fix it. */
export class VaultPermissionError extends VaultError {
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super('VAULT_PERMISSIONS', `refusing to use ${path}: ${detail}`);
  }
}

/** A key unlocked earlier was derived for another salt or KDF: the vault was re-sealed (passphrase changed) since. */
export class VaultKeyStaleError extends VaultError {
  constructor(readonly path: string) {
    super(
      'VAULT_KEY_STALE',
      `the passphrase of the vault ${path} was changed while this command held its key, which no longer opens it`,
    );
  }
}
