import {
  KDF_PRESETS,
  putSessions,
  VaultExistsError,
  VaultFile,
  WrongPassphraseError,
  type CachedSession,
  type KdfParams,
  type VaultData,
  type VaultKey,
} from '@vault/core';
import { AgentClient } from '../agent/client.js';
import { agentLocation } from '../agent/location.js';
import { CliError } from '../errors/cli-error.js';
import type { Context } from '../io/context.js';
import { withRetries } from '../io/retry.js';

/**
 * KDF parameters for a new vault. VAULT_TEST_KDF=fast exists only so end-to-end tests can create many vaults
 * quickly; it weakens nothing already sealed, because the parameters of an existing vault come from its header.
 */
export function newVaultKdf(env: NodeJS.ProcessEnv): KdfParams {
  if (env.VAULT_TEST_KDF === 'fast') return { alg: 'argon2id13', opslimit: 1, memlimit: 8 * 1024 * 1024 };
  return KDF_PRESETS.interactive;
}

export function openVaultFile(ctx: Context): VaultFile {
  return new VaultFile(ctx.vaultPath);
}

/** Asks for a new passphrase twice (or takes it from `envName`), refusing empty or mismatched input. */
export async function newPassphrase(ctx: Context, envName: string): Promise<string> {
  const fromEnv = ctx.env[envName];
  if (fromEnv !== undefined) {
    if (!fromEnv) throw new CliError('EMPTY_PASSPHRASE', `${envName} is set but empty`);
    return fromEnv;
  }
  if (!ctx.interactive()) {
    throw new CliError('NO_TTY', `a new vault passphrase is needed but there is no terminal; set ${envName}`);
  }
  return withRetries(
    ctx.info,
    async () => {
      const first = await ctx.prompter.secret('New vault passphrase:');
      if (!first) throw new CliError('EMPTY_PASSPHRASE', 'the passphrase is empty');
      const second = await ctx.prompter.secret('Confirm vault passphrase:');
      if (first !== second) throw new CliError('PASSPHRASE_MISMATCH', 'the passphrases do not match');
      return first;
    },
    (err) => (err instanceof CliError && err.code === 'EMPTY_PASSPHRASE' ? 'The passphrase is empty' : err instanceof CliError && err.code === 'PASSPHRASE_MISMATCH' ? 'The two passphrases differ' : undefined),
  );
}

/**
 * Above this many MiB times passes, Argon2id takes more than about 300 ms here (64 MiB x 2 passes: 160 ms; 256 MiB
 * x 3: 1.2 s, docs/benchmarks.md). The KDF blocks the event loop, so its time is predicted rather than watched.
 */
const SLOW_KDF_MIB_PASSES = 240;

/** Derives the key, with a status line on a terminal while a slow KDF runs. */
async function unlockWith(ctx: Context, file: VaultFile, passphrase: string): Promise<VaultKey> {
  const { kdf } = await file.readKeyInfo();
  const slow = (kdf.memlimit / (1024 * 1024)) * kdf.opslimit > SLOW_KDF_MIB_PASSES;
  const clear = slow ? ctx.status('Unlocking vault...') : () => {};
  try {
    return await file.unlock(passphrase);
  } finally {
    clear();
  }
}

/** The agent that holds this vault's key after `vault unlock`; when there is none, its methods say so quietly. */
export function vaultAgent(ctx: Context, file: VaultFile): AgentClient {
  return new AgentClient({ location: agentLocation(ctx.env, file.path), log: ctx.debug, warn: ctx.info });
}

/** Unlocks an existing vault (VaultNotFoundError when there is none): from the agent if it is unlocked, else asks. */
export async function unlockVault(ctx: Context, file: VaultFile): Promise<VaultKey> {
  // Fail on a missing file before asking for a passphrase that could not be checked.
  if (!(await file.exists())) await file.readKeyInfo();
  const fromAgent = await vaultAgent(ctx, file).key();
  if (fromAgent) {
    ctx.debug('using the vault key held by the agent');
    return fromAgent;
  }
  return passphraseKey(ctx, file);
}

/** Unlocks with the passphrase, never the agent: `vault unlock` must prove it is known. */
export async function unlockWithPassphrase(ctx: Context, file: VaultFile): Promise<VaultKey> {
  if (!(await file.exists())) await file.readKeyInfo();
  return passphraseKey(ctx, file);
}

/** The key from the passphrase, for a vault already known to exist: from the environment, else asked (3 tries). */
async function passphraseKey(ctx: Context, file: VaultFile): Promise<VaultKey> {
  const fromEnv = ctx.env.AWS_VAULT_FILE_PASSPHRASE;
  if (fromEnv !== undefined) {
    ctx.redactor.add(fromEnv);
    return unlockWith(ctx, file, fromEnv);
  }
  if (!ctx.interactive()) {
    throw new CliError('NO_TTY', 'the vault passphrase is needed but there is no terminal to ask on');
  }
  return withRetries(
    ctx.info,
    async () => {
      const passphrase = await ctx.prompter.secret('Vault passphrase:');
      ctx.redactor.add(passphrase);
      return unlockWith(ctx, file, passphrase);
    },
    (err) => (err instanceof WrongPassphraseError ? 'Wrong passphrase' : undefined),
  );
}

/** A vault opened to read it and to store new sessions in it. */
export interface OpenedVault {
  data: VaultData;
  /** Writes the sessions into the vault in one locked update. */
  putSessions(sessions: ReadonlyMap<string, CachedSession>): Promise<void>;
}

/**
 * Opens the vault for the credentials path. When the agent holds the key it decrypts and writes for us, so neither
 * the passphrase nor the KDF nor libsodium is needed here; otherwise `unlock` provides the key. A caller passing its
 * own `unlock` (one that keeps the key for later) always gets the key path.
 */
export async function openVault(
  ctx: Context,
  file: VaultFile,
  unlock?: (ctx: Context, file: VaultFile) => Promise<VaultKey>,
): Promise<OpenedVault> {
  if (!unlock) {
    const agent = vaultAgent(ctx, file);
    const opened = await agent.read();
    if (opened) {
      ctx.debug('vault opened by the agent');
      return {
        data: opened.data,
        async putSessions(sessions) {
          // The agent stopped in between (locked, expired, passphrase changed): write with a key of our own.
          if (!(await agent.putSessions(sessions))) await storeSessions(file, await unlockWithPassphrase(ctx, file), sessions);
        },
      };
    }
  }
  const key = await (unlock ?? unlockWithPassphrase)(ctx, file);
  return { data: await file.read(key), putSessions: (sessions) => storeSessions(file, key, sessions) };
}

async function storeSessions(file: VaultFile, key: VaultKey, sessions: ReadonlyMap<string, CachedSession>): Promise<void> {
  await file.update(key, (d) => putSessions(d, sessions));
}

/** Unlocks the vault, creating it (new passphrase asked twice) when it does not exist yet. */
export async function unlockOrCreateVault(ctx: Context, file: VaultFile): Promise<{ key: VaultKey; created: boolean }> {
  if (await file.exists()) return { key: await unlockVault(ctx, file), created: false };
  const passphrase = await newPassphrase(ctx, 'AWS_VAULT_FILE_PASSPHRASE');
  ctx.redactor.add(passphrase);
  try {
    return { key: await file.create(passphrase, newVaultKdf(ctx.env)), created: true };
  } catch (err) {
    // Another vault process created it since the check (several `vault add` at once on a new machine): join
    // that vault with the passphrase just given rather than fail.
    if (!(err instanceof VaultExistsError)) throw err;
    return { key: await file.unlock(passphrase), created: false };
  }
}
