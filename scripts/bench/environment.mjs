// The processes and files the benchmark sets up and must always take down: moto, throw-away HOMEs, vault agents.
import { spawn } from 'node:child_process';
import { chmod, cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadedModulesHook, unneededBuiltins } from '../lib/hot-path.mjs';
import { pathPastShims } from '../lib/tool-shims.mjs';

export const vaultBin = fileURLToPath(new URL('../../packages/cli/bin/vault.cjs', import.meta.url));
const bundleDir = fileURLToPath(new URL('../../packages/cli/bundle/', import.meta.url));
/** What every command opens in the bundle directory: the bundle and its V8 code cache. */
const BUNDLE_START = new Set([`${bundleDir}bin.cjs`, `${bundleDir}bin.cjs.cache`]);

const DROPPED = ['NODE_OPTIONS', 'XDG_RUNTIME_DIR', 'TMUX', 'TMUX_PANE'];

/**
 * This process's environment without anything that would change what is measured: the user's AWS_* settings and
 * keys, NODE_OPTIONS, npm's variables, and XDG_RUNTIME_DIR (so each sandbox's agent socket lives in its own vault
 * directory and goes away with it).
 */
export function cleanEnv(base = process.env) {
  const env = {};
  for (const [key, value] of Object.entries(base)) {
    if (value === undefined) continue;
    if (key.startsWith('AWS_') || key.startsWith('npm_') || DROPPED.includes(key)) continue;
    env[key] = value;
  }
  // The AWS CLI run directly, not through a pyenv shim that would add its own start-up to the compared runs.
  if (env.PATH !== undefined) env.PATH = pathPastShims(env.PATH);
  return env;
}

/** Process groups of the commands running now, so an interrupted benchmark can stop them. */
const running = new Set();

/** Kills every command `run` or `track` started that is still running. */
export function killRunning() {
  for (const pid of running) killGroup(pid);
  running.clear();
}

/** Makes a detached child known to killRunning until it exits. */
export function track(child) {
  if (child.pid === undefined) return;
  running.add(child.pid);
  child.once('exit', () => running.delete(child.pid));
}

/**
 * Runs a command to completion in its own session (no controlling terminal, so nothing can stop at a prompt) and
 * kills its process group after `timeoutMs`. Rejects unless it exits 0.
 */
export function run(file, args, { env, input = '', timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    track(child);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.stdin.on('error', () => {});
    child.stdin.end(input);
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve({ stdout, stderr });
      const why = timedOut ? `timed out after ${timeoutMs / 1000} s` : signal ? `killed by ${signal}` : `exit status ${code}`;
      reject(new Error(`${[file, ...args].join(' ')}: ${why}\n${stderr.trim()}`));
    });
  });
}

