import { getCredentials, getSession, getSsoToken, withLock, type CachedSession, type KeysBasis, type SsoToken, type VaultData, type VaultKey } from '@vault/core';
import { dirname, join } from 'node:path';
import { pathId } from '../agent/location.js';
import { checkValue, ProfileError, readConfigFile, resolveProfile, unknownIncludes, type Chain, type ConfigFile, type EndpointSettings } from '@vault/profiles';
import { CliError } from '../errors/cli-error.js';
import { WRITE_REFUSED } from '../errors/file-system.js';
import type { Context } from '../io/context.js';
import { withRetries } from '../io/retry.js';
import { resolveCredentials } from './chain.js';
import { applyEnvironment, readCredentialEnvironment, type CredentialEnvironment } from './environment.js';
import { signInLock } from './sso/sign-in-lock.js';
import { insideCredentialProcessOf, ownProcessWithoutKeys, runsVaultFor } from './process-marker.js';
import { driverCommand, readCode } from './mfa-sources.js';
import { chosenDriver, installedDriver, promptDriver, type PromptDriver } from './prompt-driver.js';
import { accountIdOf } from './account-id.js';
import { sourceOf } from './sources/index.js';
import { sourceDeps, type SourceServices } from './source-services.js';
import { childEndpointUrl, stsTarget, type StsTarget } from './sts-endpoint.js';
import { InvalidMfaTokenError } from './errors.js';
import type { AwsCredentials, ResolveOptions, SessionStore, StsApi } from './types.js';
import { createVaultKey, openVault, openVaultFile, passphraseKey, vaultDirHint, type OpenedVault, type Unlock } from '../vault-access/vault-access.js';

export interface CredentialRequest {
  profile: string;
  noSession: boolean;
  durationSeconds?: number;
  /** What gave durationSeconds, for messages (default --duration): login's AWS_VAULT_DURATION. */
  durationSource?: string;
  mfaToken?: string;
  region?: string;
  assume: string[];
  /** IAM Identity Center: print the sign-in link rather than open a browser (exec/export --stdout). */
  printSignInLink?: boolean;
  /** The browser program sign-in pages open with (--browser, AWS_VAULT_BROWSER), instead of the desktop's. */
  browser?: string;
}

/** The collaborators of the shared path that talk to the outside world; tests pass fakes. */
export interface CredentialServices {
  /** endpoint: a custom STS URL (endpoint_url, AWS_ENDPOINT_URL_STS), else AWS's own for the region. */
  sts: (creds: AwsCredentials, region: string | undefined, endpoint: string) => StsApi;
  runCredentialProcess: (command: string, profile: string, env: NodeJS.ProcessEnv) => Promise<AwsCredentials>;
  /** IAM Identity Center, the machine's credential endpoints, the browser (default: the real ones). */
  sources?: Partial<SourceServices>;
}

/** How a caller adapts the shared path; one-shot commands use the defaults. */
export interface CredentialOptions {
  /** STS and credential_process (default: the real ones, loaded on first use). */
  services?: CredentialServices;
  /** Obtains the vault key (default: the agent, else the passphrase); `vault exec --server` keeps the first one so
   * refreshes never ask again. */
  unlock?: Unlock;
  /** Cached sessions expiring sooner than this are renewed (default: core's 5 minutes). */
  minValidityMs?: number;
  /**
   * The credentials are served to a child in the background (exec --server, --ec2-server): with no prompt driver
   * named, an MFA code is asked with a dialog or a YubiKey where one is installed, as aws-vault does.
   */
  backgroundServer?: boolean;
}

export interface ProfileCredentials {
  credentials: AwsCredentials;
  chain: Chain;
  region: string | undefined;
  /** Where STS calls for this profile go (for a later call with the credentials, such as whoami's). */
  sts: StsTarget;
  /** The child's AWS_ENDPOINT_URL: endpoint_url of the chain (or the variable itself). */
  endpointUrl?: string;
  /** The account the credentials are in, where the config says it (account-id.ts): aws-vault's AWS_ACCOUNT_ID. */
  accountId?: string;
  /** `redact_secrets = true` in the config's [aws-vault] section: exec hides the credentials in the child's output. */
  redactSecrets: boolean;
}

/**
 * A profile without keys, where there is no vault file at all: say where vault looked, since the keys may well be in
 * a vault elsewhere (an AWS_VAULT_FILE_DIR set in another shell, or unset after a migration).
 */
