// The agent process (see launch.ts): reads its LaunchMessage from stdin, serves until the key is of no further
// use, then exits. It has no terminal and no stderr, so everything it has to say goes into its one report line.
import { VaultFile } from '@vault/core';
import type { LaunchMessage, LaunchReport } from './launch.js';
import { fromWireKey } from './protocol.js';
import { startAgentServer } from './server.js';

function readLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
    });
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
  });
}

function report(r: LaunchReport): void {
  process.stdout.write(`${JSON.stringify(r)}\n`);
}

async function run(): Promise<number> {
  let message: LaunchMessage;
  try {
    message = JSON.parse(await readLine(process.stdin)) as LaunchMessage;
  } catch {
    report({ ready: false, code: 'AGENT_START', message: 'the vault agent was started without a valid launch message' });
    return 1;
  }
  process.stdin.destroy();
  try {
    const agent = await startAgentServer({
      file: new VaultFile(message.location.vault),
      key: fromWireKey(message.key),
      location: message.location,
      ttlMs: message.ttlMs,
    });
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => void agent.close());
    report({ ready: true, pid: process.pid });
    await agent.closed;
    return 0;
  } catch (err) {
    const code = typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : 'AGENT_START';
    report({ ready: false, code, message: err instanceof Error ? err.message : String(err) });
    return 1;
  }
}

process.exit(await run());
