import { deriveKey, KDF_LIMITS, KDF_PRESETS, kdfParamsProblem } from './kdf.js';
import { loadSodium } from './sodium.js';
import type { KdfParams, KeyInfo } from './types.js';

const FAST: KdfParams = { alg: 'argon2id13', opslimit: 1, memlimit: 8192 };
const salt = (fill: number) => new Uint8Array(16).fill(fill);

describe('KDF_PRESETS', () => {
  it('match libsodium crypto_pwhash presets', async () => {
    const s = await loadSodium();
    expect(KDF_PRESETS.interactive).toEqual({
      alg: 'argon2id13',
      opslimit: s.crypto_pwhash_OPSLIMIT_INTERACTIVE,
      memlimit: s.crypto_pwhash_MEMLIMIT_INTERACTIVE,
    });
    expect(KDF_PRESETS.moderate).toEqual({
      alg: 'argon2id13',
      opslimit: s.crypto_pwhash_OPSLIMIT_MODERATE,
      memlimit: s.crypto_pwhash_MEMLIMIT_MODERATE,
    });
    expect(KDF_PRESETS.sensitive).toEqual({
      alg: 'argon2id13',
      opslimit: s.crypto_pwhash_OPSLIMIT_SENSITIVE,
      memlimit: s.crypto_pwhash_MEMLIMIT_SENSITIVE,
    });
  });

  it('are all within the accepted bounds', () => {
    for (const p of Object.values(KDF_PRESETS)) expect(kdfParamsProblem(p)).toBeUndefined();
  });
});

describe('kdfParamsProblem', () => {
  it.each([
    { opslimit: 0, memlimit: 8192 },
    { opslimit: KDF_LIMITS.maxOps + 1, memlimit: 8192 },
    { opslimit: 1.5, memlimit: 8192 },
    { opslimit: 1, memlimit: 8191 },
    { opslimit: 1, memlimit: KDF_LIMITS.maxMem + 1 },
    // A tampered header (checksum recomputed) that cost 53 s and 2 GB per command when 20 passes were believed.
    { opslimit: 20, memlimit: 1900 * 1024 * 1024 },
    // Near the WebAssembly build's 2 GiB ceiling libsodium fails with a raw TypeError instead of deriving.
    { opslimit: 1, memlimit: 2047 * 1024 * 1024 },
    { opslimit: 5, memlimit: 8192 },
  ])('refuses %o', (p) => {
    expect(kdfParamsProblem({ alg: 'argon2id13', ...p })).toMatch(/outside/);
  });

  it('accepts nothing costlier than the strongest preset vault itself creates', () => {
    const presets = Object.values(KDF_PRESETS);
    expect(KDF_LIMITS.maxOps).toBe(Math.max(...presets.map((p) => p.opslimit)));
    expect(KDF_LIMITS.maxMem).toBe(Math.max(...presets.map((p) => p.memlimit)));
  });
});

describe('deriveKey', () => {
  const info: KeyInfo = { kdf: FAST, salt: salt(1) };

  it('is deterministic for the same passphrase, salt and parameters', async () => {
    const a = await deriveKey('correct horse', info);
    expect(a).toHaveLength(32);
    expect(await deriveKey('correct horse', info)).toEqual(a);
  });

  it('changes with the passphrase, the salt and each parameter', async () => {
    const base = await deriveKey('pw', info);
    expect(await deriveKey('pw2', info)).not.toEqual(base);
    expect(await deriveKey('pw', { kdf: FAST, salt: salt(2) })).not.toEqual(base);
    expect(await deriveKey('pw', { kdf: { ...FAST, opslimit: 2 }, salt: salt(1) })).not.toEqual(base);
    expect(await deriveKey('pw', { kdf: { ...FAST, memlimit: 16384 }, salt: salt(1) })).not.toEqual(base);
  });

  it('gives composed and decomposed accents the same key', async () => {
    const composed = 'caf\u00e9';
    const decomposed = 'cafe\u0301';
    expect(composed).not.toBe(decomposed);
    expect(await deriveKey(decomposed, info)).toEqual(await deriveKey(composed, info));
  });

  it('refuses out-of-range parameters and short salts before doing any work', async () => {
    await expect(deriveKey('pw', { kdf: { ...FAST, opslimit: 99 }, salt: salt(1) })).rejects.toThrow(RangeError);
    await expect(deriveKey('pw', { kdf: FAST, salt: new Uint8Array(8) })).rejects.toThrow(RangeError);
  });
});
