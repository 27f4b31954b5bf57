#!/usr/bin/env node
// `npm run bench`: times vault's start-up paths against a local moto server and rewrites the generated section of
// docs/benchmarks.md. Everything it starts (moto, vault agents) and creates (throw-away HOMEs) is taken down at the
// end, also on failure or Ctrl-C. Not part of `npm test`: timings depend on the machine and what else runs on it.
//
//   node scripts/bench.mjs [--runs 20] [--warmup 3] [--tool hyperfine|node] [--only id,id] [--print]
//
// --print shows the section instead of writing the doc (implied by --only: a partial table never replaces the doc).
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  agentPid,
  agentReads,
  cleanEnv,
  collectionsOf,
  killRunning,
  makeSandbox,
  npmCodeOpened,
  peakRssKiB,
  rssKiB,
  run,
  startMoto,
  stopAgent,
  unneededBuiltinsLoaded,
  vault,
  vaultBin,
} from './bench/environment.mjs';
import {
  awsCliCredentials,
  BASE_PROFILE,
  fakeKeys,
  generatedConfig,
  OTHER_ACCOUNT,
  ROLE_PROFILE,
  twoHopScript,
} from './bench/fixtures.mjs';
import { describeMachine } from './bench/machine.mjs';
import { hyperfineVersion, timeInterleavedWithNode, timeWithHyperfine, timeWithNode } from './bench/measure.mjs';
import { renderReport, replaceGenerated, summarize } from './bench/report.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const DOC = join(root, 'docs', 'benchmarks.md');
const PASSPHRASE = `bench ${randomBytes(6).toString('hex')}`;
// No case takes more than a few seconds even on a busy machine; a hung one is killed rather than waited for.
const PER_RUN_TIMEOUT_MS = 20_000;

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    tool: { type: 'string' },
    only: { type: 'string' },
    print: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  process.stdout.write('node scripts/bench.mjs [--runs 20] [--warmup 3] [--tool hyperfine|node] [--only id,id] [--print]\n');
  process.exit(0);
}
const runs = Number(opts.runs);
const warmup = Number(opts.warmup);
if (!Number.isInteger(runs) || runs < 3 || !Number.isInteger(warmup) || warmup < 0) {
  throw new Error('--runs must be an integer of at least 3 and --warmup a non-negative integer');
}
const only = opts.only ? new Set(opts.only.split(',')) : undefined;

function log(message) {
  process.stderr.write(`bench: ${message}\n`);
}

function expectMatch(text, pattern, what) {
  if (!pattern.test(text)) throw new Error(`${what}: expected ${pattern} in:\n${text}`);
}

function expectNoMatch(text, pattern, what) {
  if (pattern.test(text)) throw new Error(`${what}: did not expect ${pattern} in:\n${text}`);
}

/** Stores keys for many profiles in one update through @vault/core: a thousand `vault add` runs would take minutes. */
async function storeKeys(box, profiles) {
  if (profiles.length === 0) return;
  const core = await import('../packages/core/dist/index.js');
  const file = new core.VaultFile(core.vaultFilePath(box.vaultDir));
  const key = await file.unlock(PASSPHRASE);
  try {
    const addedAt = new Date().toISOString();
    await file.update(key, (data) =>
      profiles.reduce((acc, profile) => core.putCredentials(acc, profile, { ...fakeKeys(), addedAt }), data),
    );
  } finally {
    core.wipeKey(key);
  }
}

/** A sandbox with the generated config and a vault (default KDF) holding keys for every keyed profile. */
async function vaultSandbox(tmp, name, motoUrl, shape) {
  const { text, keyedProfiles } = generatedConfig(shape);
  const box = await makeSandbox(tmp, name, { motoUrl, configText: text });
  const keys = fakeKeys();
  await vault(['add', '--env', BASE_PROFILE], {
    env: { ...box.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey },
  });
  await storeKeys(box, keyedProfiles);
  return { ...box, keys, withPassphrase: { ...box.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE } };
}

/** `vault unlock` in the sandbox, unless its agent already answers. */
async function ensureUnlocked(box) {
  if ((await agentPid(box)) !== undefined) return;
  await vault(['unlock', '--ttl', '1h'], { env: box.withPassphrase });
  if ((await agentPid(box)) === undefined) throw new Error(`the agent of ${box.name} does not answer after vault unlock`);
}

