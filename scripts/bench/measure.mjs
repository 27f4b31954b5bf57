// Timing one command: with hyperfine when it is installed, else with repeated runs from Node. Both run the command
// without a shell and without a controlling terminal, run `prepare` (untimed) before every run when given, fail on
// a non-zero exit, and answer the run times in seconds.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { killGroup, run, track } from './environment.mjs';

/** hyperfine's version line, or undefined when it is not installed. */
export async function hyperfineVersion() {
  try {
    return (await run('hyperfine', ['--version'], { timeoutMs: 10_000 })).stdout.trim();
  } catch {
    return undefined;
  }
}

/** A POSIX-quoted word: hyperfine splits its command lines like a shell even when it runs them without one. */
function quote(word) {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function commandLine(argv) {
  return argv.map(quote).join(' ');
}

/**
 * Times `argv` with hyperfine: `warmup` runs, then `runs` timed runs. `perRunTimeoutMs` bounds each run; the whole
 * hyperfine process is killed when all runs together exceed their budget.
 */
export async function timeWithHyperfine({ argv, env, prepare, runs, warmup, perRunTimeoutMs, workDir, id }) {
  const out = join(workDir, `hyperfine-${id}.json`);
  const args = ['-N', '--style', 'none', '--warmup', String(warmup), '--runs', String(runs), '--export-json', out];
  if (prepare) args.push('--prepare', commandLine(prepare));
  args.push(commandLine(argv));
  const budget = (runs + warmup) * perRunTimeoutMs * (prepare ? 2 : 1);
  await run('hyperfine', args, { env, timeoutMs: budget });
  const result = JSON.parse(await readFile(out, 'utf8')).results[0];
  return result.times;
}

/** One run of `argv` in its own session: resolves with the wall time in seconds. */
function timedRun(argv, env, timeoutMs) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { env, detached: true, stdio: 'ignore' });
    track(child);
    const timer = setTimeout(() => killGroup(child.pid), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (code, signal) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      clearTimeout(timer);
      if (code === 0) resolve(seconds);
      else reject(new Error(`${argv.join(' ')}: ${signal ? `killed by ${signal}` : `exit status ${code}`}`));
    });
  });
}

/** The same measurement without hyperfine. */
export async function timeWithNode({ argv, env, prepare, runs, warmup, perRunTimeoutMs }) {
  return (await timeInterleavedWithNode([{ argv, env, prepare }], { runs, warmup, perRunTimeoutMs }))[0];
}

/**
 * Several commands timed in turn, one run of each per round, so that a machine that slows down or speeds up during
 * the measurement moves them alike and their ratios stay fair (a minute of someone else's load otherwise lands on
 * whichever case was running). Answers each command's run times in seconds, in the order given.
 */
export async function timeInterleavedWithNode(commands, { runs, warmup, perRunTimeoutMs }) {
  const times = commands.map(() => []);
  for (let i = 0; i < warmup + runs; i++) {
    for (const [k, { argv, env, prepare }] of commands.entries()) {
      if (prepare) await run(prepare[0], prepare.slice(1), { env, timeoutMs: perRunTimeoutMs });
      const seconds = await timedRun(argv, env, perRunTimeoutMs);
      if (i >= warmup) times[k].push(seconds);
    }
  }
  return times;
}
