// `vault exec --server` / `--ec2-server`: the child gets a local credential endpoint instead of keys, so the SDKs in
// it renew credentials by themselves for as long as it runs, each renewal going through the same cache-then-STS path
// as `vault exec` (and so landing in the vault's session cache too). The two differ only in the protocol spoken.
import { randomBytes } from 'node:crypto';
import { wipeKey, type VaultKey } from '@vault/core';
import { readConfigFile, resolveProfile } from '@vault/profiles';
import { sourceOf } from '../credentials/sources/index.js';
import { CliError } from '../errors/cli-error.js';
import type { Context } from '../io/context.js';
import type { AwsCredentials } from '../credentials/types.js';
import { applyEnvironment, readCredentialEnvironment } from '../credentials/environment.js';
import { planChain } from '../credentials/plan.js';
import { chainStsTarget, commandRegion, keysStoredIn, profileCredentials, replacedByWebIdentity, resolveOptions, type CredentialRequest } from '../credentials/profile-credentials.js';
import { childEndpointUrl } from '../credentials/sts-endpoint.js';
import { openVault, openVaultFile, passphraseKey, runningAgent, type Unlock } from '../vault-access/vault-access.js';
import { buildChildEnv, endpointVariables, regionVariables } from './env.js';
import { refreshingCredentials } from './refresh.js';
import { runChild } from './run.js';
import { handleImdsRequest, SessionTokens } from './imds.js';
import { handleRequest, startCredentialServer, type EndpointRequest, type EndpointResponse } from './server.js';

/** ecs: the container-credentials protocol (--server); ec2: instance metadata (--ec2-server). */
export type EndpointKind = 'ecs' | 'ec2';

export interface ServerOptions {
  kind: EndpointKind;
  /** Get the first credentials at the first request, so the command starts without waiting for STS. */
  lazy: boolean;
  /** Called once the endpoint is up, right before the command starts. */
  beforeStart?: () => void;
}

const FLAG: Record<EndpointKind, string> = { ecs: '--server', ec2: '--ec2-server' };

/** The vault's own cache margin: a session is renewed when less than this is left, as `vault exec` would. */
const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;

/** AWS_MIN_TTL where set (aws-vault's servers read it too), else the cache's own 5 minutes. */
export function refreshMargin(env: NodeJS.ProcessEnv): number {
  const seconds = readCredentialEnvironment(env).minTtlSeconds;
  return seconds === undefined ? DEFAULT_REFRESH_MARGIN_MS : seconds * 1000;
}
/**
 * Roles a child may ask the endpoint for through /role-arn/, each renewed for the command's lifetime: a bound on the
 * work and memory one child can make vault spend.
 */
const MAX_SERVED_ROLES = 32;

/** Pure: what the child gets on top of the parent's environment (no static keys: buildChildEnv strips those). */
export function containerVariables(url: string, token: string, region: string | undefined): Array<[string, string]> {
  const vars: Array<[string, string]> = [
    ['AWS_CONTAINER_CREDENTIALS_FULL_URI', url],
    ['AWS_CONTAINER_AUTHORIZATION_TOKEN', token],
  ];
  return [...vars, ...regionVariables(region)];
}

/** Pure: the same for an instance-metadata endpoint, which the SDKs and the AWS CLI find through this variable. */
export function metadataVariables(port: number, region: string | undefined): Array<[string, string]> {
  return [['AWS_EC2_METADATA_SERVICE_ENDPOINT', `http://127.0.0.1:${port}/`], ...regionVariables(region)];
}

/** The container-credentials format has no way to say "these never expire", and SDKs reject answers without both. */
function requireTemporary(profile: string, creds: AwsCredentials): AwsCredentials {
  if (creds.sessionToken && creds.expiration) return creds;
  throw new CliError(
    'SERVER_NEEDS_SESSION',
    `profile ${profile} yields credentials without a session token and expiry, which a credential endpoint cannot serve`,
  );
}

/**
 * Keys the AWS SDKs and CLI in the child would take before asking the endpoint: with AWS_PROFILE gone, their chain
 * reads `[default]` of the shared files first, so plaintext keys there would silently win over the profile served.
 * The file that has them, for a warning; the command still runs, as it would under aws-vault.
 */
