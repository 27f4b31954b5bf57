// IAM Identity Center: a signed-in token, then the role's credentials. The token comes from, in order: the vault
// (sealed there by an earlier sign-in), the AWS CLI v2's cache (a valid token `aws sso login` left), a refresh of
// the vault's token (refresh_token grant), and last a new sign-in through the OIDC device authorization flow
// (RFC 8628: the user confirms a code in the browser while vault polls CreateToken).
// An expired, revoked (401) or other-region token is not an error: it means a new sign-in.
import type { SsoToken } from '@vault/core';
import type { Base, SsoSettings } from '@vault/profiles';
import { SsoError } from '../errors.js';
import type { AwsCredentials } from '../types.js';
import { SsoServiceError, type DeviceAuthorization, type SsoApi, type TokenResponse } from './api.js';

type SsoBase = Extract<Base, { kind: 'sso' }>;

export interface SsoDeps {
  api: (region: string) => SsoApi;
  /** Sign-ins sealed in the vault, by cache key; `save` is written back with the command's sessions. */
  tokens: {
    get(key: string): SsoToken | undefined;
    save(key: string, token: SsoToken): void;
    /**
     * Runs `obtain` (a refresh or a new sign-in) while holding a lock the other vault processes signing in with this
     * key wait on, and makes what it saved durable before letting go; `latest` is the token as stored when the lock
     * was taken, which another process may have just signed in for. Without it (tests), `obtain(undefined)`.
     */
    signingIn?<T>(key: string, obtain: (latest: SsoToken | undefined) => Promise<T>): Promise<T>;
  };
  /** The AWS CLI v2's cached token for the key, if any (aws-cli-cache.ts). */
  cliToken: (key: string) => Promise<SsoToken | undefined>;
  /** Opens the sign-in page and says whether a browser took it; null when only the link is to be printed (--stdout). */
  openBrowser: ((url: string) => Promise<boolean>) | null;
  /** What the person signing in must see (stderr): the URL when no browser opened, and the code to confirm. */
  notify: (line: string) => void;
  clock: () => Date;
  sleep: (ms: number) => Promise<void>;
  log: (message: string) => void;
}

/** A token is used while it has more than this left; GetRoleCredentials with a token about to expire would fail. */
const TOKEN_MARGIN_MS = 60_000;
/** A client registration is reused while it has more than this left (it must outlive a sign-in and a refresh). */
const REGISTRATION_MARGIN_MS = 60 * 60_000;
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** RFC 8628: the default polling interval, and what slow_down adds to it. */
const DEFAULT_INTERVAL_S = 5;
const SLOW_DOWN_S = 5;

/** The key of a sign-in in the vault and in the AWS CLI's cache: the sso-session name, else the start URL. */
export function ssoCacheKey(sso: SsoSettings): string {
  return sso.session ?? sso.startUrl;
}

export async function ssoRoleCredentials(base: SsoBase, deps: SsoDeps): Promise<AwsCredentials> {
  const api = deps.api(base.sso.region);
  const token = await signedIn(base.sso, api, deps);
  try {
    return await roleCredentials(base, api, token);
  } catch (err) {
    if (!(err instanceof SsoServiceError) || err.status !== 401) throw explain(base, err);
    // Revoked, signed out, or expired early. A newer sign-in of the AWS CLI's (`aws sso login`, what its users run
    // after "session expired") is tried first; then the only way on is a new sign-in.
    const cli = await deps.cliToken(ssoCacheKey(base.sso));
    if (cli && cli.accessToken !== token.accessToken && usableFor(base.sso, cli, deps.clock().getTime())) {
      try {
        const creds = await roleCredentials(base, api, cli);
        deps.log(`IAM Identity Center refused the token of ${base.sso.startUrl} (${err.type}); the AWS CLI's newer sign-in was taken`);
        return creds;
      } catch (other) {
        if (!(other instanceof SsoServiceError) || other.status !== 401) throw explain(base, other);
      }
    }
    deps.log(`IAM Identity Center refused the token of ${base.sso.startUrl} (${err.type}); signing in again`);
    deps.notify(`The IAM Identity Center sign-in for ${base.sso.startUrl} is no longer valid; signing in again.`);
    const fresh = await once(base.sso, deps, (latest) =>
      // Another process signed in again while this one was refused: its token is the fresh one.
      latest && latest.accessToken !== token.accessToken && usableFor(base.sso, latest, deps.clock().getTime())
        ? Promise.resolve(latest)
        : deviceSignIn(base.sso, api, deps, token),
    );
    try {
      return await roleCredentials(base, api, fresh);
    } catch (again) {
      throw explain(base, again);
    }
  }
}

async function roleCredentials(base: SsoBase, api: SsoApi, token: SsoToken): Promise<AwsCredentials> {
  const c = await api.getRoleCredentials({ accessToken: token.accessToken, accountId: base.accountId, roleName: base.roleName });
  return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: new Date(c.expiration) };
}

