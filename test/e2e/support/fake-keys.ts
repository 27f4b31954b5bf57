import { randomBytes } from 'node:crypto';

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * Keys shaped like IAM's (AKIA + 16 characters, a 40-character secret) but random, so a search for them in
 * the vault directory cannot hit by accident and cannot pass because of a fixed example value.
 */
export function fakeKeys(): { accessKeyId: string; secretAccessKey: string } {
  const id = [...randomBytes(16)].map((b) => UPPER_ALNUM[b % 32]).join('');
  const secret = randomBytes(30).toString('base64').replace(/\+/g, 'x').replace(/\//g, 'y');
  return { accessKeyId: `AKIA${id}`, secretAccessKey: secret };
}