export async function shadowingDefault(ctx: Context): Promise<{ path: string; kind: 'credentials' | 'config' } | undefined> {
  const sources: Array<[string, 'credentials' | 'config']> = [
    [ctx.credentialsPath, 'credentials'],
    [ctx.configPath, 'config'],
  ];
  for (const [path, kind] of sources) {
    const values = (await readConfigFile(path, kind).catch(() => undefined))?.profiles.get('default');
    if (values && CREDENTIAL_KEYS.some((k) => values[k] !== undefined)) return { path, kind };
  }
  return undefined;
}

/** Keys that make `[default]` a source of credentials of its own for the SDKs. */
const CREDENTIAL_KEYS = ['aws_access_key_id', 'credential_process', 'role_arn', 'sso_session', 'sso_start_url', 'web_identity_token_file'];

/**
 * Says a line unless it is the one said last, until `reset`: an SDK in the child asking a failing endpoint every few
 * seconds would otherwise print the same warning into the child's terminal each time.
 */
export function unlessRepeated(say: (line: string) => void): { say: (line: string) => void; reset: () => void } {
  let last: string | undefined;
  return {
    say: (line) => {
      if (line !== last) say(line);
      last = line;
    },
    reset: () => {
      last = undefined;
    },
  };
}

/**
 * While the command runs on credentials from the unlock agent, the agent is kept from locking for idleness: a
 * renewal an hour in needs it (it cannot ask the passphrase then), and the command is using it. A summary request
 * (no secret in it) counts as use. `vault lock` still locks it; then this stops. Returns the stop function.
 */
