// Starting the agent process for `vault unlock`. The key travels over the child's stdin, never its argv or
// environment, which other processes can read from /proc; the child reports one line on stdout once its socket
// listens (or why it could not), then lives on detached from the terminal and from vault.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { VaultKey } from '@vault/core';
import { AgentError } from './errors.js';
import type { AgentLocation } from './location.js';
import { toWireKey, type WireKey } from './protocol.js';

/** What `vault unlock` hands the agent process. */
export interface LaunchMessage {
  location: AgentLocation;
  ttlMs: number;
  key: WireKey;
}

/** The agent's one line back. */
export type LaunchReport = { ready: true; pid: number } | { ready: false; code: string; message: string };

const START_TIMEOUT_MS = 15_000;

/**
 * The agent lives for hours answering short requests whose work is native (file read, libsodium's WebAssembly,
 * JSON, SHA-256), so V8's growth for speed only costs it memory: young-generation semi-spaces that grow toward
 * 16 MiB under a steady allocation rate, and optimised code. Capped, its RSS after 1,000 requests is ~1.05x its RSS
 * after 10 instead of ~1.13x (docs/benchmarks.md, "The agent's memory"). `--lite-mode` would save more but turns
 * WebAssembly off, which libsodium needs.
 */
const AGENT_V8_FLAGS = ['--max-semi-space-size=1', '--no-opt'];

/** Starts a detached agent holding `key`; resolves with its pid once it listens. The caller still wipes `key`. */
export async function launchAgent(location: AgentLocation, key: VaultKey, ttlMs: number): Promise<number> {
  const entry = fileURLToPath(new URL('./entry.js', import.meta.url));
  // An empty environment: the agent needs nothing from it, and AWS_VAULT_FILE_PASSPHRASE must not outlive vault.
  // stderr goes nowhere: an inherited one would hold the caller's pipe open for the agent's whole life.
  const child = spawn(process.execPath, [...AGENT_V8_FLAGS, entry], { detached: true, stdio: ['pipe', 'pipe', 'ignore'], env: {}, cwd: '/' });
  const message: LaunchMessage = { location, ttlMs, key: toWireKey(key) };
  child.stdin.on('error', () => {});
  child.stdin.end(`${JSON.stringify(message)}\n`);
  try {
    const report = parseReport(await firstLine(child, START_TIMEOUT_MS));
    if (!report) throw new AgentError('AGENT_START', 'the vault agent did not start: it gave no usable answer');
    if (!report.ready) {
      throw new AgentError(report.code === 'AGENT_SOCKET' ? 'AGENT_SOCKET' : 'AGENT_START', report.message);
    }
    return report.pid;
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  } finally {
    child.stdout.destroy();
    child.unref();
  }
}

function firstLine(child: ReturnType<typeof spawn>, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new AgentError('AGENT_START', `the vault agent did not start: ${why}`));
    };
    const timer = setTimeout(() => fail(`no answer within ${timeoutMs / 1000} s`), timeoutMs);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      text += chunk;
      const newline = text.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(text.slice(0, newline));
      }
    });
    child.once('error', (err) => fail(err.message));
    child.once('exit', (code, signal) => fail(`it exited (${signal ?? `status ${code}`}) before listening`));
  });
}

function parseReport(line: string): LaunchReport | undefined {
  try {
    const report = JSON.parse(line) as Partial<LaunchReport>;
    if (report.ready === true && typeof report.pid === 'number') return { ready: true, pid: report.pid };
    if (report.ready === false && typeof report.code === 'string') {
      return { ready: false, code: report.code, message: String(report.message ?? '') };
    }
    return undefined;
  } catch {
    return undefined;
  }
}
