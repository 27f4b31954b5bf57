// aws-vault's `exec --redact` (or `redact_secrets = true` in the config's [aws-vault] section): the child's stdout and
// stderr pass through vault, with the credentials it was given replaced by <REDACTED>, so a CI log that echoes its
// environment shows none of them.
import { Transform } from 'node:stream';

export const REDACTED = Buffer.from('<REDACTED>');

/**
 * Pure: redacts a byte stream chunk by chunk. A secret split across chunks is still found: the end of a chunk that
 * could be the start of a secret is held back until the next chunk (or the end) says whether it is one. Nothing
 * else is held, so a prompt without a newline still shows at once.
 */
export function outputRedactor(secrets: readonly string[]) {
  const needles = [...new Set(secrets.filter((s) => s.length > 0))].map((s) => Buffer.from(s));
  let held = Buffer.alloc(0);

  /** The earliest complete secret at or after `from` (the longest, where two start at the same byte). */
  function nextMatch(buf: Buffer, from: number): { at: number; length: number } | undefined {
    let best: { at: number; length: number } | undefined;
    for (const needle of needles) {
      const at = buf.indexOf(needle, from);
      if (at >= 0 && (!best || at < best.at || (at === best.at && needle.length > best.length))) best = { at, length: needle.length };
    }
    return best;
  }

  /** How many trailing bytes of `buf` (after `from`) are the beginning of some secret. */
  function partialTail(buf: Buffer, from: number): number {
    let longest = 0;
    for (const needle of needles) {
      const start = Math.max(from, buf.length - needle.length + 1);
      for (let at = start; at < buf.length; at++) {
        if (buf[at] !== needle[0]) continue;
        if (buf.subarray(at).equals(needle.subarray(0, buf.length - at))) {
          longest = Math.max(longest, buf.length - at);
          break;
        }
      }
    }
    return longest;
  }

  function take(buf: Buffer, final: boolean): Buffer {
    const out: Buffer[] = [];
    let pos = 0;
    for (let m = nextMatch(buf, pos); m; m = nextMatch(buf, pos)) {
      out.push(buf.subarray(pos, m.at), REDACTED);
      pos = m.at + m.length;
    }
    const keep = final ? 0 : partialTail(buf, pos);
    out.push(buf.subarray(pos, buf.length - keep));
    held = Buffer.from(buf.subarray(buf.length - keep));
    return Buffer.concat(out);
  }

  return {
    /** The redacted bytes that can be written now. */
    push: (chunk: Buffer): Buffer => take(Buffer.concat([held, chunk]), false),
    /** What was held back, at the end of the stream. */
    end: (): Buffer => take(held, true),
  };
}

/** A stream transform over outputRedactor. */
export function redactingStream(secrets: readonly string[]): Transform {
  const redactor = outputRedactor(secrets);
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const out = redactor.push(chunk);
      done(null, out.length > 0 ? out : undefined);
    },
    flush(done) {
      const out = redactor.end();
      done(null, out.length > 0 ? out : undefined);
    },
  });
}
