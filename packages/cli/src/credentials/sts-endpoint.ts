// Where vault's STS calls go, by the rules aws-vault and the AWS SDKs share: a service-specific endpoint variable,
// then AWS_ENDPOINT_URL, then the profile's endpoint_url; otherwise AWS's regional endpoint, except that
// sts_regional_endpoints = legacy (or AWS_STS_REGIONAL_ENDPOINTS=legacy) sends the regions that had no regional
// endpoint before 2019 to the global sts.amazonaws.com.

import { checkValue } from '@vault/profiles';
import { InvalidEnvironmentError } from './errors.js';

type Env = Record<string, string | undefined>;

/** The regions AWS documents as using the global endpoint under the legacy setting. */
const LEGACY_GLOBAL_REGIONS = new Set([
  'aws-global',
  'ap-northeast-1',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ca-central-1',
  'eu-central-1',
  'eu-north-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
]);

export const GLOBAL_STS_ENDPOINT = 'https://sts.amazonaws.com';

export interface StsTarget {
  /** The region to sign for (the global endpoint signs for us-east-1). */
  region: string | undefined;
  /** The endpoint URL: a configured one, else AWS's for the region with the FIPS and dual-stack settings applied. */
  endpoint: string;
  /** The endpoint chosen by configuration rather than by AWS's rules: sessions from it are cached apart. */
  custom?: string;
}

export interface EndpointSettings {
  region: string | undefined;
  /** endpoint_url of the chain. */
  endpointUrl?: string;
  /** ignore_configured_endpoint_urls = true on the profile (AWS_IGNORE_CONFIGURED_ENDPOINT_URLS beats it). */
  ignoreConfiguredEndpointUrls?: boolean;
  /** AWS_STS_REGIONAL_ENDPOINTS (beats the profile, as in aws-vault), else sts_regional_endpoints. */
  stsRegionalEndpoints?: 'regional' | 'legacy';
  /** use_fips_endpoint / use_dualstack_endpoint of the target (AWS_USE_FIPS_ENDPOINT / _DUALSTACK_ beat them). */
  useFipsEndpoint?: boolean;
  useDualstackEndpoint?: boolean;
}

/**
 * Pure: the STS endpoint for `settings` under `env`, always named: left to choose, the SDK inside vault reads the
 * endpoint variables and the endpoint_url of its own profile (AWS_PROFILE's or [default]'s, whatever its `profile`
 * option), not what vault resolved for the target.
 */
export function stsTarget(settings: EndpointSettings, env: Env): StsTarget {
  const custom = endpointsIgnored(env, settings.ignoreConfiguredEndpointUrls) ? undefined : endpointVariable(env, 'STS') || settings.endpointUrl;
  if (custom) return { region: settings.region, endpoint: custom, custom };
  const fips = switchedOn(env.AWS_USE_FIPS_ENDPOINT, settings.useFipsEndpoint);
  const dualstack = switchedOn(env.AWS_USE_DUALSTACK_ENDPOINT, settings.useDualstackEndpoint);
  // AWS's rules: the legacy global endpoint only where neither FIPS nor dual-stack is asked for.
  if (!fips && !dualstack && settings.stsRegionalEndpoints === 'legacy' && LEGACY_GLOBAL_REGIONS.has(settings.region ?? 'us-east-1')) {
    return { region: 'us-east-1', endpoint: GLOBAL_STS_ENDPOINT };
  }
  return { region: settings.region, endpoint: awsStsEndpoint(settings.region ?? 'us-east-1', fips, dualstack) };
}

/** A boolean variable as botocore reads it (set, even empty: "true" in any case or not), else the profile's. */
function switchedOn(variable: string | undefined, profile: boolean | undefined): boolean {
  return variable !== undefined ? variable.trim().toLowerCase() === 'true' : profile === true;
}

/**
 * AWS's own STS endpoint of a region, as STS's endpoint rules give it: `sts-fips.` for FIPS (GovCloud's regular
 * endpoints are FIPS already), `api.aws` (China: `api.amazonwebservices.com.cn`) for dual-stack.
 */
export function awsStsEndpoint(region: string, fips: boolean, dualstack: boolean): string {
  const china = region.startsWith('cn-');
  const domain = dualstack ? (china ? 'api.amazonwebservices.com.cn' : 'api.aws') : china ? 'amazonaws.com.cn' : 'amazonaws.com';
  const prefix = fips && !(region.startsWith('us-gov-') && !dualstack) ? 'sts-fips' : 'sts';
  return `https://${prefix}.${region}.${domain}`;
}

/**
 * The endpoint a service's variable (AWS_ENDPOINT_URL_<SERVICE>, else AWS_ENDPOINT_URL) sets, checked as endpoint_url
 * is, so a malformed one is an error naming it before any call rather than the SDK's bare "Invalid URL".
 */
export function endpointVariable(env: Env, service: 'STS' | 'IAM'): string | undefined {
  for (const name of [`AWS_ENDPOINT_URL_${service}`, 'AWS_ENDPOINT_URL']) {
    const value = env[name];
    if (!value) continue;
    const reason = checkValue('endpoint_url', value);
    if (reason) throw new InvalidEnvironmentError(name, shownUrl(value), reason);
    return value;
  }
  return undefined;
}

/** A URL as an error may show it: a proxy's user name, password or query can hold a secret, so they are left out. */
export function shownUrl(value: string): string {
  if (!/[@?#]/.test(value)) return value;
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return `${url.protocol}//${url.host}/…`;
  } catch {
    // Not a URL: nothing of it is shown.
  }
  return '(not shown)';
}

/** The endpoint URL the child gets as AWS_ENDPOINT_URL (aws-vault's rule): the profile's, or the variable's own. */
export function childEndpointUrl(endpointUrl: string | undefined, env: Env, profileIgnores?: boolean): string | undefined {
  if (endpointsIgnored(env, profileIgnores)) return undefined;
  return env.AWS_ENDPOINT_URL || endpointUrl;
}

/**
 * The AWS SDKs' and CLI's switch for every configured endpoint (the AWS_ENDPOINT_URL* variables, endpoint_url):
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS when set, read as they read it ("true" in any case is on, anything else off),
 * else the profile's ignore_configured_endpoint_urls.
 */
export function endpointsIgnored(env: Env, profileSays: boolean | undefined): boolean {
  return switchedOn(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS, profileSays);
}
