// The process contract of `vault exec` beyond test/e2e/exec.test.ts (which covers exit codes, SIGTERM forwarded to
// a trapping child, and stdin passed through): a gigabyte streamed in bounded memory, SIGINT/SIGTERM/SIGHUP each
// reaching the child with its status (or 128+N) coming back, a child that ignores SIGTERM kept and waited for,
// input and output streamed without buffering, and the command's arguments passed on verbatim.
import { jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { join } from 'node:path';
import { awsSetup } from './support/aws-setup.js';
import { expectSuccess } from './support/expect-error.js';
import { sharedMoto, type SharedMoto } from './support/moto.js';
import { vaultBin } from './support/paths.js';
import { run, waitForOutput, type Env, type Started } from './support/process.js';
import { runInProcess } from './support/in-process.js';
import { sandbox, type Sandbox } from './support/sandbox.js';
import { corpusSize } from './support/sizes.js';
import { tty } from './support/tty.js';
import { describeRun, runVault, startVault } from './support/vault.js';

jest.setTimeout(120_000);

const PASSPHRASE = 'process contract passphrase';
const MIB = 1024 ** 2;
// More than RSS_LIMIT_MB, so a vault that held the stream in memory would fail; 1 GiB in test:full.
const STREAMED_MIB = corpusSize(256, 1024);
const RSS_LIMIT_MB = 150;

let moto: SharedMoto;
let box: Sandbox;
/**
 * The same keys in a fixture vault (FIXTURE_KDF): for the tests of signals, streaming and arguments, which are about
 * the exec process and its child, not the unlock; each run there would otherwise derive a 64 MiB key.
 */
let fast: Sandbox;

beforeAll(async () => {
  moto = await sharedMoto();
  const setup = awsSetup(moto);
  await setup.createUser('streamer');
  const keys = await setup.createAccessKey('streamer');
  // The default KDF (64 MiB Argon2id), so the memory measured below is what a user's vault costs.
  box = await sandbox();
  await box.writeConfig('[profile base]\n');
  expectSuccess(await runVault(['add', '--env', 'base'], { env: memoryEnv({ AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey }) }));
  fast = await sandbox({ passphrase: PASSPHRASE, stored: { base: keys } });
  await fast.writeConfig('[profile base]\n');
});
afterAll(async () => {
  await box?.remove();
  await fast?.remove();
});

/** The environment of the memory test: the vault at the default KDF. */
function memoryEnv(extra: Env = {}): Env {
  return { ...box.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, AWS_ENDPOINT_URL_STS: moto.url, ...extra };
}

/** Everyone else's: the fixture vault. */
function env(extra: Env = {}): Env {
  return { ...fast.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, AWS_ENDPOINT_URL_STS: moto.url, ...extra };
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Streams `bytes` zeros through `vault exec base -- cat` from a generator process into a counter, with the cache
 * cleared first so the run takes the heaviest path (Argon2id, the STS client, GetSessionToken, a vault write).
 * GNU time reports vault's peak RSS (its own; cat's is far smaller).
 */
async function stream(bytes: number): Promise<{ counted: number; peakMb: number; seconds: number }> {
  // Setup, in-process: `clear` is tested elsewhere.
  expectSuccess(await runInProcess(['clear'], { env: memoryEnv() }));
  const rssFile = join(box.home, `rss-${bytes}`);
  const vault = [process.execPath, vaultBin, 'exec', 'base', '--', 'cat'].map(quote).join(' ');
  const script = `set -o pipefail; head -c ${bytes} /dev/zero | /usr/bin/time -f %M -o ${quote(rssFile)} ${vault} | wc -c`;
  const started = Date.now();
  const result = await run('bash', ['-c', script], { env: memoryEnv(), timeoutMs: 90_000 });
  const seconds = (Date.now() - started) / 1000;
  expectSuccess(result);
  expect(result.stderr).toBe('');
  return { counted: Number(result.stdout.trim()), peakMb: Number((await readFile(rssFile, 'utf8')).trim()) / 1024, seconds };
}

describe('streaming', () => {
  it(`passes ${STREAMED_MIB} MiB through vault exec -- cat with vault's peak RSS under ${RSS_LIMIT_MB} MB, the same as for 1 byte`, async () => {
    const big = await stream(STREAMED_MIB * MIB);
    const tiny = await stream(1);
    process.stdout.write(
      `${STREAMED_MIB} MiB through vault exec: ${big.seconds.toFixed(1)} s, vault peak RSS ${big.peakMb.toFixed(0)} MB (1 byte: ${tiny.peakMb.toFixed(0)} MB)\n`,
    );
    expect(big.counted).toBe(STREAMED_MIB * MIB);
    expect(tiny.counted).toBe(1);
    expect(big.peakMb).toBeLessThan(RSS_LIMIT_MB);
    // The data never passes through vault (the child inherits its stdio), so its volume costs vault no memory.
    expect(big.peakMb - tiny.peakMb).toBeLessThan(10);
  });

  it('streams without buffering: each line typed reaches the child and its answer comes back before the next is sent', async () => {
    const child = spawn(process.execPath, [vaultBin, 'exec', 'base', '--no-session', '--', 'cat'], { env: env(), stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    const echoed = async (text: string) => {
      const deadline = Date.now() + 20_000;
      while (!out.endsWith(text)) {
        if (Date.now() > deadline) throw new Error(`no echo of ${JSON.stringify(text)}; got ${JSON.stringify(out)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    for (const line of ['one\n', 'two\n', 'three\n']) {
      child.stdin.write(line);
      await echoed(line);
    }
    child.stdin.end();
    expect(await closed).toBe(0);
    expect(out).toBe('one\ntwo\nthree\n');
  });
});

describe("vault's own output", () => {
  // Node writes to a full pipe asynchronously; a process that exits straight after the write loses the rest (9,362
  // of these 20,000 lines reached the reader before the fix). The reader here starts late, so the pipe is full.
  const lateReader = (argv: string[]) => `set -o pipefail; ${argv.map(quote).join(' ')} | (sleep 0.3; wc -l)`;

  it('all of a long `vault list --profiles` reaches a pipe that is read late', async () => {
    const profiles = 20_000;
    const many = await sandbox();
    try {
      await many.writeConfig(Array.from({ length: profiles }, (_, i) => `[profile p${i}]\n`).join(''));
      const result = await run('bash', ['-c', lateReader([process.execPath, vaultBin, 'list', '--profiles'])], { env: many.env });
      expectSuccess(result);
      expect(Number(result.stdout.trim())).toBe(profiles);
    } finally {
      await many.remove();
    }
  });

  it('ends quietly, with its own status, when the reader goes away early (`| head -1`)', async () => {
    const many = await sandbox();
    try {
      await many.writeConfig(Array.from({ length: 20_000 }, (_, i) => `[profile p${i}]\n`).join(''));
      const script = `${[process.execPath, vaultBin, 'list', '--profiles'].map(quote).join(' ')} | head -1; exit \${PIPESTATUS[0]}`;
      const result = await run('bash', ['-c', script], { env: many.env });
      expect(describeRun(result)).toBe(describeRun({ ...result, code: 0, stdout: 'p0\n', stderr: '' }));
    } finally {
      await many.remove();
    }
  });

  it('fails in one line when the output cannot be written (a full device), instead of exiting 0', async () => {
    for (const format of ['json', 'env']) {
      const script = `${[process.execPath, vaultBin, 'export', 'base', '--no-session', '--format', format].map(quote).join(' ')} > /dev/full`;
      const result = await run('bash', ['-c', script], { env: env() });
      expect(describeRun(result)).toBe(describeRun({ ...result, code: 1, stdout: '', stderr: 'vault: could not write the output: ENOSPC: no space left on device, write\n' }));
    }
  });

  it('all of what a child prints through `vault exec --redact` reaches a pipe that is read late', async () => {
    const lines = 50_000;
    const child = ['sh', '-c', `yes line | head -n ${lines}`];
    const result = await run('bash', ['-c', lateReader([process.execPath, vaultBin, 'exec', 'base', '--no-session', '--redact', '--', ...child])], { env: env() });
    expectSuccess(result);
    expect(Number(result.stdout.trim())).toBe(lines);
  });
});

describe('arguments', () => {
  const ARGS = ['0x10', '1e3', '-0', '1.50', '007', '', ' spaced ', '--flag=1', '-n', '$HOME', '*', 'ünï'];
  const EXPECTED = ARGS.map((a) => `${a}|`).join('');

  it.each([
    ['the fast path', []],
    ['yargs (an option only yargs reads)', ['--verbose']],
  ])('reach the command exactly as given, through %s', async (_, flags) => {
    const result = await runVault(['exec', 'base', '--no-session', ...flags, '--', 'printf', '%s|', ...ARGS], { env: env() });
    expectSuccess(result);
    expect(result.stdout).toBe(EXPECTED);
  });
});

/** Resolves whether `started` is still running after `ms`. */
async function stillRunningAfter(started: Started, ms: number): Promise<boolean> {
  const settled = await Promise.race([started.result.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), ms))]);
  return !settled;
}

async function parentOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** The pid the child wrote to `file` once it is ready. */
async function childPid(box: Sandbox, file: string): Promise<number> {
  return Number((await readFile(join(box.home, file), 'utf8')).trim());
}

describe('signals sent to vault', () => {
  const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

  it.each(SIGNALS)('%s reaches a child that handles it, and vault exits with the status the child chose', async (signal) => {
    const name = signal.slice(3);
    const status = 10 + constants.signals[signal];
    const script = `trap 'echo handled-${name}; exit ${status}' ${name}; echo ready; while :; do sleep 0.05; done`;
    const started = startVault(['exec', 'base', '--no-session', '--', 'sh', '-c', script], { env: env(), timeoutMs: 20_000 });
    await waitForOutput(started, 'ready');
    // vault's pid only: its child (same process group) must get the signal from vault, not from us.
    process.kill(started.child.pid!, signal);
    const done = await started.result;
    expect({ code: done.code, stdout: done.stdout, run: describeRun(done) }).toEqual({ code: status, stdout: `ready\nhandled-${name}\n`, run: describeRun(done) });
  });

  it.each(SIGNALS)('%s kills a child that does not handle it, and vault exits 128+N', async (signal) => {
    const started = startVault(['exec', 'base', '--no-session', '--', 'sh', '-c', 'echo ready; exec sleep 30'], { env: env(), timeoutMs: 20_000 });
    await waitForOutput(started, 'ready');
    process.kill(started.child.pid!, signal);
    const done = await started.result;
    expect({ code: done.code, signal: done.signal, run: describeRun(done) }).toEqual({ code: 128 + constants.signals[signal], signal: null, run: describeRun(done) });
  });

  it.each([
    ['in vault\'s process group, from the terminal', []],
    // setsid rather than timeout: timeout passes a signal on twice (to the command, then to its group), which the
    // child counts as two when it is slow to take the first.
    ['in a group of its own (under setsid), from vault', ['setsid']],
  ])('Ctrl-C at the terminal reaches the child once: %s', async (_, wrapper) => {
    const record = join(box.home, `interrupts-${wrapper.length}`);
    // A Node child counts every SIGINT delivered to it (a shell's trap would fold two close ones into one), and writes
    // the count a second after the first.
    const child = `let n = 0; process.on('SIGINT', () => { if (++n === 1) setTimeout(() => { require('fs').writeFileSync(${JSON.stringify(record)}, String(n)); process.exit(0); }, 1000); }); console.log('ready'); setInterval(() => {}, 1000);`;
    const term = await tty([process.execPath, vaultBin, 'exec', 'base', '--no-session', '--', ...wrapper, process.execPath, '-e', child], env());
    try {
      await term.waitFor(/^ready$/m);
      await term.press('C-c');
      const deadline = Date.now() + 20_000;
      let written = '';
      while (written === '' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        written = await readFile(record, 'utf8').catch(() => '');
      }
      expect(written).toBe('1');
    } finally {
      await term.kill();
    }
  });

  it('a child that ignores SIGTERM is not orphaned: vault keeps waiting, stays its parent, and exits with its status', async () => {
    const stop = join(box.home, 'stop-ignoring');
    const script = `trap '' TERM; echo $$ > ${quote(join(box.home, 'ignorer.pid'))}; echo ready; while [ ! -e ${quote(stop)} ]; do sleep 0.05; done; exit 5`;
    const started = startVault(['exec', 'base', '--no-session', '--', 'sh', '-c', script], { env: env(), timeoutMs: 20_000 });
    await waitForOutput(started, 'ready');
    const child = await childPid(box, 'ignorer.pid');
    process.kill(started.child.pid!, 'SIGTERM');
    process.kill(started.child.pid!, 'SIGTERM');
    expect(await stillRunningAfter(started, 1_500)).toBe(true);
    expect(await parentOf(child)).toBe(started.child.pid);
    await writeFile(stop, '');
    const done = await started.result;
    expect({ code: done.code, run: describeRun(done) }).toEqual({ code: 5, run: describeRun(done) });
  });

  it('when a supervisor then kills the ignoring child, vault reports it as 128+9', async () => {
    const script = `trap '' TERM INT HUP; echo $$ > ${quote(join(box.home, 'stubborn.pid'))}; echo ready; exec sleep 30`;
    const started = startVault(['exec', 'base', '--no-session', '--', 'sh', '-c', script], { env: env(), timeoutMs: 20_000 });
    await waitForOutput(started, 'ready');
    const child = await childPid(box, 'stubborn.pid');
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.kill(started.child.pid!, signal);
    expect(await stillRunningAfter(started, 1_000)).toBe(true);
    expect(await parentOf(child)).toBe(started.child.pid);
    process.kill(child, 'SIGKILL');
    const done = await started.result;
    expect({ code: done.code, run: describeRun(done) }).toEqual({ code: 137, run: describeRun(done) });
  });
});