/**
 * The Argon2id derivation alone, with the default (interactive) parameters, as a vault process pays it: the first
 * derivation in a fresh process once libsodium is loaded (see bench/kdf-probe.mjs). Later derivations in the same
 * process are faster, but no vault command makes a second one.
 */
async function kdfMilliseconds() {
  const probe = fileURLToPath(new URL('./bench/kdf-probe.mjs', import.meta.url));
  const times = [];
  for (let i = 0; i < 7; i++) {
    const { stdout } = await run(process.execPath, [probe], { env: cleanEnv(), timeoutMs: PER_RUN_TIMEOUT_MS });
    times.push(Number(stdout.trim()) / 1000);
  }
  return summarize(times).median;
}

const kdfFloorScript = fileURLToPath(new URL('./bench/kdf-floor.cjs', import.meta.url));
const vaultArgv = (...args) => [process.execPath, vaultBin, ...args];
const execTrue = vaultArgv('exec', BASE_PROFILE, '--', 'true');

/**
 * The cases in the order of the table. Each has a `check` run once before timing that proves the command takes the
 * path the row claims (and sets up what it needs: a cached session, the agent).
 */
function cases({ main, many, tmp }) {
  const debugExec = (env) => vault(['exec', BASE_PROFILE, '--debug', '--', 'true'], { env });
  const awsCli = { ...main.env, AWS_SHARED_CREDENTIALS_FILE: join(main.awsDir, 'awscli-credentials') };
  const script = join(tmp, 'two-hop.sh');
  const scriptEnv = { ...main.env, AWS_ACCESS_KEY_ID: main.keys.accessKeyId, AWS_SECRET_ACCESS_KEY: main.keys.secretAccessKey };
  const listRows = async (box) => (await vault(['list'], { env: box.env })).stdout.trim().split('\n').length - 1;

  /**
   * A hot command must open no npm package's code, from node_modules or bundled beside bin.cjs: a cached, unlocked
   * run needs none (yargs, an AWS SDK client, libsodium). Checked by tracing one run, so a module loaded by any route
   * counts. Nor may it load the Node built-ins it has no use for (scripts/lib/hot-path.mjs, UNNEEDED_BUILTINS).
   */
  const loadsNothingExtra = async (argv, env, what) => {
    const opened = await npmCodeOpened(argv, env, tmp);
    if (opened.length > 0) throw new Error(`${what} loads npm packages it does not need:\n${opened.slice(0, 20).join('\n')}`);
    const builtins = await unneededBuiltinsLoaded(argv, env, tmp);
    if (builtins.length > 0) throw new Error(`${what} loads Node built-ins it does not need: ${builtins.join(', ')}`);
  };

  /**
   * A case whose check also fails when the command makes a garbage collection: a cached `vault exec` allocates close
   * to where V8 schedules its first young-generation collection, 4-5 ms of the run here (docs/benchmarks.md,
   * "Start-up, round 8"), so code added to its path can cost that without any other sign.
   */
  const noCollection = (c) => ({
    ...c,
    async check() {
      await c.check();
      const collections = await collectionsOf(c.argv.slice(2), c.env, tmp);
      if (collections.length > 0) throw new Error(`${c.display} collects garbage (node --trace-gc):\n${collections.join('\n')}`);
    },
  });

  /**
   * `vault exec BASE -- true` with its session cached and the vault unlocked, checked to take that path; run with
   * `env` (box.env unless given).
   */
  const unlockedExec = (box, id, label, what, env = box.env) => ({
    id,
    label,
    display: `vault exec ${BASE_PROFILE} -- true`,
    argv: execTrue,
    env,
    async check() {
      await ensureUnlocked(box);
      await vault(['exec', BASE_PROFILE, '--', 'true'], { env });
      const { stderr } = await debugExec(env);
      expectMatch(stderr, /vault opened by the agent/, what);
      expectNoMatch(stderr, /cache miss/, what);
      await loadsNothingExtra(execTrue, env, what);
    },
  });

  // Where the machine sets NODE_EXTRA_CA_CERTS, every Node start reads and parses that file (~38 ms of CPU for the
  // 219 kB bundle of the machine docs/benchmarks.md describes): both sides of a ratio against `node -e 0` pay it,
  // which flatters vault. The unlocked exec and its baseline are then timed without it too.
  const { NODE_EXTRA_CA_CERTS: extraCa, ...plainEnv } = main.env;
  const withoutExtraCa =
    extraCa === undefined
      ? []
      : [
          { id: 'node-plain', label: 'Node start-up alone, without NODE_EXTRA_CA_CERTS', display: 'node -e 0', argv: [process.execPath, '-e', '0'], env: plainEnv, baseline: 'node-plain' },
          {
            ...unlockedExec(main, 'exec-plain', 'cached + unlocked exec, without NODE_EXTRA_CA_CERTS', 'unlocked exec without NODE_EXTRA_CA_CERTS', plainEnv),
            baseline: 'node-plain',
          },
        ];

  return [
    { id: 'node', label: 'Node start-up alone', display: 'node -e 0', argv: [process.execPath, '-e', '0'], env: main.env },
    {
      id: 'exec-cold',
      label: 'cold: passphrase from the environment, KDF, no cached session (`vault clear` before each run)',
      display: `vault exec ${BASE_PROFILE} -- true`,
      argv: execTrue,
      env: main.withPassphrase,
      prepare: vaultArgv('clear'),
      async check() {
        await stopAgent(main);
        await vault(['clear'], { env: main.withPassphrase });
        const { stderr } = await debugExec(main.withPassphrase);
        expectMatch(stderr, /cache miss/, 'cold exec');
        expectNoMatch(stderr, /agent/, 'cold exec');
      },
    },
    {
      id: 'kdf-floor',
      label: 'the floor of a passphrase command: Node, libsodium from vault\'s bundle, one default derivation, nothing else',
      display: 'node scripts/bench/kdf-floor.cjs',
      argv: [process.execPath, kdfFloorScript],
      env: main.env,
    },
    {
      id: 'exec-cached',
      label: 'cached session, passphrase from the environment (KDF on every run)',
      display: `vault exec ${BASE_PROFILE} -- true`,
      argv: execTrue,
      env: main.withPassphrase,
      async check() {
        await stopAgent(main);
        await vault(['exec', BASE_PROFILE, '--', 'true'], { env: main.withPassphrase });
        const { stderr } = await debugExec(main.withPassphrase);
        expectMatch(stderr, /cache hit/, 'cached exec');
        expectNoMatch(stderr, /cache miss|agent/, 'cached exec');
      },
    },
    noCollection(unlockedExec(main, 'exec-unlocked', 'cached session, vault unlocked by `vault unlock` (no passphrase, no KDF)', 'unlocked exec')),
    ...withoutExtraCa,
    {
      id: 'export-json',
      label: 'what an SDK runs for `credential_process = vault export --format json P` (cached, unlocked)',
      display: `vault export --format json ${BASE_PROFILE}`,
      argv: vaultArgv('export', '--format', 'json', BASE_PROFILE),
      env: main.env,
      async check() {
        await ensureUnlocked(main);
        const { stdout, stderr } = await vault(['export', '--format', 'json', '--debug', BASE_PROFILE], { env: main.env });
        expectMatch(stdout, /"SessionToken"/, 'export json');
        expectMatch(stderr, /vault opened by the agent/, 'export json');
        expectNoMatch(stderr, /cache miss/, 'export json');
        await loadsNothingExtra(vaultArgv('export', '--format', 'json', BASE_PROFILE), main.env, 'export json');
      },
    },
    {
      id: 'admin-vault',
      label: 'the seeds\' role profile through vault (cached role session, unlocked)',
      display: `vault exec ${ROLE_PROFILE} -- aws sts get-caller-identity`,
      argv: vaultArgv('exec', ROLE_PROFILE, '--', 'aws', 'sts', 'get-caller-identity'),
      env: main.env,
      async check() {
        await ensureUnlocked(main);
        await vault(['exec', ROLE_PROFILE, '--', 'true'], { env: main.env });
        const { stdout, stderr } = await vault(['exec', ROLE_PROFILE, '--debug', '--', 'aws', 'sts', 'get-caller-identity'], { env: main.env });
        expectMatch(stdout, /assumed-role\/admin\//, 'vault exec admin');
        expectNoMatch(stderr, /cache miss/, 'vault exec admin');
      },
    },
    {
      id: 'admin-awscli',
      label: 'the AWS CLI alone, its own role cache warm (keys in a plaintext credentials file)',
      display: `aws sts get-caller-identity --profile ${ROLE_PROFILE}`,
      argv: ['aws', 'sts', 'get-caller-identity', '--profile', ROLE_PROFILE],
      env: awsCli,
      async check() {
        await writeFile(awsCli.AWS_SHARED_CREDENTIALS_FILE, awsCliCredentials(main.keys), { mode: 0o600 });
        await run('aws', ['sts', 'get-caller-identity', '--profile', ROLE_PROFILE], { env: awsCli });
        const cached = await readdir(join(main.awsDir, 'cli', 'cache')).catch(() => []);
        if (cached.length === 0) throw new Error('the AWS CLI cached no role credentials under ~/.aws/cli/cache');
        const { stdout } = await run('aws', ['sts', 'get-caller-identity', '--profile', ROLE_PROFILE], { env: awsCli });
        expectMatch(stdout, /assumed-role\/admin\//, 'aws --profile admin');
      },
    },
    {
      id: 'two-hop-script',
      label: 'the seeds\' script: two `aws sts assume-role` hops, then the command',
      display: 'sh two-hop.sh (assume-role ×2, get-caller-identity)',
      argv: ['sh', script],
      env: scriptEnv,
      async check() {
        await writeFile(script, twoHopScript());
        await chmod(script, 0o700);
        const { stdout } = await run('sh', [script], { env: scriptEnv });
        expectMatch(stdout, new RegExp(`${OTHER_ACCOUNT}:assumed-role/backup-role/`), 'two-hop script');
      },
    },
    {
      id: 'list-10',
      label: '`vault list`, 10 profiles / 2 stored keys, unlocked',
      display: 'vault list',
      argv: vaultArgv('list'),
      env: main.env,
      async check() {
        await ensureUnlocked(main);
        const rows = await listRows(main);
        if (rows !== 10) throw new Error(`vault list shows ${rows} profiles, expected 10`);
        await loadsNothingExtra(vaultArgv('list'), main.env, 'vault list');
      },
    },
    {
      id: 'list-5000',
      label: '`vault list`, 5,000 profiles / 1,000 stored keys, unlocked',
      display: 'vault list',
      argv: vaultArgv('list'),
      env: many.env,
      async check() {
        await ensureUnlocked(many);
        const rows = await listRows(many);
        if (rows !== 5000) throw new Error(`vault list shows ${rows} profiles, expected 5000`);
      },
    },
    unlockedExec(main, 'exec-10', 'cached + unlocked exec, 10 profiles / 2 stored keys', 'exec, 10 profiles'),
    unlockedExec(many, 'exec-5000', 'cached + unlocked exec, 5,000 profiles / 1,000 stored keys', 'exec, 5,000 profiles'),
  ];
}

/**
 * Cases compared by a goal run next to each other, so that a machine busy with something else for a minute skews
 * both sides of a ratio alike: the Node baseline just before the unlocked exec it is compared with. The cases that
 * need the vault locked run before the first unlock.
 */
const RUN_ORDER = ['exec-cold', 'kdf-floor', 'exec-cached', 'node', 'exec-unlocked', 'node-plain', 'exec-plain', 'export-json', 'admin-vault', 'admin-awscli', 'two-hop-script', 'list-10', 'list-5000', 'exec-10', 'exec-5000'];

function runOrder(selected) {
  return [...selected].sort((a, b) => RUN_ORDER.indexOf(a.id) - RUN_ORDER.indexOf(b.id));
}

/**
 * Cases compared with each other, timed interleaved with the Node harness, a run of each in turn (measure.mjs),
 * rather than one after another: the cold exec with its floor, and the cases the ratio goals compare with
 * `node -e 0` (all with the vault unlocked).
 */
const INTERLEAVED = [
  ['exec-cold', 'kdf-floor'],
  ['node', 'exec-unlocked', 'node-plain', 'exec-plain', 'export-json', 'list-10'],
];

/** The median of a few peak-RSS samples, in MiB. */
async function medianPeakMiB(argv, env, samples = 5) {
  const kib = [];
  for (let i = 0; i < samples; i++) kib.push(await peakRssKiB(argv, env));
  return summarize(kib.map((k) => k / 1000)).median / 1024;
}

/**
 * Memory, when the unlocked exec was measured: the peak RSS of a cached exec next to `node -e 0`'s, and whether the
 * agent grows with use (its RSS after 10 read requests and after 1,000).
 */
async function measureMemory(box, selected) {
  if (!selected.some((c) => c.id === 'exec-unlocked')) return undefined;
  log('memory: peak RSS of node -e 0 and of a cached exec; the agent after 10 and 1,000 requests');
  const nodeMiB = await medianPeakMiB([process.execPath, '-e', '0'], box.env);
  const execMiB = await medianPeakMiB(execTrue, box.env);
  await ensureUnlocked(box);
  const pid = await agentPid(box);
  await agentReads(box, 10);
  const agentAfter10MiB = (await rssKiB(pid)) / 1024;
  await agentReads(box, 990);
  const agentAfter1000MiB = (await rssKiB(pid)) / 1024;
  return { nodeMiB, execMiB, agentAfter10MiB, agentAfter1000MiB };
}

async function main() {
  const tool = opts.tool ?? ((await hyperfineVersion()) ? 'hyperfine' : 'node');
  if (tool !== 'hyperfine' && tool !== 'node') throw new Error('--tool is hyperfine or node');
  const timer = tool === 'hyperfine' ? await hyperfineVersion() : `Node harness (${process.version})`;
  if (!timer) throw new Error('hyperfine is not installed; use --tool node');
  for (const [file, args] of [['python3', ['-c', 'import moto.server']], ['aws', ['--version']]]) {
    await run(file, args, { timeoutMs: 30_000 }).catch((err) => {
      throw new Error(`${file} is needed (moto server, AWS CLI): ${err.message}`);
    });
  }
  log('building (tsc -b)');
  await run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b'], { env: process.env, timeoutMs: 300_000 });

  const tmp = await mkdtemp(join(tmpdir(), 'vault-bench-'));
  let moto;
  const boxes = [];
  let cleaning;
  const cleanup = () =>
    (cleaning ??= (async () => {
      killRunning();
      for (const box of boxes) await stopAgent(box);
      await moto?.stop();
      await rm(tmp, { recursive: true, force: true });
    })());
  // Ctrl-C under `npm run` arrives twice (from the terminal and forwarded by npm): later signals must not cut the
  // cleanup short.
  const onSignal = (signal) => {
    if (cleaning) return;
    log(`${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, onSignal);

  try {
    const machine = await describeMachine({ timer });
    log('starting moto');
    moto = await startMoto();
    log('measuring the KDF');
    const kdfMs = await kdfMilliseconds();
    log('creating the vaults (default KDF): 10 profiles / 2 keys, 5,000 profiles / 1,000 keys');
    const main = await vaultSandbox(tmp, 'ten', moto.url, { profiles: 10, keyed: 2 });
    boxes.push(main);
    const many = await vaultSandbox(tmp, 'many', moto.url, { profiles: 5000, keyed: 1000 });
    boxes.push(many);

    const all = cases({ main, many, tmp });
    const selected = all.filter((c) => !only || only.has(c.id));
    if (only && selected.length !== only.size) throw new Error(`--only names unknown cases; known: ${all.map((c) => c.id).join(', ')}`);
    const stats = {};
    const report = (c, times) => {
      stats[c.id] = summarize(times);
      log(`${c.id}: median ${stats[c.id].median.toFixed(1)} ms (p25 ${stats[c.id].p25.toFixed(1)}, p75 ${stats[c.id].p75.toFixed(1)})`);
    };
    const groups = tool === 'node' ? INTERLEAVED.map((ids) => runOrder(selected).filter((c) => ids.includes(c.id))) : [];
    for (const c of runOrder(selected)) {
      const together = groups.find((g) => g.includes(c));
      if (together) {
        if (c !== together[0]) continue;
        // Every check first (each proves its case's path and readies it), then the runs in turn.
        for (const t of together) if (t.check) await t.check();
        log(`interleaved: ${together.map((t) => t.id).join(', ')}`);
        const times = await timeInterleavedWithNode(together, { runs, warmup, perRunTimeoutMs: PER_RUN_TIMEOUT_MS });
        together.forEach((t, k) => report(t, times[k]));
        continue;
      }
      if (c.check) await c.check();
      log(`${c.id}: ${c.display}`);
      const measure = tool === 'hyperfine' ? timeWithHyperfine : timeWithNode;
      report(c, await measure({ ...c, runs, warmup, perRunTimeoutMs: PER_RUN_TIMEOUT_MS, workDir: tmp }));
    }

    const memory = await measureMemory(main, selected);
    const section = renderReport({
      machine,
      tool: timer,
      runs,
      warmup,
      cases: selected,
      stats,
      kdfMs,
      memory,
      date: new Date().toISOString().slice(0, 10),
    });
    if (opts.print || only) {
      process.stdout.write(`${section}\n`);
    } else {
      const doc = await readFile(DOC, 'utf8').catch(() => '# Benchmarks\n');
      await writeFile(DOC, replaceGenerated(doc, section));
      log(`wrote ${DOC}`);
      process.stdout.write(`${section}\n`);
    }
  } finally {
    await cleanup();
  }
}

main().catch((err) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
