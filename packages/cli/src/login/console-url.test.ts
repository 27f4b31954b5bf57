import { consoleDestination, federationEndpoint, loginUrl, signinTokenRequestUrl } from './console-url.js';

describe('federationEndpoint', () => {
  it('is the partition of the region, or the override', () => {
    expect(federationEndpoint(undefined, {})).toBe('https://signin.aws.amazon.com/federation');
    expect(federationEndpoint('eu-west-1', {})).toBe('https://signin.aws.amazon.com/federation');
    expect(federationEndpoint('cn-north-1', {})).toBe('https://signin.amazonaws.cn/federation');
    expect(federationEndpoint('us-gov-west-1', {})).toBe('https://signin.amazonaws-us-gov.com/federation');
    expect(federationEndpoint('cn-north-1', { AWS_VAULT_FEDERATION_ENDPOINT: 'http://127.0.0.1:9/federation' })).toBe(
      'http://127.0.0.1:9/federation',
    );
    expect(federationEndpoint(undefined, { AWS_VAULT_FEDERATION_ENDPOINT: '' })).toBe('https://signin.aws.amazon.com/federation');
  });

  it.each(['signin.example.test/federation', 'ftp://signin.example.test/federation', 'http//x'])(
    'refuses an override %j that is not an http(s) URL, naming the variable',
    (override) => {
      expect(() => federationEndpoint(undefined, { AWS_VAULT_FEDERATION_ENDPOINT: override })).toThrow(
        expect.objectContaining({
          code: 'SIGNIN_FAILED',
          message: `AWS_VAULT_FEDERATION_ENDPOINT ${JSON.stringify(override)} is not an http(s) URL`,
        }),
      );
    },
  );
});

describe('consoleDestination', () => {
  it("opens the region's console home", () => {
    expect(consoleDestination('eu-west-2')).toBe('https://eu-west-2.console.aws.amazon.com/console/home?region=eu-west-2');
    expect(consoleDestination('cn-north-1')).toBe('https://cn-north-1.console.amazonaws.cn/console/home?region=cn-north-1');
    expect(consoleDestination('us-gov-east-1')).toBe(
      'https://us-gov-east-1.console.amazonaws-us-gov.com/console/home?region=us-gov-east-1',
    );
  });

  it('opens a given page, and the global console without a region', () => {
    expect(consoleDestination('us-east-1', 's3')).toBe('https://us-east-1.console.aws.amazon.com/s3?region=us-east-1');
    expect(consoleDestination('us-east-1', '/ec2/home')).toBe('https://us-east-1.console.aws.amazon.com/ec2/home?region=us-east-1');
    // A path's own query and fragment: the region joins the query, before the fragment, unless the path names one.
    expect(consoleDestination('us-east-1', 'cloudwatch/home#logs')).toBe('https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logs');
    expect(consoleDestination('us-east-1', 'cloudwatch/home?region=us-west-2#logs')).toBe(
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-west-2#logs',
    );
    expect(consoleDestination('us-east-1', 'iam/home?x=a/b:c#/roles')).toBe('https://us-east-1.console.aws.amazon.com/iam/home?x=a/b:c&region=us-east-1#/roles');
    expect(consoleDestination(undefined)).toBe('https://console.aws.amazon.com/');
    expect(consoleDestination(undefined, 'iam')).toBe('https://console.aws.amazon.com/iam');
  });
});

describe('federation URLs', () => {
  const creds = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'se/cr+et=&', sessionToken: 'to ken&x=1' };

  it('getSigninToken carries the session as JSON in one query parameter', () => {
    const url = new URL(signinTokenRequestUrl('https://signin.aws.amazon.com/federation', creds));
    expect(url.origin + url.pathname).toBe('https://signin.aws.amazon.com/federation');
    expect([...url.searchParams.keys()]).toEqual(['Action', 'Session']);
    expect(url.searchParams.get('Action')).toBe('getSigninToken');
    expect(JSON.parse(url.searchParams.get('Session')!)).toEqual({
      sessionId: 'ASIAEXAMPLE',
      sessionKey: 'se/cr+et=&',
      sessionToken: 'to ken&x=1',
    });
  });

  it('login carries the destination and the sign-in token, encoded', () => {
    const destination = 'https://eu-west-2.console.aws.amazon.com/console/home?region=eu-west-2';
    const url = new URL(loginUrl('http://127.0.0.1:9/federation', destination, 'tok+en/=='));
    expect(url.origin + url.pathname).toBe('http://127.0.0.1:9/federation');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      Action: 'login',
      Issuer: 'vault',
      Destination: destination,
      SigninToken: 'tok+en/==',
    });
  });
});
