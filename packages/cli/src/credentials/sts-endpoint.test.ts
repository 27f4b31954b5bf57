import { GLOBAL_STS_ENDPOINT, childEndpointUrl, stsTarget } from './sts-endpoint.js';

describe('stsTarget', () => {
  it('leaves the regional endpoint to the SDK by default', () => {
    expect(stsTarget({ region: 'eu-west-1' }, {})).toEqual({ region: 'eu-west-1' });
    expect(stsTarget({ region: 'eu-west-1', stsRegionalEndpoints: 'regional' }, {})).toEqual({ region: 'eu-west-1' });
  });

  it('sends a legacy region to the global endpoint, signed for us-east-1', () => {
    expect(stsTarget({ region: 'eu-west-1', stsRegionalEndpoints: 'legacy' }, {})).toEqual({ region: 'us-east-1', endpoint: GLOBAL_STS_ENDPOINT });
    expect(stsTarget({ region: undefined, stsRegionalEndpoints: 'legacy' }, {})).toEqual({ region: 'us-east-1', endpoint: GLOBAL_STS_ENDPOINT });
  });

  it('keeps regions that never had the global endpoint regional under legacy', () => {
    expect(stsTarget({ region: 'af-south-1', stsRegionalEndpoints: 'legacy' }, {})).toEqual({ region: 'af-south-1' });
  });

  it('uses endpoint_url, beaten by AWS_ENDPOINT_URL and then AWS_ENDPOINT_URL_STS, and caches its sessions apart', () => {
    const settings = { region: 'eu-west-1', endpointUrl: 'http://config:1', stsRegionalEndpoints: 'legacy' as const };
    expect(stsTarget(settings, {})).toEqual({ region: 'eu-west-1', endpoint: 'http://config:1', custom: 'http://config:1' });
    expect(stsTarget(settings, { AWS_ENDPOINT_URL: 'http://all:2' }).endpoint).toBe('http://all:2');
    expect(stsTarget(settings, { AWS_ENDPOINT_URL: 'http://all:2', AWS_ENDPOINT_URL_STS: 'http://sts:3' }).endpoint).toBe('http://sts:3');
  });
});

describe('childEndpointUrl', () => {
  it("is the chain's endpoint_url unless AWS_ENDPOINT_URL already says", () => {
    expect(childEndpointUrl('http://config:1', {})).toBe('http://config:1');
    expect(childEndpointUrl('http://config:1', { AWS_ENDPOINT_URL: 'http://env:2' })).toBe('http://env:2');
    expect(childEndpointUrl(undefined, {})).toBeUndefined();
  });
});
