// The vault file: where it lives, and the operations that read and replace it.
import { lstatSync, promises as fsp } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { VaultExistsError, VaultNotFoundError, WrongPassphraseError } from './errors.js';
import { decodeEnvelope } from './format.js';
import { deriveKey, KDF_PRESETS, kdfParamsProblem, SALT_BYTES } from './kdf.js';
import { withLock, type HeldLock, type LockTiming } from './lock.js';
import { emptyVaultData, isVaultData } from './payload.js';
import { checkPrivateDir, effectiveUid, notADirectory, readPrivateFile } from './private-file.js';
import { keyMatches, openData, sealData } from './seal.js';
import { loadSodium, sodiumIfLoaded } from './sodium.js';
import type { KdfParams, KeyInfo, VaultData, VaultKey } from './types.js';

/** `AWS_VAULT_FILE_DIR`, else `~/.awsvault`. */
export function vaultDir(env: NodeJS.ProcessEnv, home: string): string {
  return env.AWS_VAULT_FILE_DIR || join(home, '.awsvault');
}

/** One file, named for nothing it contains. */
export function vaultFilePath(dir: string): string {
  return join(dir, 'vault');
}

/** Overwrites the key bytes; call when a derived key is no longer needed. */
export function wipeKey(k: VaultKey): void {
  const sodium = sodiumIfLoaded();
  if (sodium) sodium.memzero(k.key);
  else k.key.fill(0);
}

export interface VaultFileOptions {
  /** How long a write waits for another process's lock before VaultLockedError (default 15 s). */
  lockTimeoutMs?: number;
  /** How long an unrefreshed lock lives before it counts as left by a dead process (default 5 s, minimum 2 s). */
  staleLockMs?: number;
  /** The user vault acts as: the vault directory and file must be theirs (default: the effective uid). */
  uid?: number;
}

/** One read of the vault file: what can be done with its bytes without reading it again. */
export interface SealedVault {
  /** The file's bytes as read: sealed, nothing in them can be read without the key. Equal bytes open alike. */
  readonly bytes: Uint8Array;
  /** The header's KDF parameters and salt. */
  readonly info: KeyInfo;
  /** Derives the key from the passphrase (WrongPassphraseError when it is not the one). */
  unlock(passphrase: string): Promise<VaultKey>;
  /** The contents, opened with a key of this file. */
  open(key: VaultKey): VaultData;
}

export class VaultFile {
  private readonly timing: LockTiming;
  private readonly uid: number | undefined;

  constructor(
    readonly path: string,
    opts: VaultFileOptions = {},
  ) {
    this.timing = { timeoutMs: opts.lockTimeoutMs ?? 15_000, staleMs: opts.staleLockMs ?? 5_000 };
    this.uid = 'uid' in opts ? opts.uid : effectiveUid();
  }

  /**
   * True if anything is at the path (even something `unlock` would refuse, so `create` never replaces it). A
   * synchronous lstat: every command asks this first, and one blocking call costs less than starting libuv's thread
   * pool and Node's promise-based file system module for it (docs/benchmarks.md, "Start-up, round 5").
   */
  async exists(): Promise<boolean> {
    try {
      lstatSync(this.path);
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return false;
      if (code === 'ENOTDIR') throw notADirectory(dirname(this.path));
      throw err;
    }
  }

  /** Creates an empty vault (directory 0700, file 0600) and returns its key. */
  async create(passphrase: string, kdf: KdfParams = KDF_PRESETS.interactive): Promise<VaultKey> {
    const problem = kdfParamsProblem(kdf);
    if (problem) throw new RangeError(problem);
    const dir = dirname(this.path);
    await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
    await checkPrivateDir(dir, this.uid);
    return withLock(this.path, this.timing, async (lock) => {
      if (await this.exists()) throw new VaultExistsError(this.path);
      const key = await this.newKey(passphrase, kdf);
      return this.writeOrWipe(key, emptyVaultData(), lock);
    });
  }

