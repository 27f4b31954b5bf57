import { jest } from '@jest/globals';
import { putCredentials, VaultFile } from '@vault/core';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { runInProcess } from '../support/in-process.js';
import { sharedMoto, type SharedMoto } from '../support/moto.js';
import type { Env, RunResult } from '../support/process.js';
import { cleanEnv, FIXTURE_KDF, sandbox, type Sandbox } from '../support/sandbox.js';
import { corpusSize } from '../support/sizes.js';
import { mapLimit } from '../support/vault-state.js';
import { runVault, stderrLines } from '../support/vault.js';
import { generateConfig, type GeneratedConfig, type GeneratedProfile, type Quirk } from './generate-config.js';

// The differential test of issue 13: generated configs, each profile resolved by vault and by the AWS CLI's own
// resolution (`aws --profile P`, keys in a plaintext credentials file) against the same moto, comparing success or
// failure, the role (ARN and account), the session name and the region the command gets. Batched for speed: one
// moto, one Python process answering for the AWS CLI (aws-cli-oracle.py), the vault files made in-process, and
// vault run in-process too (support/in-process.ts) as `vault export --format env P`, which prints the credentials and
// region `vault exec` gives its command; the oracle process asks STS who those credentials are. A few profiles also
// run through the built `vault exec` with the real `aws sts get-caller-identity` as the command, end to end.
//
// Reproduce a failure with the seed it prints: VAULT_DIFF_SEED=<seed> VAULT_DIFF_CONFIGS=1 npx jest differential

jest.setTimeout(600_000);

const SEED = Number(process.env.VAULT_DIFF_SEED ?? 20_261_129);
// npm test: 8 generated configs (~55 profiles, every generator rule and the intended differences); test:full: 20.
const CONFIGS = Number(process.env.VAULT_DIFF_CONFIGS ?? corpusSize(8, 20));
const PASSPHRASE = 'differential passphrase';

/** Where vault and the AWS CLI rightly disagree, and why. Everything else must match. */
const INTENDED: Record<Quirk | 'generated-session-name', string> = {
  'generated-session-name':
    'without role_session_name, vault names the session as aws-vault does (nanoseconds since the epoch), the ' +
    'AWS CLI botocore-session-<seconds>: both generated, compared as such',
  'invalid-value':
    'vault checks duration_seconds (900-43200) and region shapes before calling STS, naming profile and line; moto ' +
    'accepts anything, so only vault fails',
  'chained-duration':
    'AWS caps a role assumed with another role session at 1 h; vault refuses a longer duration_seconds on such a hop ' +
    'before calling STS, moto does not enforce the cap',
  'source-without-role':
    "source_profile without role_arn: aws-vault's rule uses the source's credentials; the AWS CLI ignores " +
    'source_profile there and finds no credentials',
};

interface CliAnswer {
  arn?: string;
  error?: string;
  region?: string | null;
}

let moto: SharedMoto;
let oracle: Oracle;

beforeAll(async () => {
  moto = await sharedMoto();
  oracle = startOracle();
});
afterAll(async () => {
  oracle?.stop();
});

test('vault resolves generated profiles as the AWS CLI does, apart from the intended differences', async () => {
  const configs = Array.from({ length: CONFIGS }, (_, i) => generateConfig(SEED + i));
  const mismatches: string[] = [];
  const intended = new Map<string, number>();
  let compared = 0;
  const started = Date.now();

  await mapLimit(configs, 3, async (config) => {
    const box = await prepare(config);
    try {
      for (const profile of config.profiles) {
        const [mine, theirs] = await Promise.all([viaVault(box, config, profile), oracle.ask({ profile: profile.name, env: cliEnv(box, config) })]);
        compared++;
        const verdict = compare(profile, mine, theirs);
        if (verdict.intended) intended.set(verdict.intended, (intended.get(verdict.intended) ?? 0) + 1);
        if (verdict.problem) mismatches.push(`seed ${config.seed}, profile ${profile.name}: ${verdict.problem}\n${config.text}`);
      }
    } finally {
      await box.remove();
    }
  });

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const reasons = [...intended].map(([quirk, n]) => `  ${n} x ${quirk}: ${INTENDED[quirk as keyof typeof INTENDED]}`);
  console.log(
    `differential: ${compared} profiles (seeds ${SEED}..${SEED + CONFIGS - 1}) compared on outcome, role, session name ` +
      `and region in ${seconds} s; intended differences:\n${reasons.join('\n')}`,
  );
  expect(mismatches.slice(0, 5)).toEqual([]);
  expect(compared).toBeGreaterThanOrEqual(CONFIGS * 3);
});

