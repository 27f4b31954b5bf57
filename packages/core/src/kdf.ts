// Argon2id13 key derivation. The parameters travel in the vault header, so a vault keeps opening after the
// defaults are raised; these bounds only decide which headers are believable.
import { loadSodium } from './sodium.js';
import type { KdfParams, KeyInfo } from './types.js';

const MiB = 1024 * 1024;

/** libsodium's crypto_pwhash OPSLIMIT/MEMLIMIT presets, written out so reading them does not load libsodium. */
export const KDF_PRESETS = {
  interactive: { alg: 'argon2id13', opslimit: 2, memlimit: 64 * MiB },
  moderate: { alg: 'argon2id13', opslimit: 3, memlimit: 256 * MiB },
  sensitive: { alg: 'argon2id13', opslimit: 4, memlimit: 1024 * MiB },
} as const satisfies Record<string, KdfParams>;

export type KdfPreset = keyof typeof KDF_PRESETS;

export const KEY_BYTES = 32;
export const SALT_BYTES = 16;

/** crypto_pwhash_ALG_ARGON2ID13. */
const ALG_ARGON2ID13 = 2;

// A hostile or damaged header must not make us burn minutes or gigabytes before we can say "corrupt", so nothing
// costlier than the strongest preset vault itself creates is believed (`vault passphrase --kdf sensitive`: 4 passes
// of 1 GiB, about 5 s). 8 KiB / 1 pass are Argon2id's minimums: cheap parameters cost an attacker nothing to forge
// and us nothing to try (the key check then fails).
export const KDF_LIMITS = {
  minOps: 1,
  maxOps: KDF_PRESETS.sensitive.opslimit,
  minMem: 8 * 1024,
  maxMem: KDF_PRESETS.sensitive.memlimit,
} as const;

/** Why these parameters cannot be used, or undefined when they can. */
export function kdfParamsProblem(kdf: KdfParams): string | undefined {
  const { minOps, maxOps, minMem, maxMem } = KDF_LIMITS;
  if (kdf.alg !== 'argon2id13') return `unknown KDF ${String(kdf.alg)}`;
  if (!Number.isInteger(kdf.opslimit) || kdf.opslimit < minOps || kdf.opslimit > maxOps) {
    return `KDF opslimit ${kdf.opslimit} is outside ${minOps}..${maxOps}`;
  }
  if (!Number.isInteger(kdf.memlimit) || kdf.memlimit < minMem || kdf.memlimit > maxMem) {
    return `KDF memlimit ${kdf.memlimit} is outside ${minMem}..${maxMem} bytes`;
  }
  return undefined;
}

/**
 * Derives the 32-byte vault key. The passphrase is NFC-normalised first so the same characters typed through
 * different keyboards or terminals (composed vs decomposed accents) give the same key.
 */
export async function deriveKey(passphrase: string, info: KeyInfo): Promise<Uint8Array> {
  const problem = kdfParamsProblem(info.kdf);
  if (problem) throw new RangeError(problem);
  if (info.salt.length !== SALT_BYTES) throw new RangeError(`salt must be ${SALT_BYTES} bytes`);
  const sodium = await loadSodium();
  const secret = new TextEncoder().encode(passphrase.normalize('NFC'));
  try {
    return sodium.crypto_pwhash(KEY_BYTES, secret, info.salt, info.kdf.opslimit, info.kdf.memlimit, ALG_ARGON2ID13);
  } finally {
    sodium.memzero(secret);
  }
}
