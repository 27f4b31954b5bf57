// Reading the vault only when it is private, the way ssh treats its keys: a vault that other users can read,
// or that a symlink redirects, is refused rather than trusted.
import { constants, type Stats, promises as fsp } from 'node:fs';
import { VaultCorruptError, VaultNotFoundError, VaultPermissionError } from './errors.js';

const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = constants;

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

/**
 * The largest vault file read. A vault of 1,000 keys and their sessions is about 150 kB; this leaves room for a
 * hundred times that, and bounds what a wrong file at the vault's path costs (a 1 GiB file took 12.8 s and 1.1 GB).
 */
export const MAX_VAULT_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Reads the file after checking it through the descriptor it is read from, so it cannot be swapped between
 * check and read. O_NOFOLLOW refuses symlinks; O_NONBLOCK keeps a FIFO planted at the path from hanging us.
 */
export async function readPrivateFile(path: string, uid: number | undefined): Promise<Uint8Array> {
  let handle;
  try {
    handle = await fsp.open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new VaultNotFoundError(path);
    if (code === 'ELOOP') {
      throw new VaultPermissionError(path, 'it is a symlink; replace it with the file it points to');
    }
    throw err;
  }
  try {
    const st = await handle.stat();
    checkFileStats(path, st, uid);
    // Checked before reading: a huge file at the vault's path would otherwise be read whole into memory first.
    if (st.size > MAX_VAULT_FILE_BYTES) {
      throw new VaultCorruptError(path, `it is ${st.size} bytes, and no vault is larger than ${MAX_VAULT_FILE_BYTES / 1024 / 1024} MiB`);
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

export function checkFileStats(path: string, st: Stats, uid: number | undefined): void {
  if (st.isDirectory()) throw new VaultPermissionError(path, `it is a directory, not a vault file; move it away, or set AWS_VAULT_FILE_DIR to another directory`);
  if (!st.isFile()) throw new VaultPermissionError(path, `it is not a regular file; move it away, or set AWS_VAULT_FILE_DIR to another directory`);
  checkOwner(path, 'it', st, uid);
  if ((st.mode & 0o077) !== 0) {
    throw new VaultPermissionError(
      path,
      `it is accessible by other users (mode ${octal(st.mode)}); run \`chmod 600 ${path}\``,
    );
  }
}

/** The effective uid vault runs as; undefined where there is none (Windows), which skips the owner checks. */
export function effectiveUid(): number | undefined {
  return process.geteuid?.();
}

/**
 * Another user's vault is refused, root included: root writing into a user's vault (sudo keeping HOME) would leave
 * root-owned files there that the user then cannot replace, and the user's data is not root's to decrypt anyway.
 */
function checkOwner(path: string, what: string, st: Stats, uid: number | undefined): void {
  if (uid === undefined || st.uid === uid) return;
  throw new VaultPermissionError(
    path,
    `${what} belongs to uid ${st.uid}, not to uid ${uid} running vault; run vault as the user who owns it (not with sudo)`,
  );
}

export function notADirectory(dir: string): VaultPermissionError {
  return new VaultPermissionError(dir, 'the vault directory is not a directory; move that file away, or set AWS_VAULT_FILE_DIR (--file-dir) to a directory');
}

/**
 * The directory may be readable by others (it shows only a file named "vault"), but not writable: whoever can
 * write there can replace the vault or squat its lock.
 */
export async function checkPrivateDir(dir: string, uid: number | undefined): Promise<void> {
  const st = await fsp.stat(dir);
  if (!st.isDirectory()) throw notADirectory(dir);
  checkOwner(dir, 'the vault directory', st, uid);
  if ((st.mode & 0o022) !== 0) {
    throw new VaultPermissionError(
      dir,
      `the vault directory is writable by other users (mode ${octal(st.mode)}); run \`chmod 700 ${dir}\``,
    );
  }
}
