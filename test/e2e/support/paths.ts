import { fileURLToPath } from 'node:url';

/** The built CLI entry point, found from this file so tests work from any directory; run it with `node`. */
export const vaultBin = fileURLToPath(new URL('../../../packages/cli/bin/vault.cjs', import.meta.url));