test('the real aws CLI as the child sees the identity the comparison above relies on', async () => {
  const config = generateConfig(SEED);
  const box = await prepare(config);
  try {
    const targets = config.profiles.filter((p) => p.settings.role_arn && p.quirks.length === 0).slice(0, 3);
    for (const profile of targets) {
      const child = ['aws', 'sts', 'get-caller-identity', '--region', 'us-east-1', '--output', 'json'];
      const [mine, theirs] = await Promise.all([
        runVault(['exec', profile.name, '--', ...child], { env: vaultEnv(box, config), timeoutMs: 120_000 }),
        oracle.ask({ profile: profile.name, env: cliEnv(box, config) }),
      ]);
      if (theirs.error) {
        expect(mine.code).not.toBe(0);
        continue;
      }
      expect({ code: mine.code, stderr: mine.stderr }).toEqual({ code: 0, stderr: '' });
      expect(roleOf(JSON.parse(mine.stdout).Arn)).toEqual(roleOf(theirs.arn ?? ''));
    }
  } finally {
    await box.remove();
  }
});

interface Box extends Sandbox {
  flatConfig: string;
}

/** A sandbox with the config as written for vault, the flattened one and a credentials file for the CLI, and a vault. */
async function prepare(config: GeneratedConfig): Promise<Box> {
  const box = await sandbox();
  await box.writeConfig(config.text);
  const flatConfig = join(box.home, 'cli-config');
  await writeFile(flatConfig, config.flatText);
  const keyed = config.profiles.filter((p) => p.keys);
  const keys = new Map(keyed.map((p) => [p.name, fakeKeys(config.seed, p.name)]));
  await writeFile(
    box.credentialsFile,
    keyed.map((p) => `[${p.name}]\naws_access_key_id = ${keys.get(p.name)?.id}\naws_secret_access_key = ${keys.get(p.name)?.secret}\n`).join('\n'),
  );
  await chmod(box.credentialsFile, 0o600);
  const file = new VaultFile(box.vaultFile);
  // The fixture vaults' Argon2id cost: these throw-away vaults guard nothing, and every profile opens one.
  const key = await file.create(PASSPHRASE, FIXTURE_KDF);
  await file.update(key, (data) =>
    keyed.reduce(
      (d, p) => putCredentials(d, p.name, { accessKeyId: keys.get(p.name)!.id, secretAccessKey: keys.get(p.name)!.secret, addedAt: new Date().toISOString() }),
      data,
    ),
  );
  return { ...box, flatConfig };
}

function fakeKeys(seed: number, profile: string): { id: string; secret: string } {
  const tag = `${seed}${profile}`.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
  return { id: `AKIA${tag.padEnd(16, 'X').slice(-16)}`, secret: `${tag}${'s'.repeat(40)}`.slice(0, 40) };
}

function vaultEnv(box: Box, config: GeneratedConfig): Env {
  const env: Env = { ...box.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, AWS_ENDPOINT_URL_STS: moto.url };
  if (config.envRegion) env.AWS_DEFAULT_REGION = config.envRegion;
  return env;
}

