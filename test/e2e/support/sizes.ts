/**
 * `npm test` runs the randomized corpora (crash kills, fuzzing) at a size that still hits every case they look for;
 * `npm run test:full` sets VAULT_E2E_FULL=1 for the full sizes (docs/development.md says what each proves).
 */
export const FULL_SIZE = process.env.VAULT_E2E_FULL === '1';

/** `quick` in `npm test`, `full` in `npm run test:full`. */
export function corpusSize(quick: number, full: number): number {
  return FULL_SIZE ? full : quick;
}
