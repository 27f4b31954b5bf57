// scripts/fuzz.mjs, bounded, inside `npm test`: a few seconds over the vault-file decoder, the payload checks and
// the config parser and resolver, with a fresh seed each run (FUZZ_SEED=N replays one). `npm run test:full` and
// `npm run fuzz` run the same targets for a minute (the latter as long as asked).
import { jest } from '@jest/globals';
import { randomInt } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { run } from './support/process.js';
import { cleanEnv } from './support/sandbox.js';
import { corpusSize } from './support/sizes.js';

jest.setTimeout(corpusSize(60_000, 120_000));

const FUZZ = fileURLToPath(new URL('../../scripts/fuzz.mjs', import.meta.url));
const SECONDS = corpusSize(5, 60);
const TARGETS = ['vault-file', 'payload', 'config'];

interface TargetResult {
  target: string;
  cases: number;
  seconds: number;
  failed: boolean;
  report?: string;
}

it(`finds no counterexample in ${SECONDS} s of fuzzing`, async () => {
  const seed = process.env.FUZZ_SEED ?? String(randomInt(2 ** 31));
  const result = await run(process.execPath, [FUZZ, String(SECONDS), '--json', '--seed', seed], { env: cleanEnv(), timeoutMs: (SECONDS + 45) * 1000 });
  const replay = `replay: node scripts/fuzz.mjs ${SECONDS} --seed ${seed}`;
  expect({ code: result.code, stderr: result.stderr, replay }).toEqual({ code: 0, stderr: '', replay });
  const { results } = JSON.parse(result.stdout) as { results: TargetResult[] };
  process.stdout.write(`fuzz (seed ${seed}): ${results.map((r) => `${r.target} ${r.cases} cases`).join(', ')}\n`);
  expect(results.map((r) => r.target)).toEqual(TARGETS);
  expect(results.filter((r) => r.failed)).toEqual([]);
  // Each target really ran: a harness that stopped early would pass with nothing checked.
  for (const r of results) expect({ target: r.target, ranEnough: r.cases >= 20 }).toEqual({ target: r.target, ranEnough: true });
});
