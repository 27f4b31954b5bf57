import { readFileSync } from 'node:fs';

/**
 * The version of the installed @vault/cli. This file sits one level below package.json both compiled (dist/) and
 * bundled (bundle/, one flat directory), so the relative URL holds for both.
 */
export function cliVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}
