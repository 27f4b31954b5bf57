// What the numbers were measured on, for the table in docs/benchmarks.md.
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { run } from './environment.mjs';

async function osName() {
  try {
    const text = await readFile('/etc/os-release', 'utf8');
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text)?.[1];
    if (pretty) return `${pretty}, ${os.type()} ${os.release()}`;
  } catch {
    // Not Linux, or no os-release: the kernel alone.
  }
  return `${os.type()} ${os.release()}`;
}

async function firstLine(file, args) {
  try {
    const { stdout, stderr } = await run(file, args, { timeoutMs: 30_000 });
    return (stdout.trim() || stderr.trim()).split('\n')[0];
  } catch {
    return 'not installed';
  }
}

/** CPU, cores, memory, OS, Node and the tools the cases run, plus the load when the run began. */
export async function describeMachine({ timer }) {
  const cpus = os.cpus();
  return {
    CPU: cpus[0]?.model.trim() || 'unknown',
    Cores: String(os.availableParallelism()),
    Memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    OS: await osName(),
    Node: process.version,
    'AWS CLI': await firstLine('aws', ['--version']),
    moto: await firstLine('python3', ['-c', 'import moto; print("moto " + moto.__version__)']),
    // Node reads and parses this file at every start: it adds to every case, `node -e 0` included.
    NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? 'not set',
    Timer: timer,
    'Load average at start (1/5/15 min)': os.loadavg().map((l) => l.toFixed(2)).join(' / '),
  };
}
