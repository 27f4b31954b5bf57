import { CliError } from '../errors/cli-error.js';
import type { Context } from '../io/context.js';

/**
 * aws-vault users may have AWS_VAULT_BACKEND (or --backend) set for one of its keyrings. vault has one store, its
 * encrypted file, so `file` is accepted and anything else stops every command, as aws-vault checks its backend for
 * every command, rather than quietly using a store the user did not name.
 */
export function checkBackend(ctx: Pick<Context, 'env' | 'settingName'>): void {
  const backend = ctx.env.AWS_VAULT_BACKEND;
  if (!backend || backend === 'file') return;
  const name = ctx.settingName('AWS_VAULT_BACKEND');
  const given = `${name}${name.startsWith('--') ? ' ' : '='}${JSON.stringify(backend.slice(0, 40))}`;
  throw new CliError('UNSUPPORTED_BACKEND', `${given}: this vault keeps keys only in its own encrypted file (the file backend)`);
}
