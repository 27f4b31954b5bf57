// Sealing and opening the payload with XChaCha20-Poly1305, the whole header bound as associated data.
// The derived vault key is never used directly: two subkeys are split off it, one to encrypt, one published in
// the header as the key check, so the check reveals nothing about the encryption key.
import { VaultCorruptError, VaultKeyStaleError, WrongPassphraseError } from './errors.js';
import { decodeEnvelope, encodeHeader, NONCE_BYTES, PAD_BLOCK, type Envelope, KEY_CHECK_BYTES } from './format.js';
import { KEY_BYTES } from './kdf.js';
import { isVaultData } from './payload.js';
import type { Sodium } from './sodium.js';
import type { KeyInfo, VaultData, VaultKey } from './types.js';

const SUBKEY_CONTEXT = 'avlt-key'; // crypto_kdf contexts are exactly 8 bytes
const SUBKEY_ENCRYPT = 1;
const SUBKEY_CHECK = 2;

/** True when `key` is the one this file was sealed with (constant-time comparison). */
export function keyMatches(sodium: Sodium, env: Envelope, key: Uint8Array): boolean {
  return sodium.memcmp(keyCheck(sodium, key), env.fields.keyCheck);
}

export function sealData(sodium: Sodium, data: VaultData, key: VaultKey): Uint8Array {
  const plaintext = encodePayload(data);
  try {
    return sealPlaintext(sodium, plaintext, key);
  } finally {
    sodium.memzero(plaintext);
  }
}

/** Seals raw plaintext under a fresh random nonce; separate from sealData so tests can seal malformed payloads. */
export function sealPlaintext(sodium: Sodium, plaintext: Uint8Array, key: VaultKey): Uint8Array {
  const nonce = sodium.randombytes_buf(NONCE_BYTES);
  const header = encodeHeader(sodium, { info: key.info, keyCheck: keyCheck(sodium, key.key), nonce });
  const encKey = sodium.crypto_kdf_derive_from_key(KEY_BYTES, SUBKEY_ENCRYPT, SUBKEY_CONTEXT, key.key);
  try {
    const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, header, null, nonce, encKey);
    const out = new Uint8Array(header.length + ciphertext.length);
    out.set(header, 0);
    out.set(ciphertext, header.length);
    return out;
  } finally {
    sodium.memzero(encKey);
  }
}

/**
 * Opens a file with a key unlocked earlier. Checks, in order: the envelope (corrupt), that the key was derived
 * for this header's salt and KDF (stale), the key check (wrong key), the AEAD tag and the payload (corrupt).
 */
export function openData(sodium: Sodium, bytes: Uint8Array, key: VaultKey, path: string): VaultData {
  const env = decodeEnvelope(sodium, bytes, path);
  if (!sameKeyInfo(env.fields.info, key.info)) throw new VaultKeyStaleError(path);
  if (!keyMatches(sodium, env, key.key)) throw new WrongPassphraseError(path);
  const encKey = sodium.crypto_kdf_derive_from_key(KEY_BYTES, SUBKEY_ENCRYPT, SUBKEY_CONTEXT, key.key);
  let plaintext: Uint8Array;
  try {
    const { ciphertext, header, fields } = env;
    plaintext = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, header, fields.nonce, encKey);
  } catch {
    throw new VaultCorruptError(path, 'the encrypted payload fails authentication');
  } finally {
    sodium.memzero(encKey);
  }
  try {
    const data = decodePayload(plaintext);
    if (!data) throw new VaultCorruptError(path, 'the decrypted payload is not a valid vault payload');
    return data;
  } finally {
    sodium.memzero(plaintext);
  }
}

function keyCheck(sodium: Sodium, key: Uint8Array): Uint8Array {
  return sodium.crypto_kdf_derive_from_key(KEY_CHECK_BYTES, SUBKEY_CHECK, SUBKEY_CONTEXT, key);
}

function sameKeyInfo(a: KeyInfo, b: KeyInfo): boolean {
  return (
    a.kdf.alg === b.kdf.alg &&
    a.kdf.opslimit === b.kdf.opslimit &&
    a.kdf.memlimit === b.kdf.memlimit &&
    a.salt.length === b.salt.length &&
    a.salt.every((byte, i) => byte === b.salt[i])
  );
}

/** JSON, right-padded with spaces (which JSON ignores) to a whole number of blocks. */
export function encodePayload(data: VaultData): Uint8Array {
  const json = JSON.stringify(data);
  const size = Buffer.byteLength(json, 'utf8');
  const out = new Uint8Array(Math.max(1, Math.ceil(size / PAD_BLOCK)) * PAD_BLOCK).fill(0x20);
  new TextEncoder().encodeInto(json, out);
  return out;
}

// Parse errors are swallowed on purpose: their messages quote the plaintext, which holds secrets.
function decodePayload(plaintext: Uint8Array): VaultData | undefined {
  try {
    const parsed: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
    return isVaultData(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
