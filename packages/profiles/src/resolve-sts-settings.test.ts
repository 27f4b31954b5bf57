// The aws-vault keys that shape the STS calls: session tags per hop, and endpoint / MFA command per chain.
import { InvalidProfileValueError } from './errors.js';
import { parseConfigText } from './parse.js';
import { profileEndpointSettings, resolveProfile } from './resolve.js';
import type { ConfigFile } from './types.js';

const config = (lines: string[]): ConfigFile => parseConfigText(lines.join('\n'), '/home/u/.aws/config', 'config');
const ROLE = 'arn:aws:iam::123456789012:role/admin';

describe('session_tags and transitive_session_tags', () => {
  it('go on the hop of the profile that sets them', () => {
    const chain = resolveProfile(
      config([
        '[profile base]',
        '[profile admin]',
        'source_profile = base',
        `role_arn = ${ROLE}`,
        'session_tags = team=platform, project=vault',
        'transitive_session_tags = team',
      ]),
      'admin',
    );
    expect(chain.hops[0]).toMatchObject({ sessionTags: { team: 'platform', project: 'vault' }, transitiveTagKeys: ['team'] });
  });

  it('a malformed value names the key and the profile', () => {
    const cfg = config(['[profile admin]', 'source_profile = admin', `role_arn = ${ROLE}`, 'session_tags = team']);
    expect(() => resolveProfile(cfg, 'admin')).toThrow(InvalidProfileValueError);
    expect(() => resolveProfile(cfg, 'admin')).toThrow(/session_tags.*admin/);
  });
});

describe('endpoint_url, sts_regional_endpoints and mfa_process', () => {
  const cfg = config([
    '[profile base]',
    'endpoint_url = http://127.0.0.1:5000',
    'mfa_process = pass otp aws',
    'sts_regional_endpoints = legacy',
    '[profile admin]',
    'source_profile = base',
    `role_arn = ${ROLE}`,
    'endpoint_url = https://sts.example.com',
  ]);

  it('take the value of the profile nearest the target', () => {
    expect(resolveProfile(cfg, 'admin')).toMatchObject({
      endpointUrl: 'https://sts.example.com',
      stsRegionalEndpoints: 'legacy',
      mfaProcess: 'pass otp aws',
    });
    expect(resolveProfile(cfg, 'base').endpointUrl).toBe('http://127.0.0.1:5000');
  });

  it("endpoint_url is the target's own (or an included one's), never a source profile's or [default]'s, as for the AWS CLI", () => {
    const withSourceOnly = config([
      '[default]',
      'endpoint_url = http://127.0.0.1:6000',
      '[profile base]',
      'endpoint_url = http://127.0.0.1:5000',
      '[profile tpl]',
      'endpoint_url = https://sts.example.com',
      '[profile admin]',
      'source_profile = base',
      `role_arn = ${ROLE}`,
      '[profile included]',
      'include_profile = tpl',
      'source_profile = base',
      `role_arn = ${ROLE}`,
    ]);
    expect(resolveProfile(withSourceOnly, 'admin')).not.toHaveProperty('endpointUrl');
    expect(resolveProfile(withSourceOnly, 'included').endpointUrl).toBe('https://sts.example.com');
    expect(resolveProfile(withSourceOnly, 'default').endpointUrl).toBe('http://127.0.0.1:6000');
  });

  it('ignore_configured_endpoint_urls = true on the target is said beside its endpoint_url (the variable beats it)', () => {
    const cfg2 = config([
      '[profile p]',
      'endpoint_url = http://127.0.0.1:5000',
      'ignore_configured_endpoint_urls = TRUE',
      '[profile q]',
      'ignore_configured_endpoint_urls = yes',
      'endpoint_url = http://127.0.0.1:5000',
    ]);
    expect(resolveProfile(cfg2, 'p')).toMatchObject({ ignoreConfiguredEndpointUrls: true, endpointUrl: 'http://127.0.0.1:5000' });
    // botocore reads anything but "true" as false.
    expect(resolveProfile(cfg2, 'q')).not.toHaveProperty('ignoreConfiguredEndpointUrls');
  });

  it("use_fips_endpoint and use_dualstack_endpoint are the target's own, as the AWS CLI reads them", () => {
    const cfg3 = config(['[default]', 'use_fips_endpoint = true', '[profile f]', 'use_fips_endpoint = True', 'use_dualstack_endpoint = true', '[profile plain]']);
    expect(resolveProfile(cfg3, 'f')).toMatchObject({ useFipsEndpoint: true, useDualstackEndpoint: true });
    expect(resolveProfile(cfg3, 'plain')).not.toHaveProperty('useFipsEndpoint');
  });

  it('are absent when no profile on the chain sets them', () => {
    const chain = resolveProfile(config(['[profile plain]']), 'plain');
    expect(chain).not.toHaveProperty('endpointUrl');
    expect(chain).not.toHaveProperty('stsRegionalEndpoints');
    expect(chain).not.toHaveProperty('mfaProcess');
  });

  it.each([
    ['endpoint_url = sts.example.com', /endpoint_url.*URL/],
    ['endpoint_url = ftp://sts.example.com', /endpoint_url.*http/],
    ['sts_regional_endpoints = global', /sts_regional_endpoints.*regional or legacy/],
    ['mfa_process =', /mfa_process.*empty/],
  ])('refuse %s', (line, message) => {
    expect(() => resolveProfile(config(['[profile p]', line]), 'p')).toThrow(message);
  });
});

describe('profileEndpointSettings (a profile used with its own keys, as `vault rotate` does)', () => {
  it("gives the profile's endpoint settings, and reads nothing else of it", () => {
    const cfg = config([
      '[default]',
      'sts_regional_endpoints = legacy',
      '[profile keys]',
      'endpoint_url = http://127.0.0.1:4566',
      'use_fips_endpoint = true',
      // An unfinished IAM Identity Center section and a role whose source is missing: a chain would refuse both.
      'sso_start_url = https://corp.awsapps.com/start',
      `role_arn = ${ROLE}`,
      'source_profile = nowhere',
    ]);
    expect(() => resolveProfile(cfg, 'keys')).toThrow();
    expect(profileEndpointSettings(cfg, 'keys')).toEqual({ endpointUrl: 'http://127.0.0.1:4566', useFipsEndpoint: true, stsRegionalEndpoints: 'legacy' });
  });
});
