import { clearSessions, getCredentials, putCredentials } from '@vault/core';
import { profileEndpointSettings, readConfigFile, resolveProfile, type ConfigFile } from '@vault/profiles';
import { CliError } from '../errors/cli-error.js';
import type { Context } from '../io/context.js';
import { createStsApi } from '../credentials/sts-client.js';
import { awsIamEndpoint, createIamApi } from '../rotate/iam-client.js';
import { rotateAccessKey } from '../rotate/rotate.js';
import type { RotateDeps } from '../rotate/types.js';
import { stsRegionalEndpointsVariable } from '../credentials/environment.js';
import { chainStsTarget, commandRegion } from '../credentials/profile-credentials.js';
import { endpointsIgnored, endpointVariable } from '../credentials/sts-endpoint.js';
import { openVaultFile, unlockVault, type UnlockedVault } from '../vault-access/vault-access.js';

export interface RotateArgs {
  profile: string;
}

export async function rotate(ctx: Context, args: RotateArgs): Promise<void> {
  const { profile } = args;
  // Checked first, so a malformed one is named before any key is created.
  endpointVariable(ctx.env, 'IAM');
  endpointVariable(ctx.env, 'STS');
  const file = openVaultFile(ctx);
  const vault = await unlockVault(ctx, file);
  const stored = getCredentials(await vault.read(), profile);
  if (!stored) throw await notStored(ctx, profile);
  ctx.redactor.add(stored.secretAccessKey);

  const config = await readConfigFile(ctx.configPath, 'config');
  const region = commandRegion(undefined, ctx.env, config.profiles.get(profile)?.region || undefined);
  // The calls go where the AWS CLI would send them for this profile: GetCallerIdentity where exec's STS calls go (its
  // endpoint_url, FIPS and dual-stack settings), IAM to AWS_ENDPOINT_URL_IAM or AWS_ENDPOINT_URL, else endpoint_url,
  // else AWS's. Only the profile's endpoint settings are read: rotate uses its keys, not its chain or sources.
  const endpoints = profileEndpointSettings(config, profile);
  const sts = chainStsTarget(endpoints, { stsRegionalEndpoints: stsRegionalEndpointsVariable(ctx.env) }, region, ctx.env);
  const custom = endpointsIgnored(ctx.env, endpoints.ignoreConfiguredEndpointUrls) ? undefined : endpointVariable(ctx.env, 'IAM') || endpoints.endpointUrl;
  let cleared = 0;
  const deps: RotateDeps = {
    iam(creds, partition) {
      const api = createIamApi(creds, partition, custom ?? awsIamEndpoint(partition));
      return {
        ...api,
        async createAccessKey(userName) {
          const created = await api.createAccessKey(userName);
          ctx.redactor.add(created.secretAccessKey);
          return created;
        },
      };
    },
    callerArn: async (creds) => (await createStsApi(creds, sts.region, sts.endpoint).getCallerIdentity()).arn,
    async store(old, next) {
      await vault.update((d) => {
        // Another vault process may have replaced the keys since they were read; never overwrite those.
        if (getCredentials(d, profile)?.accessKeyId !== old.accessKeyId) {
          throw new Error(`the keys stored for "${profile}" changed during the rotation`);
        }
        const withNew = putCredentials(d, profile, { ...next, addedAt: ctx.clock().toISOString() });
        const { data, removed } = clearSessions(withNew, profile);
        cleared = removed;
        return data;
      });
    },
    storedKeyId: () => storedKeyId(vault, profile),
    // A new key can take seconds to work everywhere; a person at a terminal sees what vault waits for.
    async sleep(ms) {
      const clear = ctx.status('Waiting for IAM to accept the new access key...');
      try {
        await new Promise((resolve) => setTimeout(resolve, ms));
      } finally {
        clear();
      }
    },
    log: ctx.debug,
  };
  const result = await rotateAccessKey(profile, { accessKeyId: stored.accessKeyId, secretAccessKey: stored.secretAccessKey }, deps).catch(
    (err: unknown) => {
      // AWS's common "force MFA" policy denies IAM calls made without MFA, and vault makes them with the keys alone.
      const mfa = mfaSerialOf(config, profile);
      if (mfa && err instanceof Error && /AccessDenied/.test(err.message)) {
        err.message += `; ${profile} names an MFA device (mfa_serial), and a policy that requires MFA denies the IAM calls vault makes with the keys alone: rotate this key in the IAM console, or with the aws CLI under an MFA session`;
      }
      throw err;
    },
  );
  ctx.info(
    `Rotated the key of "${profile}" (IAM user ${result.userName}): ${result.newKeyId} is stored, ` +
      `${result.oldKeyId} is deleted${cleared ? `, and ${cleared} cached session${cleared === 1 ? '' : 's'} made with it cleared` : ''}.`,
  );
}

async function storedKeyId(vault: UnlockedVault, profile: string): Promise<string | undefined> {
  try {
    return getCredentials(await vault.read(), profile)?.accessKeyId;
  } catch {
    return undefined;
  }
}

/** The MFA device the profile names, as vault reads it for exec (its own, an included one's, or [default]'s). */
function mfaSerialOf(config: ConfigFile, profile: string): string | undefined {
  try {
    const { base } = resolveProfile(config, profile);
    return base.kind === 'vault-keys' ? base.mfaSerial : undefined;
  } catch {
    return undefined;
  }
}

/** Rotating a role profile means rotating the keys its chain starts from: say which profile that is. */
async function notStored(ctx: Context, profile: string): Promise<CliError> {
  let source: string | undefined;
  try {
    const chain = resolveProfile(await readConfigFile(ctx.configPath, 'config'), profile);
    if (chain.base.kind === 'vault-keys' && chain.base.profile !== profile) source = chain.base.profile;
  } catch {
    // An unknown or broken profile gets the plain message.
  }
  return new CliError(
    'NOT_STORED',
    source
      ? `no keys are stored for "${profile}": its credentials come from "${source}", so rotate that profile`
      : `no keys are stored for "${profile}"`,
  );
}