function explain(base: SsoBase, err: unknown): unknown {
  if (!(err instanceof SsoServiceError)) return err;
  const where = `role ${base.roleName} in account ${base.accountId} (profile ${base.profile})`;
  if (err.status === 401) return new SsoError(`IAM Identity Center refused a fresh sign-in for ${where} (${err.type}); check sso_start_url and sso_region`);
  if (err.status === 403 || err.status === 404 || err.type === 'ResourceNotFoundException') {
    return new SsoError(`IAM Identity Center gives this sign-in no ${where} (${err.type}); check sso_account_id and sso_role_name, or ask for the assignment`);
  }
  return new SsoError(`${err.message}; try again, or check sso_region and AWS_ENDPOINT_URL_SSO`);
}

/** Why a token cannot serve this sign-in (another start URL or region, or less than the margin left), if it cannot. */
function unusable(sso: SsoSettings, t: SsoToken, now: number): string | undefined {
  if (t.startUrl !== sso.startUrl || t.region !== sso.region) {
    return `holds a sign-in for ${t.startUrl} in ${t.region}, not ${sso.startUrl} in ${sso.region}; not used`;
  }
  if (Date.parse(t.expiresAt) <= now + TOKEN_MARGIN_MS) return `the IAM Identity Center token of ${ssoCacheKey(sso)} expired at ${t.expiresAt}`;
  return undefined;
}

function usableFor(sso: SsoSettings, t: SsoToken, now: number): boolean {
  return unusable(sso, t, now) === undefined;
}

async function signedIn(sso: SsoSettings, api: SsoApi, deps: SsoDeps): Promise<SsoToken> {
  const key = ssoCacheKey(sso);
  const now = deps.clock().getTime();
  const usable = (t: SsoToken | undefined, from: string): boolean => {
    if (!t) return false;
    const why = unusable(sso, t, now);
    if (why) deps.log(`${from}: ${why}`);
    return why === undefined;
  };
  const sealed = deps.tokens.get(key);
  if (sealed && usable(sealed, 'the vault')) {
    deps.log(`IAM Identity Center token of ${key} from the vault (valid until ${sealed.expiresAt})`);
    return sealed;
  }
  const cli = await deps.cliToken(key);
  if (cli && usable(cli, 'the AWS CLI cache')) {
    deps.log(`IAM Identity Center token of ${key} from the AWS CLI cache (valid until ${cli.expiresAt})`);
    return cli;
  }
  return once(sso, deps, async (latest) => {
    // Commands started together (make -j, a terraform run's providers) all found no token; the first signs in and
    // the others, waiting on the lock, take its token instead of each opening a sign-in of their own.
    if (latest && usableFor(sso, latest, deps.clock().getTime())) {
      deps.log(`IAM Identity Center token of ${key} sealed meanwhile by another vault process (valid until ${latest.expiresAt})`);
      return latest;
    }
    return renewOrSignIn(sso, api, deps, latest ?? sealed, cli);
  });
}

/** `obtain` under the sign-in lock of the key, where the run has one. */
function once<T>(sso: SsoSettings, deps: SsoDeps, obtain: (latest: SsoToken | undefined) => Promise<T>): Promise<T> {
  return deps.tokens.signingIn ? deps.tokens.signingIn(ssoCacheKey(sso), obtain) : obtain(undefined);
}

/** A refresh of the sealed sign-in when it can be refreshed, else a new sign-in, saying why one is needed. */
async function renewOrSignIn(sso: SsoSettings, api: SsoApi, deps: SsoDeps, sealed: SsoToken | undefined, cli: SsoToken | undefined): Promise<SsoToken> {
  const key = ssoCacheKey(sso);
  const now = deps.clock().getTime();
  const sameSignIn = sealed && sealed.startUrl === sso.startUrl && sealed.region === sso.region ? sealed : undefined;
  if (sameSignIn?.refreshToken && registrationValid(sameSignIn, now)) {
    try {
      const response = await api.createToken({
        clientId: sameSignIn.clientId as string,
        clientSecret: sameSignIn.clientSecret as string,
        grantType: 'refresh_token',
        refreshToken: sameSignIn.refreshToken,
      });
      deps.log(`refreshed the IAM Identity Center token of ${key}`);
      return keep(deps, key, sameSignIn, response);
    } catch (err) {
      if (!(err instanceof SsoServiceError)) throw err;
      deps.log(`refreshing the IAM Identity Center token of ${key} failed (${err.type}); signing in again`);
    }
  }
  // Why a person who signed in before is asked again.
  const stale = [sealed, cli].find((t) => t?.startUrl === sso.startUrl);
  if (stale && stale.region !== sso.region) {
    deps.notify(`The IAM Identity Center sign-in for ${sso.startUrl} is for region ${stale.region}, not sso_region ${sso.region}; signing in again.`);
  } else if (stale) {
    deps.notify(`The IAM Identity Center sign-in for ${sso.startUrl} expired at ${stale.expiresAt}; signing in again.`);
  }
  return deviceSignIn(sso, api, deps, sameSignIn);
}

function registrationValid(t: SsoToken, now: number): boolean {
  return !!t.clientId && !!t.clientSecret && !!t.registrationExpiresAt && Date.parse(t.registrationExpiresAt) > now + REGISTRATION_MARGIN_MS;
}

