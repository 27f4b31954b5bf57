import { lstatSync } from 'node:fs';
import {
  diffVaultData,
  KDF_PRESETS,
  storeNewSessions,
  VaultExistsError,
  VaultFile,
  WrongPassphraseError,
  type CachedSession,
  type KeysBasis,
  type SealedVault,
  type SsoToken,
  type VaultData,
  type VaultKey,
} from '@vault/core';
import { AgentClient } from '../agent/client.js';
import { agentLocation } from '../agent/location.js';
import { CliError } from '../errors/cli-error.js';
import type { Context } from '../io/context.js';
import { withRetries } from '../io/retry.js';
import { checkBackend } from './backend.js';

export function openVaultFile(ctx: Context): VaultFile {
  checkBackend(ctx);
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
    throw new CliError('NO_TTY', `a new vault passphrase is needed but there is no terminal to ask on: set ${envName}, or run from a terminal`);
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
async function unlockWith(ctx: Context, sealed: SealedVault, passphrase: string): Promise<VaultKey> {
  const { kdf } = sealed.info;
  const slow = (kdf.memlimit / (1024 * 1024)) * kdf.opslimit > SLOW_KDF_MIB_PASSES;
  const clear = slow ? ctx.status('Unlocking vault...') : () => {};
  try {
    return await sealed.unlock(passphrase);
  } finally {
    clear();
  }
}

/**
 * The agent of this vault where `env` says it listens (agent/location.ts); when there is none, its methods say so
 * quietly. `vault unlock` starts one there.
 */
export function vaultAgent(ctx: Context, file: VaultFile, env: NodeJS.ProcessEnv = ctx.env): AgentClient {
  return new AgentClient({ location: agentLocation(env, file.path), log: ctx.debug, warn: ctx.info });
}

/**
 * The environments whose agent places an agent of this vault may listen in: this one's (under XDG_RUNTIME_DIR, else
 * beside the vault), beside the vault, and /run/user/UID when XDG_RUNTIME_DIR is unset. `vault unlock` run from
 * another environment (a desktop terminal, then ssh, sudo -E, cron, an old tmux server) listens in another of them.
 */
export function agentPlaces(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv[] {
  const uid = process.getuid?.();
  return [
    env,
    { ...env, XDG_RUNTIME_DIR: undefined },
    ...(env.XDG_RUNTIME_DIR || uid === undefined ? [] : [{ ...env, XDG_RUNTIME_DIR: `/run/user/${uid}` }]),
  ];
}

/** The agent that holds this vault's key wherever it listens (agentPlaces): the first place with a socket. */
export function runningAgent(ctx: Context, file: VaultFile): AgentClient {
  const here = vaultAgent(ctx, file);
  if (socketPresent(here.location.socket)) return here;
  for (const env of agentPlaces(ctx.env).slice(1)) {
    const there = vaultAgent(ctx, file, env);
    if (there.location.socket !== here.location.socket && socketPresent(there.location.socket)) {
      ctx.debug(`the vault agent listens on ${there.location.socket}, not where this environment puts it`);
      return there;
    }
  }
  return here;
}

function socketPresent(path: string): boolean {
  try {
    return lstatSync(path).isSocket();
  } catch {
    return false;
  }
}

/** An unlocked vault as a command uses it: through the agent after `vault unlock`, else with a key of its own. */
export interface UnlockedVault {
  read(): Promise<VaultData>;
  /** Read-modify-write of the current contents; `fn` may run more than once when another process writes meanwhile. */
  update(fn: (d: VaultData) => VaultData | Promise<VaultData>): Promise<VaultData>;
}

/**
 * How long an update through the agent goes on recomputing while other processes write first. Each conflict means
 * another write got in, so with many writers at once (25 `vault add`s) a command may lose several times; it waits a
 * little, at random and longer each time, so that they spread out. Falling back to the passphrase would not help:
 * the agent is there, the vault is just busy.
 */
const AGENT_CONFLICT_BUDGET_MS = 15_000;

function keyVault(file: VaultFile, key: VaultKey): UnlockedVault {
  return { read: () => file.read(key), update: (fn) => file.update(key, fn) };
}

/**
 * The agent reads and writes, holding the key; this process computes changes on what it read and sends them as a
 * patch. If the agent stops meanwhile (locked, idle, passphrase changed), the passphrase is asked and the command
 * goes on with a key of its own.
 */
function agentVault(ctx: Context, file: VaultFile, agent: AgentClient): UnlockedVault {
  let own: UnlockedVault | undefined;
  const withoutAgent = async () => (own ??= keyVault(file, await unlockWithPassphrase(ctx, file)));
  return {
    async read() {
      const opened = own ? undefined : await agent.read();
      return opened ? opened.data : (await withoutAgent()).read();
    },
    async update(fn) {
      const started = ctx.clock().getTime();
      for (let attempt = 1; !own; attempt++) {
        const opened = await agent.read();
        if (!opened) break;
        const next = await fn(opened.data);
        const outcome = await agent.update(opened.revision, diffVaultData(opened.data, next));
        if (outcome === 'written') return next;
        if (outcome === 'absent') break;
        if (ctx.clock().getTime() - started > AGENT_CONFLICT_BUDGET_MS) {
          throw new CliError('VAULT_LOCKED', `other vault commands kept changing the vault for ${AGENT_CONFLICT_BUDGET_MS / 1000} s while this one tried to write it`);
        }
        ctx.debug(`the vault changed since it was read (try ${attempt}): reading it again`);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * Math.min(attempt, 10)));
      }
      return (await withoutAgent()).update(fn);
    },
  };
}