export function killGroup(pid) {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

export function vault(args, options) {
  return run(process.execPath, [vaultBin, ...args], options);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts `python3 -m moto.server` on a free port and waits until it answers. */
export async function startMoto({ timeoutMs = 30_000 } = {}) {
  const port = await freePort();
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    env: cleanEnv(),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  // Read everything (moto logs each request; an unread pipe would stall it), keep only the start.
  child.stderr.setEncoding('utf8').on('data', (d) => {
    if (log.length < 20_000) log += d;
  });
  let running = true;
  const exited = new Promise((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => (running = false));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (!running) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!running) throw new Error(`moto exited before answering on ${url}:\n${log}`);
    try {
      await fetch(`${url}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
      return { url, stop };
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`moto did not answer on ${url} within ${timeoutMs / 1000} s:\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * A HOME of its own under `root` holding the AWS config `configText`, with the environment vault and the AWS CLI
 * see there: STS at moto, a region, no metadata probing.
 */
export async function makeSandbox(root, name, { motoUrl, configText }) {
  const home = join(root, name);
  const awsDir = join(home, '.aws');
  await mkdir(awsDir, { recursive: true, mode: 0o700 });
  const configFile = join(awsDir, 'config');
  await writeFile(configFile, configText);
  await chmod(configFile, 0o600);
  const vaultDir = join(home, 'vault-dir');
  const env = {
    ...cleanEnv(),
    HOME: home,
    AWS_CONFIG_FILE: configFile,
    // vault reads no credentials file on these paths; the AWS CLI case points at its own.
    AWS_SHARED_CREDENTIALS_FILE: join(awsDir, 'credentials'),
    AWS_VAULT_FILE_DIR: vaultDir,
    AWS_ENDPOINT_URL_STS: motoUrl,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  return { name, home, awsDir, configFile, vaultDir, env };
}

/** One request to the agent socket of a vault directory (the protocol of packages/cli/src/agent/protocol.ts). */
function agentRequest(socket, request, timeoutMs = 3_000) {
  return new Promise((resolve) => {
    const conn = createConnection({ path: socket });
    let text = '';
    conn.setEncoding('utf8');
    conn.setTimeout(timeoutMs, () => conn.destroy());
    conn.on('connect', () => conn.write(`${JSON.stringify(request)}\n`));
    conn.on('data', (d) => (text += d));
    conn.on('error', () => resolve(undefined));
    conn.on('close', () => {
      try {
        resolve(JSON.parse(text.split('\n')[0]));
      } catch {
        resolve(undefined);
      }
    });
  });
}

/** Whether the agent started by `vault unlock` in this sandbox still answers; its pid if so. */
export async function agentPid(box) {
  const reply = await agentRequest(join(box.vaultDir, 'agent.sock'), { op: 'status' });
  return reply?.ok ? reply.status.pid : undefined;
}

/** `vault lock`, then, should the agent still answer, its pid is killed: the agents are detached children of ours. */
export async function stopAgent(box) {
  try {
    await vault(['lock'], { env: box.env, timeoutMs: 10_000 });
  } catch {
    // Killed below if it is still there.
  }
  const pid = await agentPid(box);
  if (pid !== undefined) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Exited meanwhile.
    }
  }
}

/** The resident set size of a running process, in KiB (Linux /proc). */
export async function rssKiB(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]);
}

/** Sends `count` read requests to the sandbox's agent, one after another, as that many `vault exec` runs would. */
export async function agentReads(box, count) {
  for (let i = 0; i < count; i++) {
    const reply = await agentRequest(join(box.vaultDir, 'agent.sock'), { op: 'read' });
    if (!reply?.ok) throw new Error(`the agent of ${box.name} did not answer read request ${i + 1}`);
  }
}

/** The peak resident set size of one run of `argv` (GNU time's %M), in KiB. */
export async function peakRssKiB(argv, env) {
  const { stderr } = await run('/usr/bin/time', ['-f', 'peak-rss-kib %M', ...argv], { env });
  const match = /peak-rss-kib (\d+)/.exec(stderr);
  if (!match) throw new Error(`/usr/bin/time gave no peak RSS for ${argv.join(' ')}:\n${stderr}`);
  return Number(match[1]);
}

/** The built-ins one run of `argv` (`node SCRIPT ARGS...`) loads that a hot command has no use for (hot-path.mjs). */
export async function unneededBuiltinsLoaded(argv, env, workDir) {
  const list = join(workDir, `modules-${process.pid}-${Date.now()}.json`);
  const hook = join(workDir, `modules-hook-${process.pid}.cjs`);
  await writeFile(hook, loadedModulesHook(list));
  const [node, ...rest] = argv;
  await run(node, ['--require', hook, ...rest], { env });
  return unneededBuiltins(JSON.parse(await readFile(list, 'utf8')).builtins);
}

const cliDir = fileURLToPath(new URL('../../packages/cli/', import.meta.url));
const trainer = fileURLToPath(new URL('../lib/train-code-cache.cjs', import.meta.url));

/**
 * The garbage collections one run of `vault ARGS...` makes, as `node --trace-gc` prints them. A code cache is valid
 * only under the V8 flags it was made with, and --trace-gc is one, so the run is of a copy of the CLI whose bin.cjs
 * cache is trained again under it (as scripts/code-cache.mjs trains the real one, by running ARGS once); with the
 * real cache rejected, compiling would allocate what a user's run does not (docs/benchmarks.md, "Start-up, round 8").
 */
export async function collectionsOf(args, env, workDir) {
  const copy = join(workDir, `gc-copy-${process.pid}-${Date.now()}`);
  await Promise.all(['bin', 'bundle', 'package.json'].map((part) => cp(join(cliDir, part), join(copy, 'packages/cli', part), { recursive: true })));
  const copiedTrainer = join(copy, 'scripts/lib/train-code-cache.cjs');
  await cp(trainer, copiedTrainer);
  await run(process.execPath, ['--trace-gc', copiedTrainer, 'bin.cjs', ...args], { env });
  const script = join(copy, 'packages/cli/bin/bundle-script.cjs');
  const probe = `const b = require(${JSON.stringify(script)}); process.stdout.write(String(b.compileBundle(b.readCache()).cachedDataRejected))`;
  const { stdout: rejected } = await run(process.execPath, ['--trace-gc', '-e', probe], { env });
  if (!rejected.endsWith('false')) throw new Error(`the copy's code cache trained under --trace-gc was rejected (${rejected.trim()})`);
  const { stdout } = await run(process.execPath, ['--trace-gc', join(copy, 'packages/cli/bin/vault.cjs'), ...args], { env });
  return stdout.split('\n').filter((line) => /: (Scavenge|Mark-Compact|Minor Mark-Compact|Mark-Sweep)/.test(line));
}

/**
 * The files of npm packages that one run of `argv` opens (strace): anything under node_modules, or in the bundle
 * directory besides bin.cjs and its code cache (the AWS SDK clients and libsodium are bundled into sts.cjs, iam.cjs
 * and sodium.cjs there). A hot command that opens one has loaded code it does not need (yargs, an AWS SDK client,
 * libsodium), whichever way it was loaded.
 */
export async function npmCodeOpened(argv, env, workDir) {
  const trace = join(workDir, `strace-${process.pid}-${Date.now()}.txt`);
  await run('strace', ['-f', '-qq', '-e', 'trace=open,openat', '-o', trace, ...argv], { env });
  const lines = (await readFile(trace, 'utf8')).split('\n');
  const paths = lines.filter((l) => !l.includes('ENOENT')).flatMap((l) => /"([^"]*)"/.exec(l)?.[1] ?? []);
  const opened = paths.filter((path) => path.includes('/node_modules/') || (path.startsWith(bundleDir) && !BUNDLE_START.has(path)));
  return [...new Set(opened)];
}
