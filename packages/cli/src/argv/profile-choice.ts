// Which profile a command acts on when the command line names none.
import { listProfileNames, readConfigFile } from '@vault/profiles';
import type { Context } from '../io/context.js';

/**
 * The profile named, else $AWS_PROFILE. With neither, aws-vault's rule at a terminal: a list of the config's profiles
 * to choose from ("Choose AWS profile:"); without a terminal (scripts, CI) the AWS CLI's, "default".
 */
export async function chooseProfile(ctx: Context, given: string | undefined): Promise<string> {
  if (given !== undefined) return given;
  if (ctx.env.AWS_PROFILE) return ctx.env.AWS_PROFILE;
  if (!ctx.interactive()) return 'default';
  const names = listProfileNames(await readConfigFile(ctx.configPath, 'config'));
  return names.length === 0 ? 'default' : ctx.prompter.select('Choose AWS profile:', names);
}
