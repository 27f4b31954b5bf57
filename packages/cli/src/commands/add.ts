import { clearSessions, getCredentials, putCredentials } from '@vault/core';
import { validateAccessKeyId, validateProfileName, validateSecretAccessKey } from '../config-files/access-key.js';
import { readConfigFile, sectionHeader } from '@vault/profiles';
import { CliError } from '../errors/cli-error.js';
import { addToConfig } from '../config-files/config-write.js';
import type { Context } from '../io/context.js';
import { openVaultFile, unlockOrCreateVault } from '../vault-access/vault-access.js';

export interface AddArgs {
  profile: string;
  env: boolean;
  force: boolean;
  addConfig: boolean;
}

/**
 * aws-vault's rule: a profile that takes its credentials from another (source_profile) gets no keys of its own, since
 * `vault exec` of it would not use them (only a profile sourcing from it would). A profile naming itself as its source
 * (the AWS CLI idiom) does use its own keys.
 */
async function refuseSourcedProfile(ctx: Context, profile: string): Promise<void> {
  const source = (await readConfigFile(ctx.configPath, 'config')).profiles.get(profile)?.source_profile;
  if (source !== undefined && source !== profile) {
    throw new CliError(
      'ADD_SOURCED_PROFILE',
      `profile "${profile}" has source_profile = ${source}, so \`vault exec ${profile}\` would not use keys stored for it: add the keys to "${source}" instead (vault add ${source})`,
    );
  }
}

export async function add(ctx: Context, args: AddArgs): Promise<void> {
  const profile = validateProfileName(args.profile);
  await refuseSourcedProfile(ctx, profile);
  const { accessKeyId, secretAccessKey } = await readKeys(ctx, args.env);
  ctx.redactor.add(secretAccessKey);

  const file = openVaultFile(ctx);
  const { vault, created } = await unlockOrCreateVault(ctx, file);
  if (!created && !args.force && getCredentials(await vault.read(), profile)) {
    const replace = ctx.interactive() && !args.env
      ? await ctx.prompter.confirm(`Keys for "${profile}" are already stored. Replace them?`, false)
      : false;
    if (!replace) throw new CliError('PROFILE_EXISTS', `keys for "${profile}" are already stored`);
  }
  // Sessions made with the keys being replaced must not outlive them (as `remove` and `rotate` ensure too).
  await vault.update((d) =>
    clearSessions(putCredentials(d, profile, { accessKeyId, secretAccessKey, addedAt: ctx.clock().toISOString() }), profile).data,
  );
  ctx.info(`Added credentials to profile "${profile}" in vault.`);
  if (!args.addConfig) return;
  const added = await addToConfig(ctx.configPath, profile).catch((err: unknown) => {
    // The keys are stored; only the config section is missing. Said, with the exit status aws-vault gives.
    if (err instanceof Error) err.message += `; the keys are stored in the vault, add ${sectionHeader(profile)} to the config yourself (or pass --no-add-config)`;
    throw err;
  });
  if (added === 'changed') ctx.info(`Added ${sectionHeader(profile)} to ${ctx.configPath}.`);
  if (added === 'not-a-file') ctx.info(`Did not add ${sectionHeader(profile)} to ${ctx.configPath}: it is not a regular file.`);
}

async function readKeys(ctx: Context, fromEnv: boolean): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  if (fromEnv) {
    const accessKeyId = ctx.env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = ctx.env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey) {
      throw new CliError('MISSING_ENV_KEYS', 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must both be set with --env');
    }
    // A session (`aws-vault exec P -- vault add --env P` without --no-session): stored without its token it never
    // works, and the migration's next step is removing the only working copy of the keys.
    if (ctx.env.AWS_SESSION_TOKEN) {
      throw new CliError('TEMPORARY_KEYS', 'AWS_SESSION_TOKEN is set: the keys in the environment are a temporary session, which stops working when it ends; give vault the long-lived keys (aws-vault exec --no-session PROFILE -- vault add --env PROFILE)');
    }
    return { accessKeyId: checkedKeyId(ctx, accessKeyId), secretAccessKey: validateSecretAccessKey(secretAccessKey) };
  }
  if (!ctx.interactive()) {
    throw new CliError('NO_TTY', 'no terminal to ask for the keys on: use `vault add --env` with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run from a terminal');
  }
  const accessKeyId = checkedKeyId(ctx, await ctx.prompter.text('Access Key ID:'));
  const secretAccessKey = validateSecretAccessKey(await ctx.prompter.secret('Secret Access Key:'));
  return { accessKeyId, secretAccessKey };
}

/** The key id as stored; one that is not shaped like an IAM key id is kept, with a line saying so (a typo shows). */
function checkedKeyId(ctx: Context, text: string): string {
  const { id, looksLikeAws } = validateAccessKeyId(text);
  if (id.startsWith('ASIA') && looksLikeAws) {
    throw new CliError('TEMPORARY_KEYS', `${id.slice(0, 8)}… is the key id of a temporary session (ASIA…), which stops working when the session ends; store a long-lived key (AKIA…)`);
  }
  if (!looksLikeAws) {
    ctx.info('The access key id does not look like an AWS one (AKIA…): stored as given, as for LocalStack, MinIO or another endpoint_url.');
  }
  return id;
}
