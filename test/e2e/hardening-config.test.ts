// A corpus of hostile AWS config files (support/hostile-configs.ts): each must give exactly its right outcome,
// either the right credentials or one specific `vault: ` line with a non-zero exit, never a stack trace. Every case
// runs in-process (support/in-process.ts) as `vault export --format env`: export resolves a profile through the same
// code as exec (profileCredentials) and prints the variables exec gives its child, all but AWS_VAULT. A few cases
// also run through the built `vault exec … -- env -0`, for what only the process shows: the child's environment
// (AWS_VAULT included), the real exit status, one stderr line, and the time a huge file takes. One sandbox and one
// moto serve every case; each way of running has a vault of its own, so neither finds the other's cached sessions.
import { jest } from '@jest/globals';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { putCredentials, VaultFile } from '@vault/core';
import type { Keys } from './support/aws-setup.js';
import { expectOneLineError } from './support/expect-error.js';
import { fakeKeys } from './support/fake-keys.js';
import { hostileConfigs, STORED, type ConfigCase, type StoredProfile, type Success } from './support/hostile-configs.js';
import { runInProcess } from './support/in-process.js';
import { sharedMoto, type SharedMoto } from './support/moto.js';
import type { RunResult } from './support/process.js';
import { stsLog, type RecordedRequest } from './support/recorded-requests.js';
import { FIXTURE_KDF, sandbox, type Sandbox } from './support/sandbox.js';
import { describeRun, runVault } from './support/vault.js';
import { mapLimit } from './support/vault-state.js';

jest.setTimeout(180_000);

const PASSPHRASE = 'hostile config e2e passphrase';
/** One line, no terminal control characters: what a user can paste into an issue and a terminal cannot misrender. */
const PRINTABLE_LINE = /^vault: [^\x00-\x1f\x7f-\x9f\u2028\u2029]+\n$/;

/**
 * What "within seconds" allows a case. In-process the largest take about 0.1 s; the first run, and the first to
 * call STS, also load their modules, and a loaded machine stretches everything.
 */
const WITHIN_MS = 15_000;

const CASES = hostileConfigs();
/**
 * Through the built binary as well: a chain of two roles in a file with CR line ends, a credential_process (a
 * helper child of the vault process) as a role's source, an error carrying terminal escapes to the real stderr, and
 * the largest file, 8 MB on one line.
 */
const ON_BINARY = ['cr-only', 'process-then-role', 'terminal-escapes', 'huge-single-line'];

/** How one case ran: the result, what the command got (exec's child environment or export's variables), its AssumeRoles. */
interface CaseRun {
  result: RunResult;
  variables: Record<string, string>;
  assumed: RecordedRequest[];
  ms: number;
}

let moto: SharedMoto;
let box: Sandbox;
let stored: Record<StoredProfile, Keys>;
let inProcess: Map<string, CaseRun>;
let onBinary: Map<string, CaseRun>;

/** A vault at `dir`/vault holding the keys of STORED, written through @vault/core: `vault add` runs test nothing here. */
async function storedVault(dir: string): Promise<void> {
  const vault = new VaultFile(join(dir, 'vault'));
  const key = await vault.create(PASSPHRASE, FIXTURE_KDF);
  const addedAt = new Date().toISOString();
  await vault.update(key, (data) => STORED.reduce((d, p) => putCredentials(d, p, { ...stored[p], addedAt }), data));
}

/** Runs `cases` one way, `limit` at once, and sorts the AssumeRole requests moto recorded meanwhile to their cases. */
async function runCases(
  cases: readonly ConfigCase[],
  limit: number,
  vaultDir: string,
  once: (c: ConfigCase, env: Record<string, string>) => Promise<{ result: RunResult; variables: Record<string, string> }>,
): Promise<Map<string, CaseRun>> {
  const log = stsLog(moto.recording!);
  await log.mark();
  const runs = await mapLimit(cases, limit, async (c) => {
    const env = {
      ...box.env,
      AWS_CONFIG_FILE: join(box.home, 'configs', `config-${c.id}`),
      AWS_VAULT_FILE_DIR: vaultDir,
      AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE,
      AWS_ENDPOINT_URL_STS: moto.url,
    };
    const begun = Date.now();
    const run = await once(c, env);
    return { c, ...run, ms: Date.now() - begun };
  });
  const assumeRoles = (await log.since()).filter((r) => r.action === 'AssumeRole');
  return new Map(runs.map(({ c, ...run }) => [c.id, { ...run, assumed: assumedBy(c.id, assumeRoles) }]));
}

/** The roles case `id` assumed, oldest first: its roles, and only its, are named `<id>.<name>`. */
function assumedBy(id: string, requests: RecordedRequest[]): RecordedRequest[] {
  return requests.filter((r) => (r.params.RoleArn ?? '').split('/').pop()!.startsWith(`${id}.`));
}

/** The runs that took longer than `ms`, named. */
function slowerThan(runs: Map<string, CaseRun>, ms: number): string[] {
  return [...runs].filter(([, r]) => r.ms > ms).map(([id, r]) => `${id}: ${r.ms} ms`);
}

/** The `n` slowest runs, for the log. */
function slowest(runs: Map<string, CaseRun>, n: number): string {
  const sorted = [...runs].sort(([, a], [, b]) => b.ms - a.ms);
  return sorted.slice(0, n).map(([id, r]) => `${id} ${r.ms} ms`).join(', ');
}

