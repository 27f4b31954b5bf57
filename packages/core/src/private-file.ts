// Reading the vault only when it is private, the way ssh treats its keys: a vault that other users can read,
// or that a symlink redirects, is refused rather than trusted.
import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { VaultNotFoundError, VaultPermissionError } from './errors.js';

const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = constants;

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

/**
 * Reads the file after checking it through the descriptor it is read from, so it cannot be swapped between
 * check and read. O_NOFOLLOW refuses symlinks; O_NONBLOCK keeps a FIFO planted at the path from hanging us.
 */
export async function readPrivateFile(path: string): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new VaultNotFoundError(path);
    if (code === 'ELOOP') {
      throw new VaultPermissionError(path, 'it is a symlink; replace it with the file it points to');
    }
    throw err;
  }
  try {
    checkFileStats(path, await handle.stat());
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

export function checkFileStats(path: string, st: Stats): void {
  if (st.isDirectory()) throw new VaultPermissionError(path, 'it is a directory, not a vault file');
  if (!st.isFile()) throw new VaultPermissionError(path, 'it is not a regular file');
  if ((st.mode & 0o077) !== 0) {
    throw new VaultPermissionError(
      path,
      `it is accessible by other users (mode ${octal(st.mode)}); run \`chmod 600 ${path}\``,
    );
  }
}

export function notADirectory(dir: string): VaultPermissionError {
  return new VaultPermissionError(dir, 'the vault directory is not a directory');
}

/**
 * The directory may be readable by others (it shows only a file named "vault"), but not writable: whoever can
 * write there can replace the vault or squat its lock.
 */
export async function checkPrivateDir(dir: string): Promise<void> {
  const st = await stat(dir);
  if (!st.isDirectory()) throw notADirectory(dir);
  if ((st.mode & 0o022) !== 0) {
    throw new VaultPermissionError(
      dir,
      `the vault directory is writable by other users (mode ${octal(st.mode)}); run \`chmod 700 ${dir}\``,
    );
  }
}
