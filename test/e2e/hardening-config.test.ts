// A corpus of hostile AWS config files (support/hostile-configs.ts) through the built `vault exec`: each must give
// exactly its right outcome, either the right credentials in the child or one specific `vault: ` line with a
// non-zero exit, never a stack trace. One sandbox, one vault and one moto serve every case; cases run a few at once.
import { jest } from '@jest/globals';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { putCredentials, VaultFile } from '@vault/core';
import type { Keys } from './support/aws-setup.js';
import { expectOneLineError } from './support/expect-error.js';
import { fakeKeys } from './support/fake-keys.js';
import { hostileConfigs, STORED, type ConfigCase, type StoredProfile, type Success } from './support/hostile-configs.js';
import { sharedMoto, type SharedMoto } from './support/moto.js';
import type { RunResult } from './support/process.js';
import { recordedRequests, type RecordedRequest } from './support/recorded-requests.js';
import { FIXTURE_KDF, sandbox, type Sandbox } from './support/sandbox.js';
import { describeRun, runVault } from './support/vault.js';
import { mapLimit } from './support/vault-state.js';

jest.setTimeout(180_000);

const PASSPHRASE = 'hostile config e2e passphrase';
// Two cores: four processes keep both busy while others wait on moto or the vault lock.
const PARALLEL = 4;
/** One line, no terminal control characters: what a user can paste into an issue and a terminal cannot misrender. */
const PRINTABLE_LINE = /^vault: [^\x00-\x1f\x7f-\x9f\u2028\u2029]+\n$/;

const CASES = hostileConfigs();

let moto: SharedMoto;
let box: Sandbox;
let stored: Record<StoredProfile, Keys>;
let runs: Map<string, { result: RunResult; ms: number }>;
let assumeRequests: RecordedRequest[];

beforeAll(async () => {
  box = await sandbox();
  moto = await sharedMoto({ record: true });
  stored = Object.fromEntries(STORED.map((p) => [p, fakeKeys()])) as Record<StoredProfile, Keys>;
  // Written in-process: five `vault add` runs would cost seconds and test nothing this suite is about.
  const vault = new VaultFile(box.vaultFile);
  const key = await vault.create(PASSPHRASE, FIXTURE_KDF);
  const addedAt = new Date().toISOString();
  await vault.update(key, (data) => STORED.reduce((d, p) => putCredentials(d, p, { ...stored[p], addedAt }), data));

  const configDir = join(box.home, 'configs');
  await mkdir(configDir);
  const started = Date.now();
  const results = await mapLimit(CASES, PARALLEL, async (c) => {
    const configFile = join(configDir, `config-${c.id}`);
    await writeFile(configFile, c.config, { mode: 0o600 });
    const begun = Date.now();
    const result = await runVault(['exec', c.profile, ...(c.flags ?? []), '--', 'env', '-0'], {
      env: { ...box.env, AWS_CONFIG_FILE: configFile, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, AWS_ENDPOINT_URL_STS: moto.url },
    });
    return [c.id, { result, ms: Date.now() - begun }] as const;
  });
  runs = new Map(results);
  assumeRequests = (await recordedRequests(moto.recording!)).filter((r) => r.action === 'AssumeRole');
  const errors = CASES.filter((c) => 'error' in c.outcome).length;
  process.stdout.write(
    `config corpus: ${CASES.length} cases (${errors} errors, ${CASES.length - errors} successes) in ${((Date.now() - started) / 1000).toFixed(1)} s, ` +
      `slowest ${Math.max(...results.map(([, r]) => r.ms))} ms\n`,
  );
});
afterAll(async () => {
  await box?.remove();
});

/** The roles case `id` assumed, oldest first: its roles, and only its, are named `<id>.<name>`. */
function assumedBy(id: string): RecordedRequest[] {
  return assumeRequests.filter((r) => (r.params.RoleArn ?? '').split('/').pop()!.startsWith(`${id}.`));
}

function childEnv(result: RunResult): Record<string, string> {
  const entries = result.stdout.split('\0').filter((e) => e !== '');
  return Object.fromEntries(entries.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

function expectSuccessOf(c: ConfigCase, result: RunResult, ok: Success): void {
  const context = describeRun(result);
  expect({ code: result.code, stderr: result.stderr, context }).toEqual({ code: 0, stderr: '', context });
  const env = childEnv(result);
  expect(env.AWS_VAULT).toBe(c.profile);
  if (ok.keys === 'temporary') {
    expect(env.AWS_ACCESS_KEY_ID).toMatch(/^ASIA/);
    expect(env.AWS_SESSION_TOKEN).toBeTruthy();
  } else if ('stored' in ok.keys) {
    expect({ id: env.AWS_ACCESS_KEY_ID, secret: env.AWS_SECRET_ACCESS_KEY, token: env.AWS_SESSION_TOKEN }).toEqual({
      id: stored[ok.keys.stored].accessKeyId,
      secret: stored[ok.keys.stored].secretAccessKey,
      token: undefined,
    });
  } else {
    expect(env.AWS_ACCESS_KEY_ID).toBe(ok.keys.processKeyId);
  }
  expect({ region: env.AWS_REGION, defaultRegion: env.AWS_DEFAULT_REGION }).toEqual({ region: ok.region, defaultRegion: ok.region });
  if (ok.assumeSeconds !== undefined) {
    expect(assumedBy(c.id).map((r) => r.params.DurationSeconds)).toEqual(assumedBy(c.id).map(() => ok.assumeSeconds));
  }
}

describe('hostile AWS config files through vault exec', () => {
  it(`has at least 50 cases, each with a unique id`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(50);
    expect(new Set(CASES.map((c) => c.id)).size).toBe(CASES.length);
  });

  it.each(CASES.map((c) => [c.id, c] as const))('%s', (id, c) => {
    const { result } = runs.get(id)!;
    expect(result.stderr).not.toMatch(/^\s+at /m);
    for (const keys of Object.values(stored)) expect(result.stderr).not.toContain(keys.secretAccessKey);
    if ('error' in c.outcome) {
      expectOneLineError(result, c.outcome.error, c.outcome.exitCode ?? 1);
      expect(result.stderr).toMatch(PRINTABLE_LINE);
      expect(result.stdout).toBe('');
    } else {
      expectSuccessOf(c, result, c.outcome.ok);
    }
    // The right roles in the right order; a failing case fails before it reaches STS.
    const expected = 'ok' in c.outcome ? (c.outcome.ok.assumed ?? []) : [];
    expect(assumedBy(id).map((r) => r.params.RoleArn!.split('/').pop())).toEqual(expected);
  });

  it('answers every case within seconds, whatever its size', () => {
    const slow = [...runs].filter(([, r]) => r.ms > 15_000).map(([id, r]) => `${id}: ${r.ms} ms`);
    expect(slow).toEqual([]);
  });
});