/** `KEY=value` pairs split at the first `=`: lines of `export --format env`, NUL-separated entries of `env -0`. */
function variables(text: string, separator: string): Record<string, string> {
  const entries = text.split(separator).filter((e) => e !== '');
  return Object.fromEntries(entries.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

beforeAll(async () => {
  box = await sandbox();
  moto = await sharedMoto({ record: true });
  stored = Object.fromEntries(STORED.map((p) => [p, fakeKeys()])) as Record<StoredProfile, Keys>;
  await Promise.all([storedVault(join(box.home, 'in-process')), storedVault(join(box.home, 'binary'))]);
  await mkdir(join(box.home, 'configs'));
  await Promise.all(CASES.map((c) => writeFile(join(box.home, 'configs', `config-${c.id}`), c.config, { mode: 0o600 })));

  const started = Date.now();
  // One at a time: a case takes milliseconds here, and its time is then its own.
  inProcess = await runCases(CASES, 1, join(box.home, 'in-process'), async (c, env) => {
    const result = await runInProcess(['export', c.profile, ...(c.flags ?? []), '--format', 'env'], { env });
    return { result, variables: variables(result.stdout, '\n') };
  });
  const errors = CASES.filter((c) => 'error' in c.outcome).length;
  process.stdout.write(
    `config corpus: ${CASES.length} cases (${errors} errors, ${CASES.length - errors} successes) in-process in ${((Date.now() - started) / 1000).toFixed(1)} s, ` +
      `slowest ${slowest(inProcess, 3)}\n`,
  );
  // All at once: two cores stay busy while a process waits on moto or the vault lock.
  onBinary = await runCases(
    CASES.filter((c) => ON_BINARY.includes(c.id)),
    ON_BINARY.length,
    join(box.home, 'binary'),
    async (c, env) => {
      const result = await runVault(['exec', c.profile, ...(c.flags ?? []), '--', 'env', '-0'], { env });
      return { result, variables: variables(result.stdout, '\0') };
    },
  );
});
afterAll(async () => {
  await box?.remove();
});

function expectSuccessOf(run: CaseRun, ok: Success): void {
  const { result, variables: got } = run;
  const context = describeRun(result);
  expect({ code: result.code, stderr: result.stderr, context }).toEqual({ code: 0, stderr: '', context });
  if (ok.keys === 'temporary') {
    expect(got.AWS_ACCESS_KEY_ID).toMatch(/^ASIA/);
    expect(got.AWS_SESSION_TOKEN).toBeTruthy();
  } else if ('stored' in ok.keys) {
    expect({ id: got.AWS_ACCESS_KEY_ID, secret: got.AWS_SECRET_ACCESS_KEY, token: got.AWS_SESSION_TOKEN }).toEqual({
      id: stored[ok.keys.stored].accessKeyId,
      secret: stored[ok.keys.stored].secretAccessKey,
      token: undefined,
    });
  } else {
    expect(got.AWS_ACCESS_KEY_ID).toBe(ok.keys.processKeyId);
  }
  expect({ region: got.AWS_REGION, defaultRegion: got.AWS_DEFAULT_REGION }).toEqual({ region: ok.region, defaultRegion: ok.region });
  if (ok.assumeSeconds !== undefined) expect(run.assumed.map((r) => r.params.DurationSeconds)).toEqual(run.assumed.map(() => ok.assumeSeconds));
}

/** The case's one right outcome, and the roles it assumed, in order (a failing case fails before it reaches STS). */
function expectOutcome(c: ConfigCase, run: CaseRun): void {
  const { result } = run;
  expect(result.stderr).not.toMatch(/^\s+at /m);
  for (const keys of Object.values(stored)) expect(result.stderr).not.toContain(keys.secretAccessKey);
  if ('error' in c.outcome) {
    expectOneLineError(result, c.outcome.error, c.outcome.exitCode ?? 1);
    expect(result.stderr).toMatch(PRINTABLE_LINE);
    expect(result.stdout).toBe('');
  } else {
    expectSuccessOf(run, c.outcome.ok);
  }
  const expected = 'ok' in c.outcome ? (c.outcome.ok.assumed ?? []) : [];
  expect(run.assumed.map((r) => r.params.RoleArn!.split('/').pop())).toEqual(expected);
}

describe('hostile AWS config files', () => {
  it(`has at least 50 cases, each with a unique id`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(50);
    expect(new Set(CASES.map((c) => c.id)).size).toBe(CASES.length);
  });

  it.each(CASES.map((c) => [c.id, c] as const))('%s', (id, c) => {
    expectOutcome(c, inProcess.get(id)!);
  });

  it('answers every case within seconds, whatever its size', () => {
    expect(slowerThan(inProcess, WITHIN_MS)).toEqual([]);
  });
});

describe('a few of them through the built vault exec', () => {
  it.each(ON_BINARY)('%s: the same outcome, and the child sees AWS_VAULT', (id) => {
    const c = CASES.find((x) => x.id === id)!;
    const run = onBinary.get(id)!;
    expectOutcome(c, run);
    if ('ok' in c.outcome) expect(run.variables.AWS_VAULT).toBe(c.profile);
  });

  it('ends each within seconds, the 8 MB file included', () => {
    expect(slowerThan(onBinary, WITHIN_MS)).toEqual([]);
  });
});
