import type { AwsCredentials } from '../credentials/types.js';
import { CliError } from '../errors/cli-error.js';
import type { Context } from '../io/context.js';
import { accountVariables, credentialVariables, isoSeconds } from '../exec/env.js';
import { profileCredentials, type CredentialRequest } from '../credentials/profile-credentials.js';

export const EXPORT_FORMATS = ['env', 'export-env', 'ini', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportArgs extends CredentialRequest {
  format: ExportFormat;
}

/** The AWS `credential_process` output format. */
export function credentialProcessJson(creds: AwsCredentials): string {
  const out: Record<string, string | number> = {
    Version: 1,
    AccessKeyId: creds.accessKeyId,
    SecretAccessKey: creds.secretAccessKey,
  };
  if (creds.sessionToken) out.SessionToken = creds.sessionToken;
  if (creds.expiration) out.Expiration = isoSeconds(creds.expiration);
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** Pure: renders credentials in one of the export formats. */
export function renderExport(
  format: ExportFormat,
  profile: string,
  creds: AwsCredentials,
  region: string | undefined,
  accountId?: string,
): string {
  const vars = [...credentialVariables(creds, region), ...accountVariables(accountId)];
  switch (format) {
    case 'json':
      return credentialProcessJson(creds);
    case 'env':
      return vars.map(([k, v]) => `${k}=${v}\n`).join('');
    case 'export-env':
      return vars.map(([k, v]) => `export ${k}=${shellQuote(v)}\n`).join('');
    case 'ini': {
      // key=value without spaces, byte for byte what aws-vault prints (its INI writer with PrettyFormat off).
      const lines = [`[${profile}]`, `aws_access_key_id=${creds.accessKeyId}`, `aws_secret_access_key=${creds.secretAccessKey}`];
      if (creds.sessionToken) lines.push(`aws_session_token=${creds.sessionToken}`);
      if (creds.expiration) lines.push(`aws_credential_expiration=${isoSeconds(creds.expiration)}`);
      if (region) lines.push(`region=${region}`);
      return `${lines.join('\n')}\n`;
    }
  }
}

/** Single-quotes a value for POSIX shells unless it is plainly safe. */
function shellQuote(value: string): string {
  return /^[A-Za-z0-9_\-./:+=@%]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export async function exportCredentials(ctx: Context, args: ExportArgs): Promise<void> {
  // As aws-vault refuses: inside a `vault exec` shell the environment's region is the outer profile's, so the lines
  // would carry it for this profile. The json format has no region and is what an SDK runs as credential_process for
  // another profile from inside such a shell, which `exec --json` allows too.
  const outer = ctx.env.AWS_VAULT;
  if (outer && args.format !== 'json') {
    throw new CliError('NESTED_EXEC', `already inside a vault exec for profile "${outer}" (AWS_VAULT is set): its region would be exported`);
  }
  const { credentials, region, accountId } = await profileCredentials(ctx, args);
  ctx.stdout(renderExport(args.format, args.profile, credentials, region, accountId));
}
