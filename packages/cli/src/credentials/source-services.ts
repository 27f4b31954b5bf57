// The outside world of the credential sources beyond STS and credential_process (sources/): IAM Identity Center,
// the machine's credential endpoints, token files. Each loads its module on first use, so a cached `vault exec`
// loads none of them.
import { promises as fsp } from 'node:fs';
import type { SsoToken } from '@vault/core';
import { homeOf, type Context } from '../io/context.js';
import type { SsoApi } from './sso/api.js';
import type { SsoDeps } from './sso/sign-in.js';
import type { Deps } from './types.js';

export interface SourceServices {
  ssoApi: (region: string) => SsoApi;
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  /** null: the sign-in link is printed and no browser opened (--stdout). */
  openBrowser: ((url: string) => Promise<boolean>) | null;
  sleep: (ms: number) => Promise<void>;
}

export function sourceDeps(
  ctx: Context,
  tokens: SsoDeps['tokens'],
  services: Partial<SourceServices> = {},
): Pick<Deps, 'sso' | 'ssoEndpoint' | 'machineCredentials' | 'readTokenFile'> {
  const fetchFn = services.fetch ?? ((url, init) => fetch(url, init));
  const home = homeOf(ctx.env);
  const ssoEndpoint = ctx.env.AWS_ENDPOINT_URL_SSO || ctx.env.AWS_ENDPOINT_URL || undefined;
  return {
    ...(ssoEndpoint !== undefined && { ssoEndpoint }),
    async sso(base) {
      const [{ ssoRoleCredentials }, { createSsoApi }, { readCliToken }] = await Promise.all([
        import('./sso/sign-in.js'),
        import('./sso/api.js'),
        import('./sso/aws-cli-cache.js'),
      ]);
      // Every token vault holds, whatever its origin, is kept out of anything it prints.
      const redacted = (token: SsoToken | undefined) => {
        if (token) for (const secret of [token.accessToken, token.refreshToken, token.clientSecret]) if (secret) ctx.redactor.add(secret);
        return token;
      };
      const credentials = await ssoRoleCredentials(base, {
        api: services.ssoApi ?? ((region) => createSsoApi(region, ctx.env, fetchFn)),
        tokens: {
          get: (key) => redacted(tokens.get(key)),
          save: (key, token) => tokens.save(key, redacted(token) as SsoToken),
          ...(tokens.signingIn && { signingIn: (key, obtain) => tokens.signingIn!(key, (latest) => obtain(redacted(latest))) }),
        },
        cliToken: async (key) => redacted(await readCliToken(home, key)),
        openBrowser: services.openBrowser !== undefined ? services.openBrowser : (async (url) => (await import('./open-browser.js')).openBrowser(url, { env: ctx.env })),
        notify: ctx.info,
        clock: ctx.clock,
        sleep: services.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
        log: ctx.debug,
      });
      ctx.redactor.add(credentials.secretAccessKey);
      return credentials;
    },
    async machineCredentials(source) {
      const { machineCredentials } = await import('./machine-credentials.js');
      const credentials = await machineCredentials(source, { env: ctx.env, fetch: fetchFn, readFile: (p) => fsp.readFile(p, 'utf8') });
      ctx.redactor.add(credentials.secretAccessKey);
      return credentials;
    },
    readTokenFile: (path) => fsp.readFile(path, 'utf8'),
  };
}