/** Opens an existing vault (VaultNotFoundError when there is none): through the agent if it is unlocked, else asks. */
export async function unlockVault(ctx: Context, file: VaultFile): Promise<UnlockedVault> {
  // Fail on a missing file before asking for a passphrase that could not be checked.
  if (!(await file.exists())) await file.readKeyInfo();
  const agent = runningAgent(ctx, file);
  if (await agent.status()) {
    ctx.debug('the vault agent reads and writes the vault');
    return agentVault(ctx, file, agent);
  }
  return keyVault(file, await unlockWithPassphrase(ctx, file));
}

/** Where the vault directory came from (--file-dir, AWS_VAULT_FILE_DIR or the default), said beside a vault file that is not there. */
export function vaultDirHint(ctx: Pick<Context, 'env' | 'settingName'>): string {
  return ctx.env.AWS_VAULT_FILE_DIR ? `the directory ${ctx.settingName('AWS_VAULT_FILE_DIR')} names` : 'AWS_VAULT_FILE_DIR names the directory of another';
}

/**
 * Unlocks with the passphrase, never the agent: `vault unlock` must prove it is known. `agentCanHelp`: false for the
 * commands that need the passphrase itself (`vault unlock`, `vault passphrase`).
 */
export async function unlockWithPassphrase(ctx: Context, file: VaultFile, agentCanHelp = true): Promise<VaultKey> {
  return passphraseKey(ctx, await file.readSealed(), agentCanHelp);
}

/**
 * The key (by `unlock`: the passphrase unless told otherwise, never the agent) and the contents. With the passphrase
 * in the environment the file is read once. A passphrase typed at a prompt can take minutes, in which another vault
 * process may have cached a session (and asked for its MFA code): the contents are read again after it.
 */
export async function readWithPassphrase(
  ctx: Context,
  file: VaultFile,
  unlock: Unlock = passphraseKey,
): Promise<{ key: VaultKey; data: VaultData }> {
  const sealed = await file.readSealed();
  const key = await unlock(ctx, sealed);
  const waited = ctx.env.AWS_VAULT_FILE_PASSPHRASE === undefined;
  return { key, data: waited ? await file.read(key) : sealed.open(key) };
}

/** The key from the passphrase: from the environment, else asked (3 tries). */
export async function passphraseKey(ctx: Context, sealed: SealedVault, agentCanHelp = true): Promise<VaultKey> {
  const fromEnv = ctx.env.AWS_VAULT_FILE_PASSPHRASE;
  if (fromEnv !== undefined) {
    // Not "wrong passphrase", whose fix (restore the file from a backup) would be the wrong one.
    if (fromEnv === '') throw new CliError('EMPTY_PASSPHRASE', 'AWS_VAULT_FILE_PASSPHRASE is set but empty');
    ctx.redactor.add(fromEnv);
    return unlockWith(ctx, sealed, fromEnv);
  }
  if (!ctx.interactive()) {
    const agent = agentCanHelp ? ', run `vault unlock` first,' : '';
    throw new CliError('NO_TTY', `the vault passphrase is needed but there is no terminal to ask on: set AWS_VAULT_FILE_PASSPHRASE${agent} or run from a terminal`);
  }
  return withRetries(
    ctx.info,
    async () => {
      const passphrase = await ctx.prompter.secret('Vault passphrase:');
      ctx.redactor.add(passphrase);
      return unlockWith(ctx, sealed, passphrase);
    },
    (err) => (err instanceof WrongPassphraseError ? 'Wrong passphrase' : undefined),
  );
}

