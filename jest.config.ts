import { availableParallelism } from 'node:os';
import type { Config } from 'jest';

// ESM throughout: ts-jest compiles TypeScript as ESM and `.js` import suffixes map back to `.ts`.
const esm = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] as [string, Record<string, unknown>] },
  testEnvironment: 'node',
};

const unit = (name: string) => ({
  ...esm,
  displayName: name,
  rootDir: `packages/${name}`,
  testMatch: ['<rootDir>/src/**/*.test.ts'],
});

const config: Config = {
  // Per-project testTimeout is ignored by jest; e2e tests need moto and real processes.
  testTimeout: 120_000,
  // jest's default (cores - 1) runs one file at a time on a 2-core machine, while an e2e file spends part of its time
  // waiting (on the processes it starts, moto, a terminal, an agent's timer). On that machine (2026-11-30): 2 workers
  // 160 s, 3 workers 152 s, 4 workers 167 s (jest's own time, the same tree). So one more worker than cores.
  maxWorkers: availableParallelism() + 1,
  projects: [
    unit('core'),
    unit('profiles'),
    unit('cli'),
    {
      ...esm,
      displayName: 'e2e',
      rootDir: 'test/e2e',
      testMatch: ['<rootDir>/**/*.test.ts'],
      // One moto server per worker for the whole run (support/moto.ts sharedMoto()); plain .mjs because jest loads
      // these hooks without the project's ESM transform.
      globalSetup: '<rootDir>/support/global-setup.mjs',
      globalTeardown: '<rootDir>/support/global-teardown.mjs',
    },
  ],
};

export default config;
