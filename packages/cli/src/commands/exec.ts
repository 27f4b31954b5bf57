import { CliError } from '../errors/cli-error.js';
import type { Context } from '../io/context.js';
import { accountVariables, buildChildEnv, credentialVariables, endpointVariables, regionVariables } from '../exec/env.js';
import { runChild } from '../exec/run.js';
import type { EndpointKind } from '../exec/with-server.js';
import { profileCredentials, type CredentialRequest } from '../credentials/profile-credentials.js';

export interface ExecArgs extends CredentialRequest {
  command: string[];
  json: boolean;
  /**
   * Serve refreshing credentials from a local endpoint instead of putting keys in the child's environment: the ECS
   * container-credentials protocol (--server) or EC2 instance metadata (--ec2-server).
   */
  server?: EndpointKind;
  /** With a server: get credentials at the first request rather than before starting the command. */
  lazy: boolean;
  /** The credentials are replaced by <REDACTED> in the child's output (also `redact_secrets` in [aws-vault]). */
  redact?: boolean;
  /**
   * aws-vault's --profile-env (AWS_VAULT_PROFILE_ENV): the child gets AWS_PROFILE instead of keys, for an SDK that
   * resolves the profile itself (a credential_process such as `vault export --format json`). A server or --json wins.
   */
  profileEnv?: boolean;
}

/** Returns the exit status vault should end with (the child's). */
export async function exec(ctx: Context, args: ExecArgs): Promise<number> {
  const outer = ctx.env.AWS_VAULT;
  if (outer && !args.json) {
    throw new CliError('NESTED_EXEC', `already inside a vault exec for profile "${outer}" (AWS_VAULT is set)`);
  }
  const command = args.command.length > 0 ? args.command : [ctx.env.SHELL || '/bin/sh'];
  // As aws-vault does: a person dropped into a new shell is told how to leave it.
  const subshell = () => {
    if (args.command.length === 0) ctx.notice(`Starting a subshell (${command[0]}) with the credentials of ${args.profile}; type exit to return.`);
  };
  // As in aws-vault, --lazy is for the container endpoint only (instance-metadata clients give up after about a
  // second, too soon for a first request that waits on STS), and ignored elsewhere: aws-vault command lines that
  // carry it keep working.
  if (args.lazy && args.server !== 'ecs') ctx.notice(`--lazy has no effect ${args.server === 'ec2' ? 'with --ec2-server' : 'without --server'}; ignored, as aws-vault does.`);
  if (args.server) {
    const { execWithServer } = await import('../exec/with-server.js');
    return execWithServer(ctx, args, command, { kind: args.server, lazy: args.lazy && args.server === 'ecs', beforeStart: subshell });
  }
  if (args.profileEnv && !args.json && args.assume.length > 0) {
    // The child would resolve the profile itself, without the roles --assume adds: another identity than checked.
    throw new CliError('USAGE', '--profile-env (or AWS_VAULT_PROFILE_ENV) gives the command a profile name, which cannot carry the roles --assume adds: use one', 2);
  }
  const { credentials, region, endpointUrl, accountId, redactSecrets } = await profileCredentials(ctx, args);
  if (args.json) {
    const { credentialProcessJson } = await import('./export.js');
    ctx.stdout(credentialProcessJson(credentials));
    return 0;
  }
  // With --profile-env the credentials were fetched only to fail here, not in the child, when they cannot be had.
  const env = buildChildEnv(
    ctx.inheritedEnv ?? ctx.env,
    args.profile,
    args.profileEnv
      ? [['AWS_PROFILE', args.profile], ...regionVariables(region), ...endpointVariables(endpointUrl)]
      : [...credentialVariables(credentials, region), ...endpointVariables(endpointUrl), ...accountVariables(accountId)],
  );
  ctx.debug(`running ${command[0]} with profile ${args.profile}`);
  subshell();
  const redact = args.redact || redactSecrets;
  if (redact) ctx.debug("the credentials are redacted from the command's output");
  return runChild(command, env, redact ? { redact: [credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken ?? ''] } : {});
}
