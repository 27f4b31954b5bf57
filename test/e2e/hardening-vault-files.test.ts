// Hostile things at the vault's path: every command that would read, write or re-seal the vault must stop with one
// specific line and leave every byte, mode and link as it found them. (Every single-byte flip and every truncation
// are covered exhaustively in packages/core/src/vault.test.ts and by scripts/fuzz.mjs.) Every case and command runs
// in-process (support/in-process.ts); one case per command also runs through the built binary, for the real exit
// status and stderr, and the time and memory of a process given a forged header.
import { jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VaultFile, putCredentials } from '@vault/core';
import sodium from 'libsodium-wrappers-sumo';
import { expectOneLineError, expectSuccess } from './support/expect-error.js';
import { fakeKeys } from './support/fake-keys.js';
import { runInProcess } from './support/in-process.js';
import type { Env } from './support/process.js';
import { FIXTURE_KDF, sandbox, type Sandbox } from './support/sandbox.js';
import { runVault } from './support/vault.js';
import { mapLimit, snapshotTree } from './support/vault-state.js';

jest.setTimeout(180_000);

const PASSPHRASE = 'hostile file e2e passphrase';
const HEADER_BYTES = 102;
const CHECKSUM_AT = 86;

let good: Buffer;
let other: Buffer;
const boxes: Sandbox[] = [];

beforeAll(async () => {
  await sodium.ready;
  const box = await sandbox({ passphrase: PASSPHRASE });
  boxes.push(box);
  const keys = fakeKeys();
  expectSuccess(await runInProcess(['add', '--env', 'seed'], {
    env: { ...box.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey },
  }));
  good = await readFile(box.vaultFile);
  // A real vault of someone else: same format, another passphrase and salt.
  const foreign = new VaultFile(join(box.home, 'foreign', 'vault'));
  const key = await foreign.create('somebody else', FIXTURE_KDF);
  await foreign.update(key, (d) => putCredentials(d, 'seed', { ...fakeKeys(), addedAt: new Date().toISOString() }));
  other = await readFile(foreign.path);
});
afterAll(async () => {
  await Promise.all(boxes.map((b) => b.remove()));
});

async function newBox(): Promise<Sandbox> {
  const box = await sandbox();
  boxes.push(box);
  return box;
}

const MiB = 1024 * 1024;

/** The header's opslimit and memlimit (big-endian at bytes 6 and 10) replaced. */
function withKdf(bytes: Buffer, opslimit: number, memlimit: number): Buffer {
  const out = Buffer.from(bytes);
  out.writeUInt32BE(opslimit, 6);
  out.writeUInt32BE(memlimit, 10);
  return out;
}

function withHeaderChecksum(bytes: Buffer): Buffer {
  // The unkeyed BLAKE2b-128 of the header (docs/security.md), recomputed as a forger would, with libsodium's
  // generic hash (BLAKE2b) rather than vault's code; Python's hashlib would do too but costs 0.75 s a start here.
  const out = Buffer.from(bytes);
  out.set(sodium.crypto_generichash(16, bytes.subarray(0, CHECKSUM_AT), null), CHECKSUM_AT);
  return out;
}

function swapped(bytes: Buffer, a: number, b: number, length: number): Buffer {
  const out = Buffer.from(bytes);
  bytes.copy(out, a, b, b + length);
  bytes.copy(out, b, a, a + length);
  return out;
}

async function placeFile(box: Sandbox, bytes: Buffer, mode = 0o600): Promise<void> {
  await mkdir(box.vaultDir, { mode: 0o700 });
  await writeFile(box.vaultFile, bytes);
  await chmod(box.vaultFile, mode);
}

interface HostileCase {
  name: string;
  setup(box: Sandbox): Promise<void>;
  error: RegExp;
  /** Where else the case put something that must stay untouched (a symlink's target). */
  alsoWatch?: (box: Sandbox) => string;
}

const corrupt = (detail: string) => new RegExp(`^vault: vault file \\S+/vault is corrupt or was tampered with: ${detail}`);
const refused = (detail: string) => new RegExp(`^vault: refusing to use \\S+: ${detail}`);

