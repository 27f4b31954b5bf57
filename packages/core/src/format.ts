// The sealed file's byte layout (docs/security.md describes it byte by byte). Decoding checks everything that
// can be checked without the passphrase, so damage is reported as corruption before any key is derived.
import { VaultCorruptError, VaultTooNewError } from './errors.js';
import { kdfParamsProblem, KEY_BYTES, SALT_BYTES } from './kdf.js';
import type { Sodium } from './sodium.js';
import type { KdfParams, KeyInfo } from './types.js';

const MAGIC = [0x41, 0x56, 0x4c, 0x54]; // "AVLT"
const FORMAT_VERSION = 1;
const KDF_ID_ARGON2ID13 = 1;

export const KEY_CHECK_BYTES = KEY_BYTES;
export const NONCE_BYTES = 24; // crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
export const TAG_BYTES = 16; // crypto_aead_xchacha20poly1305_ietf_ABYTES
const CHECKSUM_BYTES = 16;
/** Plaintext is padded to a multiple of this, so the file size hints little at how much is stored. */
export const PAD_BLOCK = 512;

const OFFSET = {
  version: 4,
  kdfId: 5,
  opslimit: 6,
  memlimit: 10,
  salt: 14,
  keyCheck: 14 + SALT_BYTES,
  nonce: 14 + SALT_BYTES + KEY_CHECK_BYTES,
  checksum: 14 + SALT_BYTES + KEY_CHECK_BYTES + NONCE_BYTES,
} as const;
export const HEADER_BYTES = OFFSET.checksum + CHECKSUM_BYTES;

/** Header fields; `keyCheck` proves a derived key right without decrypting. */
export interface Header {
  info: KeyInfo;
  keyCheck: Uint8Array;
  nonce: Uint8Array;
}

/** A parsed file: `header` bytes are the AEAD's associated data, `ciphertext` includes the tag. */
export interface Envelope {
  fields: Header;
  header: Uint8Array;
  ciphertext: Uint8Array;
}

export function encodeHeader(sodium: Sodium, h: Header): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  out[OFFSET.version] = FORMAT_VERSION;
  out[OFFSET.kdfId] = KDF_ID_ARGON2ID13;
  view.setUint32(OFFSET.opslimit, h.info.kdf.opslimit, false);
  view.setUint32(OFFSET.memlimit, h.info.kdf.memlimit, false);
  out.set(h.info.salt, OFFSET.salt);
  out.set(h.keyCheck, OFFSET.keyCheck);
  out.set(h.nonce, OFFSET.nonce);
  out.set(checksum(sodium, out), OFFSET.checksum);
  return out;
}

/** Splits and validates a file; throws VaultCorruptError naming the first problem found. */
export function decodeEnvelope(sodium: Sodium, bytes: Uint8Array, path: string): Envelope {
  const corrupt = (detail: string) => new VaultCorruptError(path, detail);
  if (bytes.length === 0) throw corrupt('the file is empty');
  if (bytes.length < MAGIC.length || MAGIC.some((b, i) => bytes[i] !== b)) throw corrupt('not a vault file');
  if (bytes[OFFSET.version] !== FORMAT_VERSION) {
    const v = bytes[OFFSET.version];
    // Said apart from damage: the advice for a corrupt file (restore it, or add the keys again) would lose nothing
    // here but would be wrong; the vault that wrote it reads it.
    // Only a whole header whose checksum (which covers the version byte) holds: a flipped byte is damage, and so is a
    // version far past this one.
    const whole = bytes.length >= HEADER_BYTES && sodium.memcmp(checksum(sodium, bytes.slice(0, HEADER_BYTES)), bytes.slice(OFFSET.checksum, HEADER_BYTES));
    if (v !== undefined && v > FORMAT_VERSION && v <= FORMAT_VERSION + 15 && whole) throw new VaultTooNewError(path, v, FORMAT_VERSION);
    throw corrupt(v === undefined ? 'the file is truncated' : `unsupported format version ${v}`);
  }
  if (bytes.length < HEADER_BYTES + TAG_BYTES + PAD_BLOCK) throw corrupt('the file is truncated');
  const overhang = (bytes.length - HEADER_BYTES - TAG_BYTES) % PAD_BLOCK;
  if (overhang !== 0) throw corrupt(`the file length is off by ${overhang} bytes (truncated or appended to)`);
  if (bytes[OFFSET.kdfId] !== KDF_ID_ARGON2ID13) throw corrupt(`unknown KDF id ${bytes[OFFSET.kdfId]}`);
  const header = bytes.slice(0, HEADER_BYTES);
  // The checksum comes before the parameter bounds so a flipped bit reads as damage, not as a strange setting.
  if (!sodium.memcmp(checksum(sodium, header), header.subarray(OFFSET.checksum))) {
    throw corrupt('header checksum mismatch');
  }
  const view = new DataView(header.buffer);
  const kdf: KdfParams = {
    alg: 'argon2id13',
    opslimit: view.getUint32(OFFSET.opslimit, false),
    memlimit: view.getUint32(OFFSET.memlimit, false),
  };
  const problem = kdfParamsProblem(kdf);
  if (problem) throw corrupt(problem);
  return {
    fields: {
      info: { kdf, salt: header.slice(OFFSET.salt, OFFSET.salt + SALT_BYTES) },
      keyCheck: header.slice(OFFSET.keyCheck, OFFSET.keyCheck + KEY_CHECK_BYTES),
      nonce: header.slice(OFFSET.nonce, OFFSET.nonce + NONCE_BYTES),
    },
    header,
    ciphertext: bytes.slice(HEADER_BYTES),
  };
}

/** Unkeyed BLAKE2b-128 of the header bytes before the checksum: detects accidental damage only. */
function checksum(sodium: Sodium, header: Uint8Array): Uint8Array {
  return sodium.crypto_generichash(CHECKSUM_BYTES, header.subarray(0, OFFSET.checksum), null);
}