/** Seals the new token with the registration that obtained it, so the next expiry can be refreshed. */
function keep(deps: SsoDeps, key: string, previous: SsoToken, response: TokenResponse): SsoToken {
  const token: SsoToken = {
    ...previous,
    accessToken: response.accessToken,
    expiresAt: new Date(deps.clock().getTime() + response.expiresIn * 1000).toISOString(),
    ...(response.refreshToken !== undefined && { refreshToken: response.refreshToken }),
  };
  deps.tokens.save(key, token);
  return token;
}

async function deviceSignIn(sso: SsoSettings, api: SsoApi, deps: SsoDeps, previous: SsoToken | undefined): Promise<SsoToken> {
  const key = ssoCacheKey(sso);
  const now = deps.clock().getTime();
  try {
    const sealed = previous && previous.startUrl === sso.startUrl && previous.region === sso.region && registrationValid(previous, now) ? previous : undefined;
    let client = sealed ?? (await register(sso, api, deps));
    let ids = idsOf(client);
    let device: DeviceAuthorization;
    try {
      device = await api.startDeviceAuthorization({ ...ids, startUrl: sso.startUrl });
    } catch (err) {
      // A sealed registration the service no longer accepts (revoked, or the instance set up again) would fail every
      // sign-in until it expired, up to 90 days: registered again, as a first sign-in is.
      if (!sealed || !(err instanceof SsoServiceError) || !REFUSED_CLIENT.has(err.type)) throw err;
      deps.log(`the sealed client registration of ${key} was refused (${err.type})`);
      client = await register(sso, api, deps);
      ids = idsOf(client);
      device = await api.startDeviceAuthorization({ ...ids, startUrl: sso.startUrl });
    }
    const url = device.verificationUriComplete ?? device.verificationUri;
    deps.notify(`Signing in to IAM Identity Center (${sso.startUrl}): confirm the code ${device.userCode} in the browser.`);
    if (deps.openBrowser === null) deps.notify(`Open this URL to sign in: ${url}`);
    else if (!(await deps.openBrowser(url))) deps.notify(`No browser could be opened; open this URL to sign in: ${url}`);
    const response = await poll(api, deps, ids, device.deviceCode, device.interval ?? DEFAULT_INTERVAL_S, device.expiresIn);
    deps.notify('Signed in to IAM Identity Center.');
    return keep(deps, key, { startUrl: sso.startUrl, region: sso.region, accessToken: '', expiresAt: '', ...client }, response);
  } catch (err) {
    if (!(err instanceof SsoServiceError)) throw err;
    throw new SsoError(`signing in to IAM Identity Center (${sso.startUrl}, region ${sso.region}) failed: ${err.message}; check sso_start_url and sso_region, and run the command again`);
  }
}

/** What StartDeviceAuthorization answers for a client registration the service does not (or no longer) accept. */
const REFUSED_CLIENT: ReadonlySet<string> = new Set(['InvalidClientException', 'UnauthorizedClientException']);

type ClientRegistration = Pick<SsoToken, 'clientId' | 'clientSecret' | 'registrationExpiresAt'>;

async function register(sso: SsoSettings, api: SsoApi, deps: SsoDeps): Promise<ClientRegistration> {
  deps.log(`RegisterClient for ${ssoCacheKey(sso)}`);
  // As the AWS CLI: the registration scopes of an sso-session (which get a refresh token); none for the legacy style.
  const r = await api.registerClient({ clientName: 'vault', clientType: 'public', ...(sso.scopes && { scopes: sso.scopes }) });
  return { clientId: r.clientId, clientSecret: r.clientSecret, registrationExpiresAt: new Date(r.clientSecretExpiresAt * 1000).toISOString() };
}

function idsOf(client: ClientRegistration): { clientId: string; clientSecret: string } {
  return { clientId: client.clientId as string, clientSecret: client.clientSecret as string };
}

async function poll(
  api: SsoApi,
  deps: SsoDeps,
  ids: { clientId: string; clientSecret: string },
  deviceCode: string,
  intervalSeconds: number,
  expiresInSeconds: number,
): Promise<TokenResponse> {
  const deadline = deps.clock().getTime() + expiresInSeconds * 1000;
  let interval = intervalSeconds;
  for (;;) {
    try {
      return await api.createToken({ ...ids, grantType: DEVICE_GRANT, deviceCode });
    } catch (err) {
      if (!(err instanceof SsoServiceError)) throw err;
      if (err.type === 'SlowDownException') interval += SLOW_DOWN_S;
      else if (err.type !== 'AuthorizationPendingException') {
        const why = err.type === 'ExpiredTokenException' ? 'the code expired before it was confirmed' : err.type === 'AccessDeniedException' ? 'the sign-in was denied in the browser' : err.message;
        throw new SsoError(`IAM Identity Center sign-in did not complete: ${why}; run the command again to get a new code`);
      }
    }
    if (deps.clock().getTime() + interval * 1000 > deadline) {
      throw new SsoError('IAM Identity Center sign-in did not complete: the code expired before it was confirmed; run the command again to get a new code');
    }
    await deps.sleep(interval * 1000);
  }
}
