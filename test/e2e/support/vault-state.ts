// What the hardening tests observe from outside the CLI: the vault's decrypted contents (through @vault/core,
// in-process, so checking after each of hundreds of runs costs no process start), the exact state of a directory
// tree, and whether a secret was written anywhere in plaintext.
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { VaultFile, type VaultData, type VaultKey } from '@vault/core';

export interface OpenedVault {
  file: VaultFile;
  key: VaultKey;
  read(): Promise<VaultData>;
}

/** Unlocks once; the key keeps opening the file across saves until the passphrase changes (the salt stays). */
export async function unlockInProcess(path: string, passphrase: string): Promise<OpenedVault> {
  const file = new VaultFile(path);
  const key = await file.unlock(passphrase);
  return { file, key, read: () => file.read(key) };
}

/**
 * One line per entry under `root` (type, mode, size, mtime, content hash or link target), so two snapshots are
 * equal exactly when nothing was created, removed, replaced, written or chmod-ed.
 */
export async function snapshotTree(root: string): Promise<string[]> {
  const lines: string[] = [];
  async function visit(path: string, rel: string): Promise<void> {
    const st = await lstat(path);
    const mode = (st.mode & 0o7777).toString(8);
    if (st.isDirectory()) {
      lines.push(`${rel}/ dir ${mode}`);
      for (const name of (await readdir(path)).sort()) await visit(join(path, name), `${rel}/${name}`);
    } else if (st.isSymbolicLink()) {
      lines.push(`${rel} link -> ${await readlink(path)}`);
    } else if (st.isFile()) {
      const hash = createHash('sha256').update(await readFile(path)).digest('hex');
      lines.push(`${rel} file ${mode} ${st.size} ${st.mtimeMs} ${hash}`);
    } else {
      lines.push(`${rel} other ${mode}`);
    }
  }
  await visit(root, '.');
  return lines;
}

/** Regular files under `dir`, recursively; a missing directory has none. */
export async function filesUnder(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const nested = await Promise.all(
    entries.map((e) => {
      const path = join(dir, e.name);
      if (e.isDirectory()) return filesUnder(path);
      return Promise.resolve(e.isFile() ? [path] : []);
    }),
  );
  return nested.flat();
}

/** The byte forms a careless write could leave a secret in: as is, UTF-16, base64 and hex. */
export function encodings(secret: string): Buffer[] {
  const base64 = Buffer.from(secret).toString('base64').replace(/=+$/, '');
  return [
    Buffer.from(secret, 'utf8'),
    Buffer.from(secret, 'utf16le'),
    Buffer.from(base64),
    Buffer.from(Buffer.from(secret).toString('hex')),
  ];
}

/** "file: name" for every file under `dirs` holding any named secret in any of its encodings. */
export async function plaintextHits(dirs: string[], secrets: Record<string, string>): Promise<string[]> {
  const hits: string[] = [];
  for (const file of (await Promise.all(dirs.map(filesUnder))).flat()) {
    const bytes = await readFile(file);
    for (const [name, secret] of Object.entries(secrets)) {
      if (encodings(secret).some((form) => bytes.includes(form))) hits.push(`${file}: ${name}`);
    }
  }
  return hits;
}

/** Maps `items` through `fn` with at most `limit` running at once, keeping the order of the results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
