import { GLOBAL_STS_ENDPOINT, childEndpointUrl, endpointVariable, stsTarget } from './sts-endpoint.js';

describe('stsTarget', () => {
  it("names AWS's regional endpoint itself (the SDK would read AWS_PROFILE's or [default]'s endpoint_url), FIPS and dual-stack as AWS's rules give them", () => {
    const regional = { region: 'eu-west-1', endpoint: 'https://sts.eu-west-1.amazonaws.com' };
    expect(stsTarget({ region: 'eu-west-1' }, {})).toEqual(regional);
    expect(stsTarget({ region: 'eu-west-1', stsRegionalEndpoints: 'regional' }, {})).toEqual(regional);
    expect(stsTarget({ region: undefined }, {}).endpoint).toBe('https://sts.us-east-1.amazonaws.com');
    expect(stsTarget({ region: 'us-east-2', useFipsEndpoint: true }, {}).endpoint).toBe('https://sts-fips.us-east-2.amazonaws.com');
    expect(stsTarget({ region: 'us-east-2', useDualstackEndpoint: true }, {}).endpoint).toBe('https://sts.us-east-2.api.aws');
    expect(stsTarget({ region: 'us-east-2', useFipsEndpoint: true, useDualstackEndpoint: true }, {}).endpoint).toBe('https://sts-fips.us-east-2.api.aws');
    expect(stsTarget({ region: 'us-gov-west-1', useFipsEndpoint: true }, {}).endpoint).toBe('https://sts.us-gov-west-1.amazonaws.com');
    expect(stsTarget({ region: 'cn-north-1' }, {}).endpoint).toBe('https://sts.cn-north-1.amazonaws.com.cn');
    expect(stsTarget({ region: 'cn-north-1', useDualstackEndpoint: true }, {}).endpoint).toBe('https://sts.cn-north-1.api.amazonwebservices.com.cn');
    // The variables beat the profile, either way (set and empty is false, as botocore reads it).
    expect(stsTarget({ region: 'us-east-2' }, { AWS_USE_FIPS_ENDPOINT: 'TRUE' }).endpoint).toBe('https://sts-fips.us-east-2.amazonaws.com');
    expect(stsTarget({ region: 'us-east-2', useFipsEndpoint: true }, { AWS_USE_FIPS_ENDPOINT: '' }).endpoint).toBe('https://sts.us-east-2.amazonaws.com');
    // The legacy global endpoint is not FIPS: a FIPS or dual-stack profile keeps its regional one.
    expect(stsTarget({ region: 'us-east-1', stsRegionalEndpoints: 'legacy', useFipsEndpoint: true }, {}).endpoint).toBe('https://sts-fips.us-east-1.amazonaws.com');
  });

  it('ignores every configured endpoint under AWS_IGNORE_CONFIGURED_ENDPOINT_URLS or ignore_configured_endpoint_urls', () => {
    const env = { AWS_ENDPOINT_URL_STS: 'http://sts:3' };
    const regional = { region: 'eu-west-1', endpoint: 'https://sts.eu-west-1.amazonaws.com' };
    expect(stsTarget({ region: 'eu-west-1', endpointUrl: 'http://config:1' }, { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'TRUE' })).toEqual(regional);
    expect(stsTarget({ region: 'eu-west-1', ignoreConfiguredEndpointUrls: true }, env)).toEqual(regional);
    // The variable beats the profile, either way.
    expect(stsTarget({ region: 'eu-west-1', ignoreConfiguredEndpointUrls: true }, { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'false' }).custom).toBe('http://sts:3');
    expect(childEndpointUrl('http://config:1', { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).toBeUndefined();
    expect(childEndpointUrl('http://config:1', {}, true)).toBeUndefined();
    expect(childEndpointUrl('http://config:1', { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'false' }, true)).toBe('http://config:1');
    expect(childEndpointUrl('http://config:1', { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: '' }, true)).toBe('http://config:1');
  });

  it('sends a legacy region to the global endpoint, signed for us-east-1', () => {
    expect(stsTarget({ region: 'eu-west-1', stsRegionalEndpoints: 'legacy' }, {})).toEqual({ region: 'us-east-1', endpoint: GLOBAL_STS_ENDPOINT });
    expect(stsTarget({ region: undefined, stsRegionalEndpoints: 'legacy' }, {})).toEqual({ region: 'us-east-1', endpoint: GLOBAL_STS_ENDPOINT });
  });

  it('keeps regions that never had the global endpoint regional under legacy', () => {
    expect(stsTarget({ region: 'af-south-1', stsRegionalEndpoints: 'legacy' }, {})).toEqual({ region: 'af-south-1', endpoint: 'https://sts.af-south-1.amazonaws.com' });
  });

  it('uses endpoint_url, beaten by AWS_ENDPOINT_URL and then AWS_ENDPOINT_URL_STS, and caches its sessions apart', () => {
    const settings = { region: 'eu-west-1', endpointUrl: 'http://config:1', stsRegionalEndpoints: 'legacy' as const };
    expect(stsTarget(settings, {})).toEqual({ region: 'eu-west-1', endpoint: 'http://config:1', custom: 'http://config:1' });
    expect(stsTarget(settings, { AWS_ENDPOINT_URL: 'http://all:2' }).endpoint).toBe('http://all:2');
    expect(stsTarget(settings, { AWS_ENDPOINT_URL: 'http://all:2', AWS_ENDPOINT_URL_STS: 'http://sts:3' }).endpoint).toBe('http://sts:3');
  });
});

describe('endpointVariable', () => {
  it('takes the service variable over AWS_ENDPOINT_URL', () => {
    expect(endpointVariable({ AWS_ENDPOINT_URL_IAM: 'http://127.0.0.1:5000', AWS_ENDPOINT_URL: 'http://x:1' }, 'IAM')).toBe('http://127.0.0.1:5000');
    expect(endpointVariable({ AWS_ENDPOINT_URL: 'http://x:1' }, 'STS')).toBe('http://x:1');
    expect(endpointVariable({}, 'STS')).toBeUndefined();
  });

  it('names a malformed one (the one used), as a one-line INVALID_ENVIRONMENT', () => {
    expect(() => endpointVariable({ AWS_ENDPOINT_URL_STS: 'notaurl' }, 'STS')).toThrow(/^AWS_ENDPOINT_URL_STS="notaurl" is not valid: expected a URL/);
    expect(() => stsTarget({ region: 'us-east-1' }, { AWS_ENDPOINT_URL: 'ftp://x' })).toThrow(/^AWS_ENDPOINT_URL="ftp:\/\/x" is not valid/);
  });

  it('never shows a user name, password or query of the refused value', () => {
    for (const value of ['https://user:hunter2@proxy.example/', 'https://proxy.example/?token=hunter2', 'user:hunter2@proxy.example', 'ftp://user:123/hunter2@proxy.example/', 'https://proxy.example/p?x=1#hunter2']) {
      expect(() => endpointVariable({ AWS_ENDPOINT_URL_STS: value }, 'STS')).toThrow(/^AWS_ENDPOINT_URL_STS=/);
      expect(() => endpointVariable({ AWS_ENDPOINT_URL_STS: value }, 'STS')).not.toThrow(/hunter2/);
    }
  });
});

describe('childEndpointUrl', () => {
  it("is the chain's endpoint_url unless AWS_ENDPOINT_URL already says", () => {
    expect(childEndpointUrl('http://config:1', {})).toBe('http://config:1');
    expect(childEndpointUrl('http://config:1', { AWS_ENDPOINT_URL: 'http://env:2' })).toBe('http://env:2');
    expect(childEndpointUrl(undefined, {})).toBeUndefined();
  });
});