  /**
   * Reads the file once: its KDF parameters, then a key from the passphrase and the contents with it, all from the
   * same bytes, so a command that asks for the passphrase does not read the file again to open it.
   */
  async readSealed(): Promise<SealedVault> {
    const bytes = await this.readBytes();
    const sodium = await loadSodium();
    const env = decodeEnvelope(sodium, bytes, this.path);
    const { path } = this;
    return {
      bytes,
      info: env.fields.info,
      async unlock(passphrase) {
        const key: VaultKey = { key: await deriveKey(passphrase, env.fields.info), info: env.fields.info };
        if (!keyMatches(sodium, env, key.key)) {
          wipeKey(key);
          throw new WrongPassphraseError(path);
        }
        return key;
      },
      open: (key) => openData(sodium, bytes, key, path),
    };
  }

  /** Derives the key from the passphrase and the header's salt and KDF parameters, and checks it. */
  async unlock(passphrase: string): Promise<VaultKey> {
    return (await this.readSealed()).unlock(passphrase);
  }

  /** The header's KDF parameters and salt; needs no passphrase. */
  async readKeyInfo(): Promise<KeyInfo> {
    return (await this.readSealed()).info;
  }

  async read(key: VaultKey): Promise<VaultData> {
    return (await this.readSealed()).open(key);
  }

  /** Under the lock: reads the current file, applies `fn`, and replaces the file with the result. */
  async update(key: VaultKey, fn: (d: VaultData) => VaultData | Promise<VaultData>): Promise<VaultData> {
    await this.checkDir();
    return withLock(this.path, this.timing, async (lock) => {
      const next = await fn(await this.read(key));
      // A malformed payload would be sealed fine and then refuse to open as "corrupt"; stop it here instead.
      if (!isVaultData(next)) throw new TypeError('the update function returned something that is not VaultData');
      await this.write(key, next, lock);
      return next;
    });
  }

  /**
   * Under the lock: re-seals the current contents under a new passphrase with a new salt (and `kdf` if given,
   * else the current parameters). The old passphrase and keys unlocked with it stop working.
   */
  async changePassphrase(key: VaultKey, newPassphrase: string, kdf?: KdfParams): Promise<VaultKey> {
    const problem = kdf && kdfParamsProblem(kdf);
    if (problem) throw new RangeError(problem);
    await this.checkDir();
    return withLock(this.path, this.timing, async (lock) => {
      const data = await this.read(key);
      const next = await this.newKey(newPassphrase, kdf ?? key.info.kdf);
      return this.writeOrWipe(next, data, lock);
    });
  }

  private async readBytes(): Promise<Uint8Array> {
    await this.checkDir();
    return readPrivateFile(this.path, this.uid);
  }

  /** Before taking the lock too: the lock is a directory created in the vault directory. */
  private async checkDir(): Promise<void> {
    try {
      await checkPrivateDir(dirname(this.path), this.uid);
    } catch (err) {
      // No directory yet means no vault yet, which callers handle as "run vault add".
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new VaultNotFoundError(this.path);
      throw err;
    }
  }

  private async newKey(passphrase: string, kdf: KdfParams): Promise<VaultKey> {
    const sodium = await loadSodium();
    const info: KeyInfo = {
      kdf: { alg: kdf.alg, opslimit: kdf.opslimit, memlimit: kdf.memlimit },
      salt: sodium.randombytes_buf(SALT_BYTES),
    };
    return { key: await deriveKey(passphrase, info), info };
  }

  private async writeOrWipe(key: VaultKey, data: VaultData, lock: HeldLock): Promise<VaultKey> {
    try {
      await this.write(key, data, lock);
      return key;
    } catch (err) {
      wipeKey(key);
      throw err;
    }
  }

  private async write(key: VaultKey, data: VaultData, lock: HeldLock): Promise<void> {
    const sealed = sealData(await loadSodium(), data, key);
    await writeFileAtomic(this.path, sealed, () => lock.assertHeld());
  }
}