function noVaultFile(err: unknown, path: string, ctx: Context): unknown {
  const code = (err as { code?: unknown }).code;
  if (code !== 'NO_CREDENTIALS' && code !== 'MISSING_SOURCE' && code !== 'UNKNOWN_PROFILE') return err;
  (err as Error).message += `; there is no vault file at ${path} (${vaultDirHint(ctx)})`;
  return err;
}

/** Where the STS calls of `chain` (its target's endpoint settings, the environment's applied) go, for a command in `region`. */
export function chainStsTarget(
  chain: EndpointSettings,
  envSettings: Pick<CredentialEnvironment, 'stsRegionalEndpoints'>,
  region: string | undefined,
  env: NodeJS.ProcessEnv,
): StsTarget {
  return stsTarget(
    {
      region,
      endpointUrl: chain.endpointUrl,
      ignoreConfiguredEndpointUrls: chain.ignoreConfiguredEndpointUrls,
      stsRegionalEndpoints: envSettings.stsRegionalEndpoints ?? chain.stsRegionalEndpoints,
      useFipsEndpoint: chain.useFipsEndpoint,
      useDualstackEndpoint: chain.useDualstackEndpoint,
    },
    env,
  );
}

/** What the chain walk is asked for: the command line's request, aws-vault's variables, the STS endpoint chosen. */
export function resolveOptions(req: CredentialRequest, envSettings: CredentialEnvironment, sts: StsTarget): ResolveOptions {
  return {
    noSession: req.noSession,
    durationSeconds: req.durationSeconds,
    ...(req.durationSource !== undefined && { durationSource: req.durationSource }),
    sessionSeconds: envSettings.sessionSeconds,
    chainedSessionSeconds: envSettings.chainedSessionSeconds,
    assumeRoleSeconds: envSettings.assumeRoleSeconds,
    ...(sts.custom !== undefined && { endpoint: sts.custom }),
    mfaToken: req.mfaToken,
    region: sts.region,
    assume: req.assume,
  };
}

/**
 * Held while one vault process asks for an MFA code and opens the session it is for, beside the vault: the others
 * wait to take that session. As long as a person may take to find the code; a holder that died is taken over in
 * seconds.
 */
const MFA_LOCK = { timeoutMs: 5 * 60_000, staleMs: 10_000 };

/** The vault could only be opened by asking for the passphrase. */
class NotQuietly extends Error {}

