// A local IAM Identity Center for the e2e tests: the SSO OIDC operations (RegisterClient, StartDeviceAuthorization,
// CreateToken with the device_code and refresh_token grants) and the portal's GetRoleCredentials, as botocore's
// data/sso-oidc and data/sso models define them (REST-JSON; errors carry x-amzn-ErrorType and, for OIDC, the OAuth
// `error` field). No emulator implements these APIs. The "user" confirms a device code after `pendingPolls`
// authorization_pending answers, as a person would in the browser.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

/**
 * @param {{ pendingPolls?: number, interval?: number, tokenSeconds?: number }} options
 */
export async function startSsoServer(options = {}) {
  let pendingPolls = options.pendingPolls ?? 1;
  const tokenSeconds = options.tokenSeconds ?? 8 * 3600;
  const id = (prefix) => `${prefix}${randomBytes(12).toString('hex')}`;
  const clients = new Map(); // clientId -> secret
  const devices = new Map(); // deviceCode -> { clientId, startUrl, userCode, polls }
  const tokens = new Map(); // accessToken -> { expiresAt, startUrl }
  const refreshTokens = new Map(); // refreshToken -> clientId
  const roles = new Map(); // `${accountId}/${roleName}` -> credentials
  const calls = [];

  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://sso');
      const input = body ? JSON.parse(body) : {};
      const reply = (status, payload, errorType) => {
        res.writeHead(status, { 'content-type': 'application/json', ...(errorType && { 'x-amzn-errortype': errorType }) });
        res.end(JSON.stringify(payload));
      };
      const oauthError = (type, error, description) => reply(400, { error, error_description: description }, type);
      const route = `${req.method} ${url.pathname}`;
      calls.push(route);
      switch (route) {
        case 'POST /client/register': {
          if (input.clientType !== 'public' || !input.clientName) return oauthError('InvalidClientMetadataException', 'invalid_client_metadata', 'clientName and clientType=public');
          const clientId = id('client-');
          const clientSecret = id('secret-');
          clients.set(clientId, clientSecret);
          const now = Math.floor(Date.now() / 1000);
          return reply(200, { clientId, clientSecret, clientIdIssuedAt: now, clientSecretExpiresAt: now + 90 * 86400 });
        }
        case 'POST /device_authorization': {
          if (clients.get(input.clientId) !== input.clientSecret) return oauthError('InvalidClientException', 'invalid_client', 'unknown client');
          const deviceCode = id('device-');
          const userCode = `${randomBytes(2).toString('hex')}-${randomBytes(2).toString('hex')}`.toUpperCase();
          devices.set(deviceCode, { clientId: input.clientId, startUrl: input.startUrl, userCode, polls: 0 });
          const verificationUri = `http://127.0.0.1:${server.address().port}/start/#/device`;
          return reply(200, {
            deviceCode,
            userCode,
            verificationUri,
            verificationUriComplete: `${verificationUri}?user_code=${userCode}`,
            expiresIn: 600,
            interval: options.interval ?? 1,
          });
        }
        case 'POST /token': {
          if (clients.get(input.clientId) !== input.clientSecret) return oauthError('InvalidClientException', 'invalid_client', 'unknown client');
          let startUrl;
          if (input.grantType === 'urn:ietf:params:oauth:grant-type:device_code') {
            const device = devices.get(input.deviceCode);
            if (!device || device.clientId !== input.clientId) return oauthError('InvalidGrantException', 'invalid_grant', 'unknown device code');
            if (device.polls++ < pendingPolls) return oauthError('AuthorizationPendingException', 'authorization_pending', 'not yet confirmed');
            devices.delete(input.deviceCode);
            startUrl = device.startUrl;
          } else if (input.grantType === 'refresh_token') {
            if (refreshTokens.get(input.refreshToken)?.clientId !== input.clientId) return oauthError('InvalidGrantException', 'invalid_grant', 'unknown refresh token');
            startUrl = refreshTokens.get(input.refreshToken).startUrl;
            refreshTokens.delete(input.refreshToken);
          } else {
            return oauthError('UnsupportedGrantTypeException', 'unsupported_grant_type', input.grantType);
          }
          const accessToken = id('access-');
          const refreshToken = id('refresh-');
          tokens.set(accessToken, { expiresAt: Date.now() + tokenSeconds * 1000, startUrl });
          refreshTokens.set(refreshToken, { clientId: input.clientId, startUrl });
          return reply(200, { accessToken, tokenType: 'Bearer', expiresIn: tokenSeconds, refreshToken });
        }
        case 'GET /federation/credentials': {
          const token = tokens.get(req.headers['x-amz-sso_bearer_token'] ?? '');
          if (!token || token.expiresAt <= Date.now()) return reply(401, { message: 'Session token not found or invalid' }, 'UnauthorizedException');
          const creds = roles.get(`${url.searchParams.get('account_id')}/${url.searchParams.get('role_name')}`);
          if (!creds) return reply(403, { message: 'No access' }, 'ForbiddenException');
          return reply(200, { roleCredentials: creds });
        }
        default:
          return reply(404, { message: `no route ${route}` }, 'ResourceNotFoundException');
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    calls,
    /** What GetRoleCredentials returns for the account and role: expiration in ms since the epoch, as the model says. */
    setRole(accountId, roleName, keys, expiration = Date.now() + 3600_000) {
      roles.set(`${accountId}/${roleName}`, { ...keys, expiration });
    },
    /** A token as if a person had signed in with the AWS CLI (for its cache file). */
    issueToken(startUrl, seconds = tokenSeconds) {
      const accessToken = id('access-');
      tokens.set(accessToken, { expiresAt: Date.now() + seconds * 1000, startUrl });
      return { accessToken, expiresAt: new Date(Date.now() + seconds * 1000).toISOString() };
    },
    /**
     * How many authorization_pending answers a device code gets before its token, from now on: 0 confirms it on the
     * first poll, so a sign-in waits no polling interval.
     */
    setPendingPolls(polls) {
      pendingPolls = polls;
    },
    /** Signs every session out (GetRoleCredentials answers 401), as an administrator revoking sessions does. */
    revokeAll() {
      tokens.clear();
      refreshTokens.clear();
    },
    count(route) {
      return calls.filter((c) => c === route).length;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