/** Obtains the key of a vault read from its file: the passphrase by default; `vault exec --server` keeps the first. */
export type Unlock = (ctx: Context, sealed: SealedVault) => Promise<VaultKey>;

/** A vault opened to read it and to store new sessions in it. */
export interface OpenedVault {
  data: VaultData;
  /**
   * Writes the sessions (and SSO sign-ins, if any) into the vault in one locked update; the sessions only if the stored
   * keys they were made with (`basis`) are still the ones stored.
   */
  putSessions(sessions: ReadonlyMap<string, CachedSession>, ssoTokens?: ReadonlyMap<string, SsoToken>, basis?: KeysBasis): Promise<void>;
  /** The contents as they are now: another vault process may have stored something since `data` was read. */
  reread(): Promise<VaultData>;
}

/**
 * Opens the vault for the credentials path. When the agent holds the key it decrypts and writes for us, so neither
 * the passphrase nor the KDF nor libsodium is needed here; otherwise `unlock` provides the key (`vault exec --server`
 * passes one that keeps it for later renewals). `profiles`, when given, are the only profiles whose stored keys the
 * caller may look at: the agent sends no others (with the passphrase the whole vault is decrypted anyway).
 */
export async function openVault(
  ctx: Context,
  file: VaultFile,
  unlock: Unlock = passphraseKey,
  profiles?: readonly string[],
): Promise<OpenedVault> {
  const agent = runningAgent(ctx, file);
  const opened = await agent.read(profiles);
  if (opened) {
    ctx.debug('vault opened by the agent');
    return {
      data: opened.data,
      // The agent gone meanwhile: what was read is all this run knows.
      reread: async () => (await agent.read(profiles))?.data ?? opened.data,
      async putSessions(sessions, ssoTokens = new Map(), basis) {
        // The agent stopped in between (locked, expired, passphrase changed): write with a key of our own.
        if (!(await agent.putSessions(sessions, ssoTokens, basis))) {
          await storeSessions(file, await unlock(ctx, await file.readSealed()), sessions, ssoTokens, basis);
        }
      },
    };
  }
  const { key, data } = await readWithPassphrase(ctx, file, unlock);
  return { data, reread: () => file.read(key), putSessions: (sessions, ssoTokens = new Map(), basis) => storeSessions(file, key, sessions, ssoTokens, basis) };
}

async function storeSessions(
  file: VaultFile,
  key: VaultKey,
  sessions: ReadonlyMap<string, CachedSession>,
  ssoTokens: ReadonlyMap<string, SsoToken>,
  basis: KeysBasis | undefined,
): Promise<void> {
  await file.update(key, (d) => storeNewSessions(d, sessions, ssoTokens, basis));
}

/** Opens the vault, creating it (new passphrase asked twice) when it does not exist yet. */
export async function unlockOrCreateVault(ctx: Context, file: VaultFile): Promise<{ vault: UnlockedVault; created: boolean }> {
  if (await file.exists()) return { vault: await unlockVault(ctx, file), created: false };
  const passphrase = await newPassphrase(ctx, 'AWS_VAULT_FILE_PASSPHRASE');
  ctx.redactor.add(passphrase);
  try {
    return { vault: keyVault(file, await file.create(passphrase, KDF_PRESETS.interactive)), created: true };
  } catch (err) {
    // Another vault process created it since the check (several `vault add` at once on a new machine): join
    // that vault with the passphrase just given rather than fail.
    if (!(err instanceof VaultExistsError)) throw err;
    return { vault: keyVault(file, await file.unlock(passphrase)), created: false };
  }
}

/**
 * Creates the vault (new passphrase asked twice) for a command whose first use of it is to store something other
 * than keys, such as an SSO sign-in, and returns its key; another process creating it meanwhile is joined.
 */
export async function createVaultKey(ctx: Context, file: VaultFile): Promise<VaultKey> {
  const passphrase = await newPassphrase(ctx, 'AWS_VAULT_FILE_PASSPHRASE');
  ctx.redactor.add(passphrase);
  try {
    return await file.create(passphrase, KDF_PRESETS.interactive);
  } catch (err) {
    if (!(err instanceof VaultExistsError)) throw err;
    return file.unlock(passphrase);
  }
}
