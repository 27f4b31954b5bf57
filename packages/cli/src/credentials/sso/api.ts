// The IAM Identity Center calls vault makes, over plain fetch: the SSO OIDC and SSO portal services are REST-JSON
// (botocore's data/sso-oidc and data/sso models), four small requests, so no SDK client is loaded for them.
// Endpoints as the AWS SDKs pick them: AWS_ENDPOINT_URL_SSO_OIDC / AWS_ENDPOINT_URL_SSO (the service ids "SSO OIDC"
// and "SSO"), then AWS_ENDPOINT_URL, then AWS's own for the sso_region.

export interface Registration {
  clientId: string;
  clientSecret: string;
  /** Seconds since the epoch. */
  clientSecretExpiresAt: number;
}

export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string;
  expiresIn: number;
  interval?: number;
}

export interface TokenResponse {
  accessToken: string;
  expiresIn: number;
  refreshToken?: string;
}

export interface RoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Milliseconds since the epoch. */
  expiration: number;
}

export interface SsoApi {
  registerClient(p: { clientName: string; clientType: 'public'; scopes?: string[] }): Promise<Registration>;
  startDeviceAuthorization(p: { clientId: string; clientSecret: string; startUrl: string }): Promise<DeviceAuthorization>;
  createToken(p: {
    clientId: string;
    clientSecret: string;
    grantType: 'urn:ietf:params:oauth:grant-type:device_code' | 'refresh_token';
    deviceCode?: string;
    refreshToken?: string;
  }): Promise<TokenResponse>;
  getRoleCredentials(p: { accessToken: string; accountId: string; roleName: string }): Promise<RoleCredentials>;
}

/** A refusal from either service: `type` is the model's error shape name (AuthorizationPendingException, ...). */
export class SsoServiceError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    readonly operation: string,
    detail: string,
  ) {
    super(`IAM Identity Center ${operation}: ${type}${detail ? ` (${detail})` : ''}`);
  }
}

type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** The OIDC `error` values of the error shapes vault tells apart (RFC 8628 device flow). */
const OAUTH_ERRORS: Record<string, string> = {
  authorization_pending: 'AuthorizationPendingException',
  slow_down: 'SlowDownException',
  expired_token: 'ExpiredTokenException',
  access_denied: 'AccessDeniedException',
  invalid_grant: 'InvalidGrantException',
  invalid_client: 'InvalidClientException',
};

export function ssoEndpoints(region: string, env: NodeJS.ProcessEnv): { oidc: string; portal: string } {
  const trim = (url: string) => url.replace(/\/+$/, '');
  return {
    oidc: trim(env.AWS_ENDPOINT_URL_SSO_OIDC || env.AWS_ENDPOINT_URL || `https://oidc.${region}.amazonaws.com`),
    portal: trim(env.AWS_ENDPOINT_URL_SSO || env.AWS_ENDPOINT_URL || `https://portal.sso.${region}.amazonaws.com`),
  };
}

const TIMEOUT_MS = 15_000;

export function createSsoApi(region: string, env: NodeJS.ProcessEnv, fetchFn: Fetch = fetch): SsoApi {
  const { oidc, portal } = ssoEndpoints(region, env);

  async function send<T>(operation: string, url: string, init: RequestInit): Promise<T> {
    let response: Response;
    try {
      response = await fetchFn(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (err) {
      throw new SsoServiceError('NetworkError', 0, operation, `${new URL(url).host}: ${(err as Error).message}`);
    }
    const text = await response.text();
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      // Not JSON (a proxy's page): the status says enough.
    }
    if (response.ok) return body as T;
    const header = response.headers.get('x-amzn-errortype')?.split(':')[0];
    const shape = typeof body.__type === 'string' ? body.__type.split('#').pop() : undefined;
    const oauth = typeof body.error === 'string' ? (OAUTH_ERRORS[body.error] ?? body.error) : undefined;
    const type = header || shape || oauth || `HTTP ${response.status}`;
    // The description never holds a token (the services do not echo them).
    const detail = typeof body.error_description === 'string' ? body.error_description : typeof body.message === 'string' ? body.message : '';
    throw new SsoServiceError(type, response.status, operation, detail.slice(0, 200));
  }
  const post = <T>(operation: string, path: string, payload: object) =>
    send<T>(operation, `${oidc}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });

  return {
    registerClient: (p) => post('RegisterClient', '/client/register', p),
    startDeviceAuthorization: (p) => post('StartDeviceAuthorization', '/device_authorization', p),
    createToken: (p) => post('CreateToken', '/token', p),
    async getRoleCredentials(p) {
      const query = new URLSearchParams({ role_name: p.roleName, account_id: p.accountId });
      const out = await send<{ roleCredentials?: RoleCredentials }>('GetRoleCredentials', `${portal}/federation/credentials?${query}`, {
        method: 'GET',
        headers: { 'x-amz-sso_bearer_token': p.accessToken },
      });
      const c = out.roleCredentials;
      if (!c?.accessKeyId || !c.secretAccessKey || !c.sessionToken) {
        throw new SsoServiceError('NoCredentials', 200, 'GetRoleCredentials', 'the response held no credentials');
      }
      return c;
    },
  };
}
