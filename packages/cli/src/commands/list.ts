import { liveSessions, listProfiles, type VaultData } from '@vault/core';
import { listProfileNames, readConfigFile } from '@vault/profiles';
import type { Context } from '../io/context.js';
import { formatRemaining, formatTable } from '../io/output.js';
import { openVaultFile, unlockWithPassphrase, vaultAgent } from '../vault-access/vault-access.js';

export interface ListArgs {
  json: boolean;
}

interface ListedSession {
  chain: string;
  expiration: string;
  secondsLeft: number;
}

export interface ListedProfile {
  profile: string;
  inConfig: boolean;
  /** null when the vault could not be opened without a prompt. */
  credentials: boolean | null;
  sessions: ListedSession[];
}

/** Pure: merges config profiles and vault contents into rows, sorted by profile name. */
export function listRows(configProfiles: string[], data: VaultData | undefined, now: Date): ListedProfile[] {
  const stored = new Set(data ? listProfiles(data) : []);
  const sessions = data ? liveSessions(data, now) : [];
  const names = [...new Set([...configProfiles, ...stored])].sort();
  const inConfig = new Set(configProfiles);
  return names.map((profile) => ({
    profile,
    inConfig: inConfig.has(profile),
    credentials: data ? stored.has(profile) : null,
    sessions: sessions
      .filter(({ session }) => session.profile === profile)
      .map(({ session }) => ({
        chain: session.chain,
        expiration: session.expiration,
        secondsLeft: Math.floor((Date.parse(session.expiration) - now.getTime()) / 1000),
      })),
  }));
}

export async function list(ctx: Context, args: ListArgs): Promise<void> {
  const config = await readConfigFile(ctx.configPath, 'config');
  const file = openVaultFile(ctx);
  // Unlocked by `vault unlock`, the agent decrypts: no passphrase, no KDF.
  const exists = await file.exists();
  const viaAgent = exists ? await vaultAgent(ctx, file).read() : undefined;
  let data: VaultData | undefined = viaAgent?.data;
  // Config columns need no passphrase; ask for it only when someone can answer (or it is in the environment).
  if (!data && exists && (ctx.env.AWS_VAULT_FILE_PASSPHRASE !== undefined || ctx.interactive())) {
    data = await file.read(await unlockWithPassphrase(ctx, file));
  }
  const rows = listRows(listProfileNames(config), data, ctx.clock());
  if (args.json) {
    ctx.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const locked = data === undefined && exists;
  ctx.stdout(
    formatTable(
      ['Profile', 'Credentials', 'Sessions'],
      rows.map((r) => [
        r.profile,
        r.credentials === null ? (locked ? '(locked)' : '-') : r.credentials ? 'stored' : '-',
        r.sessions.map((s) => `${s.chain} (${formatRemaining(s.secondsLeft)} left)`).join(', ') || '-',
      ]),
    ),
  );
  if (locked) ctx.info('The vault was not opened (no terminal and no AWS_VAULT_FILE_PASSPHRASE): stored keys are not shown.');
  if (viaAgent) {
    const left = formatRemaining(Math.floor(viaAgent.status.idleMsLeft / 1000));
    ctx.info(`The vault is unlocked (\`vault unlock\`): it locks after ${left} without use, or with \`vault lock\`.`);
  }
}
