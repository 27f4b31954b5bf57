import { liveSessions, summarizeVault, type VaultSummary } from '@vault/core';
import { configProfileNames, listProfileNames, readConfigFile } from '@vault/profiles';
import { CliError } from '../errors/cli-error.js';
import type { Context } from '../io/context.js';
import { formatRemaining, formatTable } from '../io/output.js';
import { openVaultFile, readWithPassphrase, runningAgent, vaultDirHint } from '../vault-access/vault-access.js';

export interface ListArgs {
  json: boolean;
  /** Print only these names, one a line (aws-vault's --profiles, --credentials, --sessions). */
  only?: 'profiles' | 'credentials' | 'sessions';
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
  sessions: readonly ListedSession[];
}

/** A row's sessions when it has none: one shared array rather than one per row of a 5,000-profile list. */
const NO_SESSIONS: readonly ListedSession[] = Object.freeze([]);

/**
 * Pure: merges config profiles and what the vault holds into rows, sorted by profile name (UTF-16 code units, as
 * Array#sort). The config's names, as listProfileNames gives them, are sorted and distinct already, and are merged
 * with the stored names without a set of either: `vault list` of 5,000 profiles keeps every object it makes until it
 * prints, and each is one a young-generation collection copies (docs/benchmarks.md, "Start-up, round 7").
 */
export function listRows(configProfiles: readonly string[], data: VaultSummary | undefined, now: Date): ListedProfile[] {
  // Grouped once, in liveSessions' order: a vault of thousands of profiles and sessions is not scanned per row.
  const sessionsOf = new Map<string, ListedSession[]>();
  for (const session of data ? liveSessions(data, now) : []) {
    const listed = { chain: session.chain, expiration: session.expiration, secondsLeft: Math.floor((Date.parse(session.expiration) - now.getTime()) / 1000) };
    const known = sessionsOf.get(session.profile);
    if (known) known.push(listed);
    else sessionsOf.set(session.profile, [listed]);
  }
  const row = (profile: string, inConfig: boolean, credentials: boolean | null): ListedProfile => ({
    profile,
    inConfig,
    credentials,
    sessions: sessionsOf.get(profile) ?? NO_SESSIONS,
  });
  const config = sortedDistinct(configProfiles);
  const stored = sortedDistinct(data?.stored ?? []);
  // Sized for the most it can hold: an array grown by push is copied each time it outgrows its store.
  const rows = new Array<ListedProfile>(config.length + stored.length);
  let at = 0;
  let s = 0;
  for (let i = 0; i < config.length; i++) {
    const profile = config[i]!;
    while (s < stored.length && stored[s]! < profile) rows[at++] = row(stored[s++]!, false, true);
    const has = s < stored.length && stored[s] === profile;
    if (has) s++;
    rows[at++] = row(profile, true, data ? has : null);
  }
  while (s < stored.length) rows[at++] = row(stored[s++]!, false, true);
  rows.length = at;
  return rows;
}

/** The names in Array#sort's order without repeats: the array itself when it is so already. */
function sortedDistinct(names: readonly string[]): readonly string[] {
  for (let i = 1; i < names.length; i++) if (!(names[i - 1]! < names[i]!)) return [...new Set(names)].sort();
  return names;
}

/** Pure: the names `list --credentials` or `list --sessions` prints, sorted. */
export function onlyNames(rows: ListedProfile[], only: 'credentials' | 'sessions'): string[] {
  return rows.filter((r) => (only === 'credentials' ? r.credentials === true : r.sessions.length > 0)).map((r) => r.profile);
}

/** Pure: the IAM Identity Center sign-ins the vault holds, after the table: name, start URL, time left. */
export function signInLines(signIns: NonNullable<VaultSummary['signIns']>, now: Date): string {
  const lines = signIns.map((t) => {
    const left = Math.floor((Date.parse(t.expiresAt) - now.getTime()) / 1000);
    return `  ${t.key === t.startUrl ? t.startUrl : `${t.key} (${t.startUrl})`}: ${left > 0 ? `${formatRemaining(left)} left` : 'expired (the next command refreshes it or signs in)'}\n`;
  });
  return `\nIAM Identity Center sign-ins:\n${lines.join('')}`;
}

export async function list(ctx: Context, args: ListArgs): Promise<void> {
  const config = await readConfigFile(ctx.configPath, 'config');
  // The profile names need neither the vault nor the passphrase; listed as aws-vault lists them.
  if (args.only === 'profiles') {
    ctx.stdout(configProfileNames(config).map((n) => `${n}\n`).join(''));
    return;
  }
  const file = openVaultFile(ctx);
  // Unlocked by `vault unlock`, the agent decrypts and sends what the list shows, and no secret.
  const exists = await file.exists();
  const viaAgent = exists ? await runningAgent(ctx, file).summary() : undefined;
  let data: VaultSummary | undefined = viaAgent?.summary;
  // Config columns need no passphrase; ask for it only when someone can answer (or it is in the environment).
  if (!data && exists && (ctx.env.AWS_VAULT_FILE_PASSPHRASE !== undefined || ctx.interactive())) {
    data = summarizeVault((await readWithPassphrase(ctx, file)).data);
  }
  const rows = listRows(listProfileNames(config), data, ctx.clock());
  if (args.only) {
    // A script reading names must not take "nothing stored" for an answer when the vault was never opened.
    if (data === undefined && exists) throw new CliError('NO_TTY', `list --${args.only} reads the vault, and there is no terminal to ask for its passphrase on: set AWS_VAULT_FILE_PASSPHRASE, run \`vault unlock\` first, or run from a terminal`);
    ctx.stdout(onlyNames(rows, args.only).map((n) => `${n}\n`).join(''));
    return;
  }
  if (args.json) {
    ctx.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const locked = data === undefined && exists;
  const credentials = locked ? '(locked)' : '-';
  ctx.stdout(
    formatTable(['Profile', 'Credentials', 'Sessions'], [
      rows.map((r) => r.profile),
      rows.map((r) => (r.credentials ? 'stored' : credentials)),
      rows.map((r) => (r.sessions.length === 0 ? '-' : r.sessions.map((s) => `${s.chain} (${formatRemaining(s.secondsLeft)} left)`).join(', '))),
    ]),
  );
  // aws-vault lists its OIDC tokens too: whether a sign-in is held, and what `vault clear` would drop.
  if (data?.signIns?.length) ctx.stdout(signInLines(data.signIns, ctx.clock()));
  if (locked) ctx.info('The vault was not opened (no terminal and no AWS_VAULT_FILE_PASSPHRASE): stored keys are not shown.');
  // A vault in another directory (an AWS_VAULT_FILE_DIR set in another shell) must not look like an empty one.
  if (!exists) ctx.info(`There is no vault file at ${file.path} yet (${vaultDirHint(ctx)}): \`vault add PROFILE\` creates it.`);
  if (viaAgent) {
    const left = formatRemaining(Math.floor(viaAgent.status.idleMsLeft / 1000));
    ctx.info(`The vault is unlocked (\`vault unlock\`): it locks after ${left} without use, or with \`vault lock\`.`);
  }
}
