import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ConfigParseError, ConfigReadError } from './errors.js';
import { parseConfigText } from './parse.js';
import type { ConfigFile } from './types.js';

/**
 * Real config files are kilobytes (20,000 profiles are about 1 MiB); anything past this is a wrong path such as
 * AWS_CONFIG_FILE=/dev/zero, which would otherwise be read until memory runs out.
 */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/** Reads and parses a config or credentials file. A file that does not exist is an empty file, as for the AWS CLI. */
export async function readConfigFile(path: string, kind: ConfigFile['kind']): Promise<ConfigFile> {
  return parseConfigText((await readConfigText(path)) ?? '', path, kind);
}

/**
 * The text of a config or credentials file, undefined when it does not exist; read bounded, so every reader of
 * these files (the editors too) refuses /dev/zero or a huge file the same way. Bytes that are not UTF-8 read as
 * U+FFFD, harmless to a reader (in a comment, say); an editor passes `forEdit`, and such a file is refused instead of
 * written back with those bytes replaced.
 */
export async function readConfigText(path: string, options: { forEdit?: boolean } = {}): Promise<string | undefined> {
  let bytes: Buffer;
  try {
    bytes = readBounded(path, MAX_CONFIG_BYTES);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new ConfigReadError(path, READ_FAILURES[code ?? ''] ?? (err as Error).message);
  }
  // Windows editors save UTF-16 with a byte order mark; decoded as UTF-8 it would read as garbage on line 1.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new ConfigParseError(path, 1, 'the file is UTF-16 text; save it as UTF-8');
  }
  const text = bytes.toString('utf8');
  if (options.forEdit && text.includes('\uFFFD') && !Buffer.from(text, 'utf8').equals(bytes)) {
    const line = text.slice(0, text.indexOf('\uFFFD')).split('\n').length;
    throw new ConfigParseError(path, line, 'bytes that are not UTF-8 text (the AWS CLI cannot read them either); vault edits the file only once they are fixed');
  }
  return text;
}

/**
 * The file's bytes, reading at most `max + 1` of them; TOO_LARGE when there are more than `max`. Synchronous: the
 * config is the one file a cached command reads, and a blocking read of a few kilobytes costs far less than the
 * promise-based file system module and libuv's thread pool it would start (docs/benchmarks.md, "Start-up, round 5").
 */
function readBounded(path: string, max: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    // A regular file is read whole in one call; devices and pipes report size 0 and are read in chunks.
    const chunkBytes = Math.min(max + 1, Math.max(64 * 1024, fstatSync(fd).size + 1));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(chunkBytes);
      const bytesRead = readSync(fd, chunk, 0, chunkBytes, null);
      // One chunk (a regular file) is returned as it is: copying a large config again costs milliseconds.
      if (bytesRead === 0) return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > max) throw Object.assign(new Error('too large'), { code: TOO_LARGE });
    }
  } finally {
    closeSync(fd);
  }
}

const TOO_LARGE = 'VAULT_CONFIG_TOO_LARGE';

const READ_FAILURES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory, not a file',
  [TOO_LARGE]: `it is larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MiB, which no AWS config file is`,
};
