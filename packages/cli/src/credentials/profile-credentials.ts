import { getCredentials, getSession, type CachedSession, type VaultData, type VaultFile, type VaultKey } from '@vault/core';
import { checkValue, readConfigFile, resolveProfile, type Chain } from '@vault/profiles';
import { CliError } from '../errors/cli-error.js';
import type { Context } from '../io/context.js';
import { withRetries } from '../io/retry.js';
import { resolveCredentials } from './chain.js';
import { InvalidMfaTokenError } from './errors.js';
import type { AwsCredentials, SessionStore, StsApi } from './types.js';
import { openVault, openVaultFile, type OpenedVault } from '../vault-access/vault-access.js';

export interface CredentialRequest {
  profile: string;
  noSession: boolean;
  durationSeconds?: number;
  mfaToken?: string;
  region?: string;
  assume: string[];
}

/** How a long-running caller (`vault exec --server`) adapts the shared path; one-shot commands use the defaults. */
export interface CredentialOptions {
  /** Obtains the vault key; `vault exec --server` keeps the first one so refreshes never ask again. */
  unlock?: (ctx: Context, file: VaultFile) => Promise<VaultKey>;
  /** Cached sessions expiring sooner than this are renewed (default: core's 5 minutes). */
  minValidityMs?: number;
}

export interface ProfileCredentials {
  credentials: AwsCredentials;
  chain: Chain;
  region: string | undefined;
}

/**
 * exec, export and whoami share one path: read the config, resolve the chain, open the vault once, walk the chain
 * (cache first, STS when needed) and write every new session back in a single locked update.
 */
export async function profileCredentials(
  ctx: Context,
  req: CredentialRequest,
  options: CredentialOptions = {},
): Promise<ProfileCredentials> {
  // The shape a config region must have: a typo would otherwise reach the child's AWS_REGION, or fail inside the SDK.
  const badRegion = req.region === undefined ? undefined : checkValue('region', req.region);
  if (badRegion) throw new CliError('USAGE', `--region ${JSON.stringify(req.region)} is not valid: ${badRegion}`, 2);
  const config = await readConfigFile(ctx.configPath, 'config');
  const file = openVaultFile(ctx);
  // The vault is only needed when some link of the chain uses stored keys; a credential_process profile works
  // without one.
  const provisional = resolveProfile(config, req.profile);
  let vault: OpenedVault | undefined;
  let data: VaultData | undefined;
  if (provisional.base.kind === 'vault-keys') {
    // Without a vault nothing is stored: let the resolver name the missing profile (with suggestions) before
    // falling back to "no vault yet".
    if (!(await file.exists())) resolveProfile(config, req.profile, { hasStoredKeys: () => false });
    vault = await openVault(ctx, file, options.unlock);
    data = vault.data;
  }
  const stored = data;
  const chain = stored
    ? resolveProfile(config, req.profile, { hasStoredKeys: (p) => getCredentials(stored, p) !== undefined })
    : provisional;
  const region = req.region ?? chain.region ?? ctx.env.AWS_REGION ?? ctx.env.AWS_DEFAULT_REGION;
  ctx.debug(`profile ${req.profile}: chain ${chain.path.join(' -> ')}${region ? `, region ${region}` : ''}`);

  const fresh = new Map<string, CachedSession>();
  const store: SessionStore = {
    baseKeys(profile) {
      const creds = stored ? getCredentials(stored, profile) : undefined;
      if (creds) ctx.redactor.add(creds.secretAccessKey);
      return creds && { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey };
    },
    session(cacheKey) {
      const hit = fresh.get(cacheKey) ?? (stored ? getSession(stored, cacheKey, ctx.clock(), options.minValidityMs) : undefined);
      ctx.debug(`cache ${hit ? 'hit' : 'miss'}: ${cacheKey}`);
      if (hit) {
        ctx.redactor.add(hit.secretAccessKey);
        ctx.redactor.add(hit.sessionToken);
      }
      return hit;
    },
    longestSession(prefix) {
      const keys = new Set([...fresh.keys(), ...Object.keys(stored?.sessions ?? {})].filter((k) => k.startsWith(prefix)));
      const hits = [...keys].flatMap((k) => this.session(k) ?? []);
      return hits.sort((a, b) => Date.parse(b.expiration) - Date.parse(a.expiration))[0];
    },
    save(cacheKey, session) {
      ctx.redactor.add(session.secretAccessKey);
      ctx.redactor.add(session.sessionToken);
      fresh.set(cacheKey, session);
    },
  };

  const credentials = await resolveCredentials(
    chain,
    { noSession: req.noSession, durationSeconds: req.durationSeconds, mfaToken: req.mfaToken, region, assume: req.assume },
    {
      sts: stsOnDemand,
      store,
      promptMfa: (serial) => promptMfa(ctx, serial),
      runCredentialProcess: async (command) => (await import('./credential-process.js')).runCredentialProcess(command),
      clock: ctx.clock,
      log: ctx.debug,
      progress: ctx.verbose,
    },
  );
  ctx.redactor.add(credentials.secretAccessKey);
  ctx.redactor.add(credentials.sessionToken);

  if (vault && fresh.size > 0) {
    await vault.putSessions(fresh);
    ctx.debug(`cached ${fresh.size} new session(s) in the vault`);
  }
  return { credentials, chain, region };
}

/** The STS client module, and with it the SDK, loads on the first call: a cached session needs neither. */
function stsOnDemand(creds: AwsCredentials, region: string | undefined): StsApi {
  const api = async () => (await import('./sts-client.js')).createStsApi(creds, region);
  return {
    getSessionToken: async (p) => (await api()).getSessionToken(p),
    assumeRole: async (p) => (await api()).assumeRole(p),
    getCallerIdentity: async () => (await api()).getCallerIdentity(),
  };
}

async function promptMfa(ctx: Context, serial: string): Promise<string> {
  if (!ctx.interactive()) {
    throw new CliError('MFA_REQUIRED', `an MFA code for ${serial} is needed and there is no terminal to ask on`);
  }
  // A mistyped code is asked again here; a well-formed one AWS refuses ends the command (it may have been used).
  return withRetries(
    ctx.info,
    async () => {
      const code = (await ctx.prompter.text(`MFA code for ${serial}:`)).trim();
      if (!/^\d{6}$/.test(code)) throw new InvalidMfaTokenError(serial, false);
      return code;
    },
    (err) => (err instanceof InvalidMfaTokenError ? 'An MFA code is 6 digits' : undefined),
  );
}