const CASES: HostileCase[] = [
  { name: 'a zero-length file', setup: (box) => placeFile(box, Buffer.alloc(0)), error: corrupt('the file is empty') },
  {
    name: 'a directory in its place',
    setup: async (box) => {
      await mkdir(box.vaultFile, { recursive: true, mode: 0o700 });
    },
    error: refused('it is a directory, not a vault file'),
  },
  {
    name: 'a symlink to a good vault elsewhere',
    setup: async (box) => {
      const elsewhere = join(box.home, 'elsewhere');
      await mkdir(elsewhere, { mode: 0o700 });
      await writeFile(join(elsewhere, 'vault'), good, { mode: 0o600 });
      await mkdir(box.vaultDir, { mode: 0o700 });
      await symlink(join(elsewhere, 'vault'), box.vaultFile);
    },
    error: refused('it is a symlink; replace it with the file it points to'),
    alsoWatch: (box) => join(box.home, 'elsewhere'),
  },
  {
    name: 'a dangling symlink',
    setup: async (box) => {
      await mkdir(box.vaultDir, { mode: 0o700 });
      await symlink(join(box.home, 'nowhere', 'vault'), box.vaultFile);
    },
    error: refused('it is a symlink'),
  },
  ...[0o644, 0o640, 0o604, 0o660].map((mode) => {
    const octal = mode.toString(8).padStart(4, '0');
    return {
      name: `mode ${octal} (readable or writable by others)`,
      setup: (box: Sandbox) => placeFile(box, good, mode),
      error: refused(`it is accessible by other users \\(mode ${octal}\\); run \`chmod 600 \\S+/vault\``),
    };
  }),
  {
    name: 'a FIFO',
    setup: async (box) => {
      await mkdir(box.vaultDir, { mode: 0o700 });
      execFileSync('mkfifo', ['-m', '600', box.vaultFile]);
    },
    error: refused('it is not a regular file'),
  },
  {
    name: 'a vault directory other users can write to',
    setup: async (box) => {
      await placeFile(box, good);
      await chmod(box.vaultDir, 0o777);
    },
    error: refused('the vault directory is writable by other users \\(mode 0777\\)'),
  },
  {
    name: 'a file where the vault directory should be',
    setup: (box) => writeFile(box.vaultDir, 'not a directory\n'),
    error: refused('the vault directory is not a directory'),
  },
  { name: 'one appended byte', setup: (box) => placeFile(box, Buffer.concat([good, Buffer.from([0])])), error: corrupt('the file length is off by 1 bytes') },
  {
    name: 'an appended padding block',
    setup: (box) => placeFile(box, Buffer.concat([good, Buffer.alloc(512, 0x20)])),
    error: corrupt('the encrypted payload fails authentication'),
  },
  { name: 'a file cut inside the header', setup: (box) => placeFile(box, good.subarray(0, 60)), error: corrupt('the file is truncated') },
  {
    name: 'opslimit and memlimit swapped',
    setup: (box) => placeFile(box, swapped(good, 6, 10, 4)),
    error: corrupt('header checksum mismatch'),
  },
  {
    name: 'salt and nonce swapped, checksum recomputed',
    setup: (box) => placeFile(box, withHeaderChecksum(swapped(good, 14, 62, 16))),
    error: corrupt('the encrypted payload fails authentication|wrong passphrase'),
  },
  {
    name: 'a 2 GiB+ memlimit forged into the header (checksum recomputed)',
    setup: (box) => {
      const forged = Buffer.from(good);
      forged.writeUInt32BE(0xffffffff, 10);
      return placeFile(box, withHeaderChecksum(forged));
    },
    error: corrupt('KDF memlimit 4294967295 is outside'),
  },
  {
    // Believed, these cost 53 s and 2 GB per command; vault itself never seals with more than 4 passes of 1 GiB.
    name: '20 passes of 1.9 GiB forged into the header (checksum recomputed)',
    setup: (box) => placeFile(box, withHeaderChecksum(withKdf(good, 20, 1900 * MiB))),
    error: corrupt('KDF opslimit 20 is outside 1..4'),
  },
  {
    // The WebAssembly libsodium cannot allocate this much and used to fail with a raw TypeError.
    name: 'a memlimit just under 2 GiB forged into the header (checksum recomputed)',
    setup: (box) => placeFile(box, withHeaderChecksum(withKdf(good, 2, 2047 * MiB))),
    error: corrupt('KDF memlimit 2146435072 is outside'),
  },
  {
    // No check can tell a forged salt from a wrong passphrase without the passphrase (docs/security.md).
    name: 'a version byte flipped (checksum not recomputed): damage, not a newer vault',
    setup: (box) => {
      const flipped = Buffer.from(good);
      flipped[4] = 2;
      return placeFile(box, flipped);
    },
    error: corrupt('unsupported format version 2'),
  },
  {
    name: 'the salt edited, checksum recomputed',
    setup: (box) => {
      const forged = Buffer.from(good);
      forged[14] ^= 0x01;
      return placeFile(box, withHeaderChecksum(forged));
    },
    error: /^vault: wrong passphrase for the vault \S+\/vault\. .*If you are sure of it, the vault header was altered/,
  },
  {
    name: 'a future format version',
    setup: (box) => {
      const future = Buffer.from(good);
      future[4] = 2;
      // As a later vault writes it, its header checksum (which covers the version) holding.
      return placeFile(box, withHeaderChecksum(future));
    },
    error: /^vault: vault file \S+\/vault was written by a newer vault \(format version 2; this one reads version 1\)\. Use the newer vault/,
  },
  { name: 'a text file', setup: (box) => placeFile(box, Buffer.from('[default]\naws_access_key_id = x\n')), error: corrupt('not a vault file') },
  {
    name: 'the header of another vault on this body',
    setup: (box) => placeFile(box, Buffer.concat([other.subarray(0, HEADER_BYTES), good.subarray(HEADER_BYTES)])),
    error: /^vault: wrong passphrase for the vault \S+\/vault/,
  },
  { name: 'a whole file from another vault', setup: (box) => placeFile(box, other), error: /^vault: wrong passphrase for the vault \S+\/vault/ },
];

