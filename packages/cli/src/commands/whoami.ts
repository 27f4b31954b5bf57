import type { Context } from '../io/context.js';
import type { StsApi } from '../credentials/types.js';
import { defaultServices, profileCredentials, type CredentialRequest, type CredentialServices } from '../credentials/profile-credentials.js';

export interface WhoamiArgs extends CredentialRequest {
  json: boolean;
}

export type CallerIdentity = Awaited<ReturnType<StsApi['getCallerIdentity']>>;

/** Pure: the identity as `Name  value` lines, or as the JSON `aws sts get-caller-identity` prints (same keys). */
export function renderIdentity(identity: CallerIdentity, json: boolean): string {
  const fields: Array<[string, string]> = [
    ['Account', identity.account],
    ['Arn', identity.arn],
    ['UserId', identity.userId],
  ];
  if (json) return `${JSON.stringify(Object.fromEntries(fields), null, 2)}\n`;
  return fields.map(([name, value]) => `${name.padEnd(7)}  ${value}\n`).join('');
}

/** GetCallerIdentity with exactly the credentials `vault exec` would give the command (cache, chain, --assume). */
export async function whoami(ctx: Context, args: WhoamiArgs, services: CredentialServices = defaultServices): Promise<void> {
  const { credentials, sts } = await profileCredentials(ctx, args, { services });
  const identity = await services.sts(credentials, sts.region, sts.endpoint).getCallerIdentity();
  ctx.stdout(renderIdentity(identity, args.json));
}