/** The key from AWS_VAULT_FILE_PASSPHRASE; never a prompt (the agent, tried first by openVault, asks nothing either). */
const quietUnlock: Unlock = (ctx, sealed) => (ctx.env.AWS_VAULT_FILE_PASSPHRASE === undefined ? Promise.reject(new NotQuietly()) : passphraseKey(ctx, sealed));

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
  // aws-vault's variables are checked before the config is read or a passphrase asked: a typo fails at once.
  const envSettings = readCredentialEnvironment(ctx.env);
  // An unknown name fails at once; a driver that is not installed only when a code is asked (as aws-vault looks it
  // up), so AWS_VAULT_PROMPT=ykman in a shell's profile does not stop a command that needs no code.
  const driver = promptDriver(ctx.env);
  const config = await readConfigFile(ctx.configPath, 'config');
  const file = openVaultFile(ctx);
  // The command line's or environment's region, which beats the profile's: read once, for the walk and for the result.
  const givenRegion = commandRegion(req.region, ctx.env, undefined);
  const regionGiven = givenRegion !== undefined;
  const provisional = walkBeforeVault(config, req.profile, regionGiven);
  const byWebIdentity = replacedByWebIdentity(ctx.env, config, req.profile, provisional);
  let vault: OpenedVault | undefined;
  let data: VaultData | undefined;
  // Keys stored for a profile come before its credential_process (aws-vault; the AWS CLI too, for the credentials
  // file's keys), and only the vault knows them. Where the process is vault's own for that profile (aws-vault's
  // `credential_process = aws-vault exec P --json` on the profile holding P's keys), or this run is inside it, the
  // vault is opened as for any command; otherwise only where that asks nothing (the agent, AWS_VAULT_FILE_PASSPHRASE),
  // so a process of another tool never brings a prompt.
  const processBase = provisional?.base.kind === 'credential_process' ? provisional.base : undefined;
  const vaultsOwn = processBase !== undefined && runsVaultFor(processBase.command, processBase.profile);
  const ownProcess = processBase !== undefined && (vaultsOwn || insideCredentialProcessOf(ctx.env).includes(processBase.profile));
  if (processBase !== undefined && !byWebIdentity) {
    const unlock = ownProcess ? options.unlock : quietUnlock;
    vault = !(await file.exists()) ? undefined : await openVault(ctx, file, unlock, provisional?.path).catch((err: unknown) => {
      if (err instanceof NotQuietly) return undefined;
      throw err;
    });
    data = vault?.data;
    // The process would be a second vault, asking for the passphrase again only to find no keys either.
    if (vaultsOwn && !keysStoredIn(data)(processBase.profile)) throw ownProcessWithoutKeys(processBase.profile);
  } else if (!byWebIdentity && (!provisional || sourceOf(provisional.base).usesVault)) {
    // Without a vault nothing is stored: let the resolver name the missing profile (with suggestions) before
    // falling back to "no vault yet".
    let created: VaultKey | undefined;
    if (!(await file.exists())) {
      try {
        resolveProfile(config, req.profile, { hasStoredKeys: () => false, regionGiven });
      } catch (err) {
        throw noVaultFile(err, file.path, ctx);
      }
      // An SSO user's first command: the vault that seals the sign-in is created, as `vault add` would.
      if (provisional?.base.kind === 'sso') created = await createVaultKey(ctx, file);
    }
    // The walk without the vault visits every profile whose stored keys the walk with it may ask for (it can only
    // stop sooner, at a profile with keys): the agent need send no others.
    vault = await openVault(ctx, file, created ? async () => created : options.unlock, provisional?.path);
    data = vault.data;
  }
  const stored = data;
  const hasStoredKeys = keysStoredIn(stored);
  // Without the vault (a credential_process chain) the walk above is the answer.
  const resolved = provisional && !stored ? provisional : resolveProfile(config, req.profile, { hasStoredKeys, regionGiven });
  // Said where a person watches, not into scripts' logs (aws-vault logs it with --debug only). [default]'s includes
  // count too: its settings are every profile's fallback.
  for (const line of unknownIncludes(config, [...resolved.path, 'default'])) ctx.notice(line);
  const chain = applyEnvironment(resolved, envSettings);
  const region = givenRegion ?? chain.region;
  const sts = chainStsTarget(chain, envSettings, region, ctx.env);
  ctx.debug(
    `profile ${req.profile}: chain ${chain.path.join(' -> ')}${region ? `, region ${region}` : ''}, ` +
      `STS endpoint ${sts.endpoint}`,
  );
  const minTtlMs = envSettings.minTtlSeconds === undefined ? undefined : envSettings.minTtlSeconds * 1000;
  const minValidityMs = options.minValidityMs ?? minTtlMs;

  const fresh = new Map<string, CachedSession>();
  const freshTokens = new Map<string, SsoToken>();
  // The stored keys every new session of the chain derives from (directly, or through a cached session), so none is
  // written if those keys are replaced while this run waits on STS or an MFA code.
  const baseCreds = chain.base.kind === 'vault-keys' && stored ? getCredentials(stored, chain.base.profile) : undefined;
  const basis: KeysBasis | undefined = baseCreds && { profile: chain.base.profile, accessKeyId: baseCreds.accessKeyId, addedAt: baseCreds.addedAt };
  const store: SessionStore = {
    baseKeys(profile) {
      const creds = stored ? getCredentials(stored, profile) : undefined;
      if (creds) ctx.redactor.add(creds.secretAccessKey);
      return creds && { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey };
    },
    session(cacheKey) {
      const hit = fresh.get(cacheKey) ?? (stored ? getSession(stored, cacheKey, ctx.clock(), minValidityMs) : undefined);
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

  const opened = vault;
  const writeSessions = async (sessions: ReadonlyMap<string, CachedSession>) => {
    if (!opened || sessions.size === 0) return;
    try {
      await opened.putSessions(sessions, new Map(), basis);
    } catch (err) {
      // A full, read-only or unwritable file system: the credentials are good, only the cache is lost (the next
      // command calls STS again), so the command runs, told why.
      const code = (err as NodeJS.ErrnoException).code;
      // The refusals leave the vault as it was (core writes a copy, then renames it over): not worth failing over.
      if (code === undefined || !WRITE_REFUSED.has(code)) throw err;
      ctx.info(`The new session could not be cached in the vault (${(err as Error).message}); the next command asks STS again.`);
      return;
    }
    ctx.debug(`cached ${sessions.size} new session(s) in the vault`);
  };
  // IAM Identity Center tokens are written under their sign-in lock as they come (signInLock), not again here.
  const saveFresh = () => writeSessions(fresh);
  if (opened) {
    store.mfaLock = async (key, run) => {
      let held = false;
      try {
        return await withLock(join(dirname(file.path), `mfa-${pathId(key)}`), MFA_LOCK, async () => {
          held = true;
          const latest = getSession(await opened.reread(), key, ctx.clock(), minValidityMs);
          if (latest) {
            ctx.redactor.add(latest.secretAccessKey);
            ctx.redactor.add(latest.sessionToken);
            return run(latest);
          }
          const result = await run(undefined);
          const made = fresh.get(key);
          if (made) await writeSessions(new Map([[key, made]]));
          return result;
        });
      } catch (err) {
        // A directory vault cannot write its lock in (read-only, full): the call is made without it, as a session
        // that cannot be cached does not stop the command either.
        const code = (err as NodeJS.ErrnoException).code;
        if (held || code === undefined || !WRITE_REFUSED.has(code)) throw err;
        return run(undefined);
      }
    };
  }
  const services = options.services ?? defaultServices;
  const credentials = await resolveCredentials(
    chain,
    resolveOptions(req, envSettings, sts),
    {
      sts: (creds, signingRegion) => services.sts(creds, signingRegion, sts.endpoint),
      store,
      promptMfa: (serial) => mfaCode(ctx, serial, chain.mfaProcess, driver, options.backgroundServer === true),
      runCredentialProcess: (command, profile) => services.runCredentialProcess(command, profile, ctx.env),
      ...sourceDeps(
        ctx,
        {
          get: (key) => freshTokens.get(key) ?? (stored ? getSsoToken(stored, key) : undefined),
          save: (key, token) => void freshTokens.set(key, token),
          ...(vault && { signingIn: signInLock(file.path, vault, freshTokens) }),
        },
        { ...signInBrowser(req, ctx.env), ...services.sources },
      ),
      clock: ctx.clock,
      log: ctx.debug,
      progress: ctx.verbose,
    },
  ).catch(async (err: unknown) => {
    // What was obtained before the failure is kept, as aws-vault caches each session as it gets it: a base session
    // opened before a later role's code was refused (or its prompt left) took a code that cannot be used again.
    await saveFresh().catch((e: unknown) => ctx.debug(`could not cache the sessions obtained so far: ${(e as Error).message}`));
    throw err;
  });
  ctx.redactor.add(credentials.secretAccessKey);
  ctx.redactor.add(credentials.sessionToken);
  await saveFresh();
  const endpointUrl = childEndpointUrl(chain.endpointUrl, ctx.env, chain.ignoreConfiguredEndpointUrls);
  const accountId = accountIdOf(chain, req.assume);
  return {
    credentials,
    chain,
    region,
    sts,
    ...(endpointUrl !== undefined && { endpointUrl }),
    ...(accountId !== undefined && { accountId }),
    redactSecrets: redactSecretsSetting(config),
  };
}

/**
 * The chain as the config alone describes it (every source followed), before the vault says which profiles have
 * keys: it tells whether the vault is needed at all (a credential_process chain works without one). A mistake in
 * the target's own settings is thrown here, before any passphrase is asked; one further down the chain may not
 * matter, because a source profile with stored keys ends the chain, so it waits for the walk that knows the keys.
 * A walk costs about 40 us (a 3-profile chain in a 5,000-profile config), so the second walk is not worth caching.
 */
/** The resolver's question "are keys stored for this profile?", answered from a vault's contents (none: no). */
export function keysStoredIn(data: VaultData | undefined): (profile: string) => boolean {
  return (profile) => data !== undefined && getCredentials(data, profile) !== undefined;
}

/**
 * AWS_WEB_IDENTITY_TOKEN_FILE replaces the target's own source, whatever it was (applyEnvironment): neither the vault
 * nor keys stored for the profile are needed. A profile without a config section still needs its keys in the vault
 * (or is unknown), except default.
 */
export function replacedByWebIdentity(env: NodeJS.ProcessEnv, config: ConfigFile, profile: string, walked: Chain | undefined): boolean {
  return Boolean(env.AWS_WEB_IDENTITY_TOKEN_FILE) && walked !== undefined && (config.profiles.has(profile) || profile === 'default');
}

function walkBeforeVault(config: ConfigFile, profile: string, regionGiven: boolean): Chain | undefined {
  try {
    return resolveProfile(config, profile, { regionGiven });
  } catch (err) {
    if (!(err instanceof ProfileError)) throw err;
    // Every source may have keys: only the target and its first source are read, so this throws only for them.
    resolveProfile(config, profile, { hasStoredKeys: () => true, regionGiven });
    return undefined;
  }
}

/** aws-vault's `[aws-vault]` `redact_secrets`: true or false; anything else is an error rather than a guess. */
function redactSecretsSetting(config: ConfigFile): boolean {
  const value = config.awsVault?.redact_secrets?.trim().toLowerCase();
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new CliError('INVALID_PROFILE_VALUE', `redact_secrets in the [aws-vault] section of ${config.path} is ${JSON.stringify(value)}: write true or false`);
}

/** Where an IAM Identity Center sign-in page goes: printed only (--stdout), or to the browser the user named. */
function signInBrowser(req: CredentialRequest, env: NodeJS.ProcessEnv): Partial<SourceServices> {
  if (req.printSignInLink) return { openBrowser: null };
  const { browser } = req;
  if (browser === undefined) return {};
  return { openBrowser: async (url) => (await import('./open-browser.js')).openBrowser(url, { command: browser, env }) };
}

/**
 * The region a command gets, as the AWS CLI and SDKs decide it: --region, then AWS_REGION, then AWS_DEFAULT_REGION
 * (an empty variable counts as unset), then the profile's own (with include_profile and [default] applied).
 */
export function commandRegion(flag: string | undefined, env: NodeJS.ProcessEnv, configured: string | undefined): string | undefined {
  return flag ?? (env.AWS_REGION || undefined) ?? (env.AWS_DEFAULT_REGION || undefined) ?? configured;
}

/** The STS client module, and with it the SDK, loads on the first call: a cached session needs neither. */
function stsOnDemand(creds: AwsCredentials, region: string | undefined, endpoint: string): StsApi {
  // One client for every call made with these credentials (login asks who they are, then for a federation token).
  let client: Promise<StsApi> | undefined;
  const api = () => (client ??= import('./sts-client.js').then((m) => m.createStsApi(creds, region, endpoint)));
  return {
    getSessionToken: async (p) => (await api()).getSessionToken(p),
    assumeRole: async (p) => (await api()).assumeRole(p),
    assumeRoleWithWebIdentity: async (p) => (await api()).assumeRoleWithWebIdentity(p),
    getCallerIdentity: async () => (await api()).getCallerIdentity(),
    getFederationToken: async (p) => (await api()).getFederationToken(p),
  };
}

/** The MFA code when --mfa-token gave none: mfa_process, else the prompt driver. The code itself is never logged. */
async function mfaCode(ctx: Context, serial: string, mfaProcess: string | undefined, named: PromptDriver | undefined, serving: boolean): Promise<string> {
  if (mfaProcess !== undefined) {
    ctx.debug(`running mfa_process for ${serial}`);
    const code = await readCode({ shell: mfaProcess }, `mfa_process (for the code of ${serial})`, ctx.env);
    ctx.redactor.add(code);
    return code;
  }
  const driver = chosenDriver(named, serving || !ctx.stdoutIsTerminal(), ctx.env);
  let code: string;
  if (driver !== 'terminal') {
    const source = ctx.settingName('AWS_VAULT_PROMPT');
    if (named !== undefined) installedDriver(driver, ctx.env, source);
    ctx.debug(`asking ${driver} for the MFA code of ${serial}${named ? '' : `, installed and chosen as aws-vault does with no AWS_VAULT_PROMPT (${serving ? 'credentials served in the background' : 'stdout not a terminal'})`}`);
    try {
      code = await readCode(driverCommand(driver, serial, ctx.env), `the ${driver} MFA prompt${named ? ` (${source})` : ''}`, ctx.env);
    } catch (err) {
      // A driver vault chose by itself (a YubiKey's ykman for a code kept on a phone, say) gave none: the terminal
      // still can, where there is one.
      if (named !== undefined || !ctx.interactive()) throw err;
      ctx.info(`${(err as Error).message}; asking on the terminal instead (AWS_VAULT_PROMPT picks how codes are asked).`);
      code = await promptMfa(ctx, serial);
    }
  } else {
    code = await promptMfa(ctx, serial);
  }
  ctx.redactor.add(code);
  return code;
}

export const defaultServices: CredentialServices = {
  sts: stsOnDemand,
  runCredentialProcess: async (command, profile, env) => (await import('./credential-process.js')).runCredentialProcess(command, profile, env),
};

async function promptMfa(ctx: Context, serial: string): Promise<string> {
  if (!ctx.interactive()) {
    throw new CliError('MFA_REQUIRED', `an MFA code for ${serial} is needed and there is no terminal to ask on`);
  }
  // A mistyped code is asked again here; a well-formed one AWS refuses ends the command (it may have been used).
  return withRetries(
    ctx.info,
    async () => {
      const code = (await ctx.prompter.text(`Enter MFA code for ${serial}:`)).trim();
      if (!/^\d{6}$/.test(code)) throw new InvalidMfaTokenError(serial, false);
      return code;
    },
    (err) => (err instanceof InvalidMfaTokenError ? 'An MFA code is 6 digits' : undefined),
  );
}