/** Commands that read, write and re-seal the vault; each must refuse without touching anything. */
const COMMANDS: Array<{ args: string[]; env?: Env }> = [
  { args: ['add', '--env', 'newcomer'], env: { AWS_ACCESS_KEY_ID: fakeKeys().accessKeyId, AWS_SECRET_ACCESS_KEY: fakeKeys().secretAccessKey } },
  { args: ['exec', 'seed', '--no-session', '--', 'true'] },
  { args: ['list'] },
  { args: ['passphrase'], env: { AWS_VAULT_NEW_PASSPHRASE: 'a new passphrase' } },
];

/**
 * Through the built binary as well, one case per command: a write through a symlink, the costliest forged header
 * (53 s and 2 GB of Argon2id, were it believed), a FIFO (a process that opened it would wait forever), and another
 * vault's file (a real wrong-passphrase unlock).
 */
const ON_BINARY: Record<string, string> = {
  add: 'a symlink to a good vault elsewhere',
  exec: '20 passes of 1.9 GiB forged into the header (checksum recomputed)',
  list: 'a FIFO',
  passphrase: 'a whole file from another vault',
};

interface Outcome {
  name: string;
  command: string;
  line: string;
  changed: boolean;
  ms: number;
}

/** Each case under its command in a sandbox of its own, `limit` at once, through `runner` (runVault or runInProcess). */
function runCases(runs: Array<{ c: HostileCase; command: (typeof COMMANDS)[number] }>, limit: number, runner: typeof runVault): Promise<Outcome[]> {
  return mapLimit(runs, limit, async ({ c, command }) => {
    const box = await newBox();
    await c.setup(box);
    const watched = [box.home, ...(c.alsoWatch ? [c.alsoWatch(box)] : [])];
    const before = await Promise.all(watched.map(snapshotTree));
    const started = Date.now();
    const result = await runner(command.args, { env: { ...box.env, AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE, ...command.env } });
    const ms = Date.now() - started;
    const line = expectOneLineError(result);
    const after = await Promise.all(watched.map(snapshotTree));
    return { name: c.name, command: command.args[0]!, line, changed: JSON.stringify(before) !== JSON.stringify(after), ms };
  });
}

/** The case's line from every command that ran it, and nothing it watches changed. */
function expectRefused(c: HostileCase, outcomes: Outcome[]): void {
  for (const r of outcomes) {
    expect({ command: r.command, line: r.line }).toEqual({ command: r.command, line: expect.stringMatching(c.error) });
    expect({ command: r.command, changed: r.changed }).toEqual({ command: r.command, changed: false });
  }
}

describe('hostile vault files', () => {
  let results: Outcome[];

  beforeAll(async () => {
    results = await runCases(
      CASES.flatMap((c) => COMMANDS.map((command) => ({ c, command }))),
      3,
      runInProcess,
    );
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s: a specific one-line error from every command, nothing changed', (name, c) => {
    const mine = results.filter((r) => r.name === name);
    expect(mine.map((r) => r.command)).toEqual(COMMANDS.map((cmd) => cmd.args[0]));
    expectRefused(c, mine);
  });

  it('answers every hostile file within seconds (no KDF run on a forged header)', () => {
    expect(results.filter((r) => r.ms > 10_000)).toEqual([]);
  });
});

describe('one case per command through the built binary', () => {
  let results: Outcome[];

  beforeAll(async () => {
    const runs = COMMANDS.map((command) => ({ c: CASES.find((c) => c.name === ON_BINARY[command.args[0]!])!, command }));
    results = await runCases(runs, runs.length, runVault);
  });

  it.each(Object.entries(ON_BINARY))('%s, %s: the same one line, nothing changed, within seconds', (command, name) => {
    const mine = results.filter((r) => r.command === command);
    expect(mine.map((r) => r.name)).toEqual([name]);
    expectRefused(CASES.find((c) => c.name === name)!, mine);
    expect(mine.filter((r) => r.ms > 10_000)).toEqual([]);
  });
});
