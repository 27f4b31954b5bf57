// Which profile a command acts on when the command line names none.
import { configProfileNames, readConfigFile } from '@vault/profiles';
import type { Context } from '../io/context.js';

/**
 * The profile named, else $AWS_PROFILE. With neither, aws-vault's rule at a terminal: a list of the config's profiles
 * to choose from ("Choose AWS profile:"); without a terminal (scripts, CI) the AWS CLI's, "default".
 */
export async function chooseProfile(ctx: Context, given: string | undefined): Promise<string> {
  if (given !== undefined) return given;
  if (ctx.env.AWS_PROFILE) return ctx.env.AWS_PROFILE;
  // The AWS CLI v1 reads AWS_DEFAULT_PROFILE (before AWS_PROFILE); aws-vault and vault do not: said, so that the
  // profile used is not silently another than the one a user of the CLI would expect.
  const unread = ctx.env.AWS_DEFAULT_PROFILE;
  if (unread) ctx.info(`AWS_DEFAULT_PROFILE=${unread} is not read by vault (nor by aws-vault): name the profile, or set AWS_PROFILE.`);
  if (!ctx.interactive()) return 'default';
  // As aws-vault offers them: the file's order, an empty [default] left out.
  const names = configProfileNames(await readConfigFile(ctx.configPath, 'config'));
  return names.length === 0 ? 'default' : ctx.prompter.select('Choose AWS profile:', names);
}