function cliEnv(box: Box, config: GeneratedConfig): Env {
  const env: Env = {
    AWS_CONFIG_FILE: box.flatConfig,
    AWS_SHARED_CREDENTIALS_FILE: box.credentialsFile,
    AWS_ENDPOINT_URL_STS: moto.url,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  if (config.envRegion) env.AWS_DEFAULT_REGION = config.envRegion;
  return env;
}

interface VaultAnswer {
  run: RunResult;
  /** The STS identity of the credentials the child got, asked through the CLI's own code. */
  identity?: CliAnswer;
  region?: string | null;
}

async function viaVault(box: Box, config: GeneratedConfig, profile: GeneratedProfile): Promise<VaultAnswer> {
  const run = await runInProcess(['export', profile.name, '--format', 'env'], { env: vaultEnv(box, config) });
  if (run.code !== 0) return { run };
  const child = Object.fromEntries(run.stdout.split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
  const identity = await oracle.ask({
    env: {
      AWS_ACCESS_KEY_ID: child.AWS_ACCESS_KEY_ID ?? '',
      AWS_SECRET_ACCESS_KEY: child.AWS_SECRET_ACCESS_KEY ?? '',
      ...(child.AWS_SESSION_TOKEN !== undefined && { AWS_SESSION_TOKEN: child.AWS_SESSION_TOKEN }),
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_ENDPOINT_URL_STS: moto.url,
      AWS_EC2_METADATA_DISABLED: 'true',
    },
  });
  return { run, identity, region: child.AWS_REGION ?? null };
}

/** The role and account of an STS identity ARN, and its session name ("generated" when neither side chose one). */
function roleOf(arn: string): { who: string; session: string } {
  const assumed = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(arn);
  if (!assumed) return { who: arn, session: '' };
  const [, account, role, session = ''] = assumed;
  const generated = /^\d{19}$/.test(session) || /^botocore-session-\d+$/.test(session);
  return { who: `${account}:${role}`, session: generated ? '(generated)' : session };
}

function compare(profile: GeneratedProfile, mine: VaultAnswer, theirs: CliAnswer): { problem?: string; intended?: string } {
  const vaultOk = mine.run.code === 0 && mine.identity?.arn !== undefined;
  const cliOk = theirs.error === undefined;
  if (mine.run.code !== 0) {
    const lines = stderrLines(mine.run);
    if (lines.length !== 1 || !lines[0]?.startsWith('vault: ')) return { problem: `not a one-line error: ${mine.run.stderr}` };
  }
  if (!vaultOk && cliOk) {
    const error = mine.run.stderr;
    if (profile.quirks.includes('invalid-value') && /invalid (duration_seconds|region)/.test(error)) return { intended: 'invalid-value' };
    if (profile.quirks.includes('chained-duration') && /1h|role.chaining/i.test(error)) return { intended: 'chained-duration' };
    return { problem: `vault failed, the AWS CLI did not (${theirs.arn}): ${error.trim()}` };
  }
  if (vaultOk && !cliOk) {
    if (profile.quirks.includes('source-without-role')) return { intended: 'source-without-role' };
    return { problem: `the AWS CLI failed (${theirs.error}), vault did not: ${mine.identity?.arn}` };
  }
  if (!vaultOk) return {};
  const ours = roleOf(mine.identity?.arn ?? '');
  const cli = roleOf(theirs.arn ?? '');
  if (ours.who !== cli.who) return { problem: `identity ${ours.who} (vault) vs ${cli.who} (AWS CLI)` };
  if (ours.session !== cli.session) return { problem: `session name ${ours.session} (vault) vs ${cli.session} (AWS CLI)` };
  if ((mine.region ?? null) !== (theirs.region ?? null)) return { problem: `region ${mine.region} (vault) vs ${theirs.region} (AWS CLI)` };
  return ours.session === '(generated)' ? { intended: 'generated-session-name' } : {};
}

interface Oracle {
  ask(job: { profile?: string; env: Env }): Promise<CliAnswer>;
  stop(): void;
}

/** aws-cli-oracle.py, started once; jobs go in as JSON lines and come back tagged with their id. */
function startOracle(): Oracle {
  const script = fileURLToPath(new URL('./aws-cli-oracle.py', import.meta.url));
  const child: ChildProcessWithoutNullStreams = spawn('python3', [script], { env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  const pending = new Map<number, (answer: CliAnswer) => void>();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const { id, ...answer } = JSON.parse(line) as CliAnswer & { id: number };
    pending.get(id)?.(answer);
    pending.delete(id);
  });
  child.once('exit', (code) => {
    for (const resolve of pending.values()) resolve({ error: `oracle exited (${code}): ${stderr}` });
    pending.clear();
  });
  let next = 0;
  return {
    ask(job) {
      const id = next++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        child.stdin.write(`${JSON.stringify({ id, ...job })}\n`);
      });
    },
    stop() {
      child.stdin.end();
      child.kill();
    },
  };
}