function keepAgentAwake(ctx: Context): () => void {
  const agent = runningAgent(ctx, openVaultFile(ctx));
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = async () => {
    const answer = await agent.summary().catch(() => undefined);
    if (!answer || stopped) return;
    const every = Math.max(1000, Math.min(answer.status.ttlMs / 3, 60_000));
    timer = setTimeout(() => void tick(), every);
    timer.unref();
  };
  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The region the child is given when credentials are fetched lazily, the way the credentials path would find it.
 * The vault is unlocked up front instead (when the chain needs it): a passphrase cannot be asked once the command
 * owns the terminal.
 */
async function prepareLazily(ctx: Context, req: CredentialRequest, unlock: Unlock) {
  const givenRegion = commandRegion(req.region, ctx.env, undefined);
  const regionGiven = givenRegion !== undefined;
  const config = await readConfigFile(ctx.configPath, 'config');
  let chain = resolveProfile(config, req.profile, { regionGiven });
  const file = openVaultFile(ctx);
  if (sourceOf(chain.base).usesVault && !replacedByWebIdentity(ctx.env, config, req.profile, chain)) {
    // Resolved again knowing what is stored, so an unknown profile or missing keys stop vault now, not the
    // command's first request.
    const data = (await file.exists()) ? (await openVault(ctx, file, unlock, chain.path)).data : undefined;
    chain = resolveProfile(config, req.profile, { regionGiven, hasStoredKeys: keysStoredIn(data) });
  }
  // What needs no STS call is checked before the command starts, as it is without --lazy: the durations the walk
  // would ask for (AWS's ranges, the 1 h cap of a role assumed from a role).
  const envSettings = readCredentialEnvironment(ctx.env);
  const applied = applyEnvironment(chain, envSettings);
  const region = givenRegion ?? applied.region;
  planChain(applied, resolveOptions(req, envSettings, chainStsTarget(applied, envSettings, region, ctx.env)));
  const endpointUrl = childEndpointUrl(chain.endpointUrl, ctx.env, chain.ignoreConfiguredEndpointUrls);
  return { region, ...(endpointUrl !== undefined && { endpointUrl }) };
}

/** Returns the child's exit status; the endpoint is closed and the vault key wiped once the child has exited. */
export async function execWithServer(ctx: Context, req: CredentialRequest, command: string[], options: ServerOptions): Promise<number> {
  const flag = FLAG[options.kind];
  if (req.noSession) {
    throw new CliError('USAGE', `${flag} serves temporary credentials, and --no-session asks for the long-lived keys`, 2);
  }
  // The first key is kept for the child's lifetime: a renewal hours later must not ask for the passphrase again.
  let key: VaultKey | undefined;
  const unlock: Unlock = async (c, sealed) => (key ??= await passphraseKey(c, sealed));
  const refreshMarginMs = refreshMargin(ctx.env);
  try {
    const first = options.lazy ? undefined : await profileCredentials(ctx, req, { unlock, minValidityMs: refreshMarginMs, backgroundServer: true });
    if (first) requireTemporary(req.profile, first.credentials);
    const { region, endpointUrl } = first ?? (await prepareLazily(ctx, req, unlock));
    // A key of our own (a passphrase) needs no agent; without one, the vault was opened through it, if at all.
    const stopKeepingAwake = key === undefined ? keepAgentAwake(ctx) : () => undefined;

    // Renewals happen while the child owns the terminal, so they never prompt; an MFA code given once cannot be
    // used again either. Role sessions renew without one from a cached base session (8 h), when the chain has one.
    const renewing: Context = { ...ctx, interactive: () => false };
    // A lazy start's first fetch is the one that may use the --mfa-token given.
    let request: CredentialRequest = first ? { ...req, mfaToken: undefined } : req;
    const warning = unlessRepeated((line) => ctx.info(line));
    const current = refreshingCredentials(first?.credentials, {
      renew: async () => {
        const next = await profileCredentials(renewing, request, { unlock, minValidityMs: refreshMarginMs, backgroundServer: true });
        warning.reset();
        request = { ...req, mfaToken: undefined };
        ctx.debug(`renewed the credentials of ${req.profile} (valid until ${next.credentials.expiration?.toISOString()})`);
        return requireTemporary(req.profile, next.credentials);
      },
      clock: ctx.clock,
      marginMs: refreshMarginMs,
      onStaleServed: (err) =>
        warning.say(`vault: renewing the credentials of ${req.profile} failed, serving the current ones until they expire: ${messageOf(err)}`),
    });
    const serve = async () => {
      try {
        return await current();
      } catch (err) {
        warning.say(`vault: the credential endpoint has no credentials for ${req.profile}: ${messageOf(err)}`);
        throw err;
      }
    };

    let handle: (r: EndpointRequest) => Promise<EndpointResponse>;
    let variables: (port: number, url: string) => Array<[string, string]>;
    if (options.kind === 'ecs') {
      const token = randomBytes(32).toString('base64url');
      ctx.redactor.add(token);
      // aws-vault's /role-arn/ARN route: the role assumed as one more hop (`--assume ARN`), renewed like the rest.
      const roles = new Map<string, () => Promise<AwsCredentials>>();
      const roleCredentials = async (roleArn: string) => {
        let role = roles.get(roleArn);
        if (!role) {
          if (roles.size >= MAX_SERVED_ROLES) {
            throw new CliError('TOO_MANY_ROLES', `the endpoint serves at most ${MAX_SERVED_ROLES} roles besides the profile's; restart the command to serve others`);
          }
          const roleRequest: CredentialRequest = { ...req, mfaToken: undefined, assume: [...req.assume, roleArn] };
          role = refreshingCredentials(undefined, {
            renew: async () => requireTemporary(req.profile, (await profileCredentials(renewing, roleRequest, { unlock, minValidityMs: refreshMarginMs, backgroundServer: true })).credentials),
            clock: ctx.clock,
            marginMs: refreshMarginMs,
            onStaleServed: (err) => warning.say(`vault: renewing the credentials of ${roleArn} failed, serving the current ones until they expire: ${messageOf(err)}`),
          });
          roles.set(roleArn, role);
        }
        return role();
      };
      handle = (r) => handleRequest(r, { token, credentials: serve, roleCredentials });
      variables = (_port, url) => containerVariables(url, token, region);
    } else {
      const tokens = new SessionTokens(ctx.clock);
      handle = (r) => handleImdsRequest(r, { credentials: serve, region, tokens, clock: ctx.clock });
      variables = (port) => metadataVariables(port, region);
    }
    const server = await startCredentialServer(async (request) => {
      const answer = await handle(request);
      ctx.debug(`credential endpoint: ${request.method} ${request.url} from ${request.remoteAddress} -> ${answer.status}`);
      return answer;
    });
    try {
      const shadowing = await shadowingDefault(ctx);
      if (shadowing) {
        const fix = shadowing.kind === 'credentials' ? 'move them into the vault with `vault import default`' : 'move them to a profile of their own';
        ctx.info(
          `vault: [default] in ${shadowing.path} gives credentials, which the AWS SDKs and CLI in the command take before the ` +
            `credential endpoint (${flag}); ${fix}`,
        );
      }
      const env = buildChildEnv(ctx.inheritedEnv ?? ctx.env, req.profile, [...variables(server.port, server.url), ...endpointVariables(endpointUrl)]);
      ctx.debug(`running ${command[0]} with profile ${req.profile}, credentials served on port ${server.port} (${flag})`);
      options.beforeStart?.();
      return await runChild(command, env);
    } finally {
      stopKeepingAwake();
      await server.close();
    }
  } finally {
    if (key) wipeKey(key);
  }
}
