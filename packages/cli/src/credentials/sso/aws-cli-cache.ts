// The AWS CLI v2's SSO token cache, read only: ~/.aws/sso/cache/<sha1 of the sso-session name, or of the start
// URL for a legacy profile>.json. vault never writes there; its own sign-ins are sealed in the vault.
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import type { SsoToken } from '@vault/core';

/** The cache file of a sign-in, as botocore's SSOTokenLoader names it. */
export function cliCacheFile(home: string, cacheKey: string): string {
  return join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update(cacheKey, 'utf8').digest('hex')}.json`);
}

/** The token in the AWS CLI's cache for `cacheKey`, or undefined when there is none or it is not readable as one. */
export async function readCliToken(home: string, cacheKey: string): Promise<SsoToken | undefined> {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(await fsp.readFile(cliCacheFile(home, cacheKey), 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const text = (key: string) => (typeof parsed[key] === 'string' ? (parsed[key] as string) : undefined);
  const [startUrl, region, accessToken, expiresAt] = ['startUrl', 'region', 'accessToken', 'expiresAt'].map(text);
  if (!startUrl || !region || !accessToken || !expiresAt || Number.isNaN(Date.parse(expiresAt))) return undefined;
  // Only the token: its refresh token and client registration stay the AWS CLI's to use.
  return { startUrl, region, accessToken, expiresAt: new Date(expiresAt).toISOString() };
}
