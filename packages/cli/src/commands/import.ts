import { clearSessions, getCredentials, putCredentials, type VaultData } from '@vault/core';
import { DEFAULT_FALLBACK_KEYS, parseConfigText, readConfigText, sectionHeader, type Setting } from '@vault/profiles';
import { CliError } from '../errors/cli-error.js';
import { addToConfig } from '../config-files/config-write.js';
import type { Context } from '../io/context.js';
import { rewriteTextFile, writeBackup } from '../config-files/file-rewrite.js';
import { planImport, removeKeys, type ImportableKeys } from '../config-files/plaintext-keys.js';
import { openVaultFile, unlockOrCreateVault } from '../vault-access/vault-access.js';

export interface ImportArgs {
  profiles: string[];
  all: boolean;
  /** true: remove without asking; false: keep without asking; undefined: ask when there is a terminal. */
  removePlaintext: boolean | undefined;
  backup: boolean;
  force: boolean;
}

export interface MergeOutcome {
  data: VaultData;
  /** Newly stored or replaced. */
  stored: string[];
  /** The vault already held exactly these keys. */
  unchanged: string[];
  /** The vault holds other keys for the profile, and --force was not given. */
  conflicts: string[];
}

/** Pure: the vault contents with the imported keys in them, and what happened to each profile. */
export function mergeImports(d: VaultData, keys: readonly ImportableKeys[], force: boolean, now: Date): MergeOutcome {
  const outcome: MergeOutcome = { data: d, stored: [], unchanged: [], conflicts: [] };
  for (const k of keys) {
    const held = getCredentials(outcome.data, k.profile);
    if (held && held.accessKeyId === k.accessKeyId && held.secretAccessKey === k.secretAccessKey) {
      outcome.unchanged.push(k.profile);
    } else if (held && !force) {
      outcome.conflicts.push(k.profile);
    } else {
      const creds = { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey, addedAt: now.toISOString() };
      // Sessions made with the keys being replaced must not outlive them.
      outcome.data = clearSessions(putCredentials(outcome.data, k.profile, creds), k.profile).data;
      outcome.stored.push(k.profile);
    }
  }
  return outcome;
}

export async function importKeys(ctx: Context, args: ImportArgs): Promise<void> {
  const path = ctx.credentialsPath;
  const text = await readConfigText(path);
  if (text === undefined) throw new CliError('NO_CREDENTIALS_FILE', `there is no credentials file at ${path}`);
  const parsed = parseConfigText(text, path, 'credentials');
  if (!args.all && args.profiles.length === 0) {
    const found = [...parsed.profiles.keys()];
    throw new CliError(
      'USAGE',
      `name the profiles to import, or pass --all (${path} has ${found.length ? found.join(', ') : 'no sections'})`,
      2,
    );
  }
  const plan = planImport(parsed, args.all ? { all: true } : { all: false, profiles: args.profiles });
  if (plan.keys.length === 0) {
    const why = plan.skipped.map((s) => `${s.profile}: ${s.reason}`).join('; ');
    throw new CliError('NOTHING_TO_IMPORT', `no long-lived keys to import from ${path} (${why || 'it has no sections'})`);
  }
  for (const s of plan.skipped) ctx.info(`Skipped "${s.profile}": ${s.reason}.`);
  for (const k of plan.keys) ctx.redactor.add(k.secretAccessKey);

  const file = openVaultFile(ctx);
  const { vault } = await unlockOrCreateVault(ctx, file);
  let outcome: MergeOutcome | undefined;
  await vault.update((d) => {
    outcome = mergeImports(d, plan.keys, args.force, ctx.clock());
    return outcome.data;
  });
  const { stored, unchanged, conflicts } = outcome as MergeOutcome;
  if (stored.length) ctx.info(`Imported ${quoted(stored)} into the vault.`);
  if (unchanged.length) ctx.info(`Already in the vault with the same keys: ${quoted(unchanged)}.`);

  const inVault = [...stored, ...unchanged];
  for (const k of plan.keys.filter((key) => inVault.includes(key.profile))) await copyToConfig(ctx, k);
  if (inVault.length > 0) await offerRemoval(ctx, args, text, inVault);
  // Last, once the others are done: a script must not take a profile left out for one imported.
  if (conflicts.length > 0) {
    throw new CliError(
      'IMPORT_CONFLICT',
      `not imported ${quoted(conflicts)}: the vault holds other keys for ${conflicts.length === 1 ? 'it' : 'them'}, and the plaintext keys stay`,
    );
  }
}

/** The profile's section in the config file, with the settings the credentials file gave it (the AWS CLI reads both). */
async function copyToConfig(ctx: Context, k: ImportableKeys): Promise<void> {
  const header = sectionHeader(k.profile);
  // In the config's [default], vault (as aws-vault) lends these to every profile without its own: the credentials
  // file's [default] mfa_serial would send one user's device for every other profile's keys.
  const spread = (setting: Setting) => k.profile === 'default' && DEFAULT_FALLBACK_KEYS.has(setting[0]);
  const settings = k.settings.filter((s) => !spread(s));
  const held = k.settings.filter(spread).map(([key]) => key);
  const named = settings.map(([key]) => key).join(', ');
  const outcome = await addToConfig(ctx.configPath, k.profile, settings).catch((err: unknown) => {
    if (err instanceof Error && named) err.message += `; not written there: ${named}, which the AWS CLI read from the credentials file`;
    throw err;
  });
  if (outcome === 'changed') ctx.info(`Wrote ${header}${named ? ` (${named}, from the credentials file)` : ''} to ${ctx.configPath}.`);
  if (outcome === 'not-a-file') ctx.info(`Did not write ${header}${named ? ` (${named})` : ''} to ${ctx.configPath}: it is not a regular file.`);
  if (held.length > 0) {
    ctx.info(`Not copied to [default]: ${held.join(', ')} of the credentials file's [default]; in the config's [default] vault applies them to every profile without its own (as aws-vault does). Add them there if that is meant.`);
  }
  if (k.leftOut.length > 0) ctx.info(`Not copied from [${k.profile}] of the credentials file: ${k.leftOut.join(', ')} (nested settings); add them to ${header} yourself.`);
}

async function offerRemoval(ctx: Context, args: ImportArgs, text: string, profiles: string[]): Promise<void> {
  const path = ctx.credentialsPath;
  let remove = args.removePlaintext;
  if (remove === undefined && ctx.interactive()) {
    remove = await ctx.prompter.confirm(`Remove the keys of ${quoted(profiles)} from ${path} now that the vault holds them?`, false);
  }
  if (!remove) {
    ctx.info(`The keys are still in plaintext in ${path}; \`vault import --remove-plaintext ${profiles.join(' ')}\` removes them.`);
    return;
  }
  const after = removeKeys(text, new Set(profiles));
  const backup = args.backup ? await writeBackup(path, text, ctx.clock()) : undefined;
  await rewriteTextFile(path, text, after);
  ctx.info(`Removed the keys of ${quoted(profiles)} from ${path}${backup ? ` (the original is in ${backup}, mode 0600)` : ''}.`);
}

function quoted(profiles: readonly string[]): string {
  return profiles.map((p) => `"${p}"`).join(', ');
}
