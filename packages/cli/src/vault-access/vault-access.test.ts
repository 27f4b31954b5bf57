import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyVaultData, putCredentials, VaultFile, wipeKey } from '@vault/core';
import { agentLocation } from '../agent/location.js';
import { CONFLICT } from '../agent/protocol.js';
import { createContext, type Context } from '../io/context.js';
import { unlockVault } from './vault-access.js';

const PASS = 'vault-access unit test';

let dir: string;
let agent: Server | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vault-access-'));
});

afterEach(async () => {
  await new Promise((resolve) => (agent ? agent.close(resolve) : resolve(undefined)));
  agent = undefined;
  await rm(dir, { recursive: true, force: true });
});

/**
 * A vault at Argon2id's minimum cost, and an agent for it that answers every `update` with a conflict (another
 * process wrote first) `conflicts` times, then accepts. No passphrase is in the environment and no terminal is there:
 * falling back to asking for one fails the command.
 */
async function busyAgent(conflicts: number, clock: () => Date = () => new Date()): Promise<{ ctx: Context; updates: () => number }> {
  const file = new VaultFile(join(dir, 'vault-dir', 'vault'));
  wipeKey(await file.create(PASS, { alg: 'argon2id13', opslimit: 1, memlimit: 8 * 1024 }));
  const env = { AWS_VAULT_FILE_DIR: join(dir, 'vault-dir') };
  const location = agentLocation(env, file.path);
  const status = { vault: location.vault, pid: process.pid, idleMsLeft: 60_000, ttlMs: 60_000 };
  let updates = 0;
  agent = createServer((conn) =>
    conn.once('data', (line) => {
      const { op } = JSON.parse(String(line)) as { op: string };
      const reply =
        op === 'update' && ++updates <= conflicts
          ? { ok: false, code: CONFLICT, message: 'the vault changed since it was read' }
          : { ok: true, status, data: emptyVaultData(), revision: `r${updates}` };
      conn.end(`${JSON.stringify(reply)}\n`);
    }),
  );
  await mkdir(location.dir, { recursive: true, mode: 0o700 });
  await new Promise<void>((resolve) => agent!.listen(location.socket, resolve));
  await chmod(location.socket, 0o600);
  const ctx: Context = { ...createContext({ debug: false, env }), clock, interactive: () => false };
  return { ctx, updates: () => updates };
}

const add = (d: ReturnType<typeof emptyVaultData>) => putCredentials(d, 'p', { accessKeyId: 'AKIAPPPPPPPPPPPPPPPP', secretAccessKey: 'p', addedAt: 'now' });

describe('an update through the agent while other processes write', () => {
  it('computes the change again after each conflict until it gets in, without asking for a passphrase', async () => {
    const { ctx, updates } = await busyAgent(8);
    const vault = await unlockVault(ctx, new VaultFile(join(dir, 'vault-dir', 'vault')));
    expect(Object.keys((await vault.update(add)).credentials)).toEqual(['p']);
    expect(updates()).toBe(9);
  });

  it('gives up with one line naming the cause once the vault has stayed busy for 15 s', async () => {
    let now = 0;
    const clock = () => new Date((now += 4_000));
    const { ctx } = await busyAgent(Number.POSITIVE_INFINITY, clock);
    const vault = await unlockVault(ctx, new VaultFile(join(dir, 'vault-dir', 'vault')));
    await expect(vault.update(add)).rejects.toMatchObject({
      code: 'VAULT_LOCKED',
      message: 'other vault commands kept changing the vault for 15 s while this one tried to write it',
    });
  });
});
