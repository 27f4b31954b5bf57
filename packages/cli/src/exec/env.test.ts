import fc from 'fast-check';
import { buildChildEnv, credentialVariables, isoSeconds } from './env.js';

const temp = {
  accessKeyId: 'ASIAEXAMPLEEXAMPLE12',
  secretAccessKey: 'secret-value-0123456789',
  sessionToken: 'token-value',
  expiration: new Date('2026-11-23T10:00:00.123Z'),
};

describe('credentialVariables', () => {
  test('temporary credentials with a region', () => {
    expect(credentialVariables(temp, 'eu-west-1')).toEqual([
      ['AWS_ACCESS_KEY_ID', 'ASIAEXAMPLEEXAMPLE12'],
      ['AWS_SECRET_ACCESS_KEY', 'secret-value-0123456789'],
      ['AWS_SESSION_TOKEN', 'token-value'],
      ['AWS_CREDENTIAL_EXPIRATION', '2026-11-23T10:00:00Z'],
      ['AWS_REGION', 'eu-west-1'],
      ['AWS_DEFAULT_REGION', 'eu-west-1'],
    ]);
  });
  test('long-lived keys without a region carry no token, expiry or region', () => {
    expect(credentialVariables({ accessKeyId: 'AKIAEXAMPLEEXAMPLE12', secretAccessKey: 's' }, undefined)).toEqual([
      ['AWS_ACCESS_KEY_ID', 'AKIAEXAMPLEEXAMPLE12'],
      ['AWS_SECRET_ACCESS_KEY', 's'],
    ]);
  });
});

describe('buildChildEnv', () => {
  const parent = {
    PATH: '/usr/bin',
    HOME: '/home/u',
    AWS_PROFILE: 'other',
    AWS_DEFAULT_PROFILE: 'other',
    AWS_VAULT_FILE_PASSPHRASE: 'hunter2hunter2',
    AWS_VAULT_NEW_PASSPHRASE: 'next-passphrase',
    AWS_ACCESS_KEY_ID: 'AKIAPARENTPARENT1234',
    AWS_SECRET_ACCESS_KEY: 'parent-secret',
    AWS_SESSION_TOKEN: 'parent-token',
    AWS_SECURITY_TOKEN: 'parent-token',
    AWS_CREDENTIAL_EXPIRATION: '2000-01-01T00:00:00Z',
    AWS_ACCOUNT_ID: '999999999999',
    AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:1/',
    AWS_CONTAINER_AUTHORIZATION_TOKEN: 'x',
    AWS_CREDENTIAL_FILE: '/home/u/.aws/legacy',
    AWS_SDK_LOAD_CONFIG: '1',
    AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://127.0.0.1:2/',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_REGION: 'us-west-2',
    AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:5000',
    UNDEFINED: undefined,
  };

  test('strips selectors, inherited keys, passphrases and what aws-vault unsets; keeps the rest; injects ours', () => {
    const env = buildChildEnv(parent, 'admin', credentialVariables(temp, undefined));
    expect(env).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/u',
      AWS_REGION: 'us-west-2',
      AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:5000',
      AWS_VAULT: 'admin',
      AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEEXAMPLE12',
      AWS_SECRET_ACCESS_KEY: 'secret-value-0123456789',
      AWS_SESSION_TOKEN: 'token-value',
      AWS_CREDENTIAL_EXPIRATION: '2026-11-23T10:00:00Z',
    });
  });

  test('a known region overrides the inherited one', () => {
    const env = buildChildEnv(parent, 'admin', credentialVariables(temp, 'ap-south-1'));
    expect(env.AWS_REGION).toBe('ap-south-1');
    expect(env.AWS_DEFAULT_REGION).toBe('ap-south-1');
  });

  test('does not modify the parent environment', () => {
    const copy = { ...parent };
    buildChildEnv(parent, 'admin', []);
    expect(parent).toEqual(copy);
  });
});

test('isoSeconds drops milliseconds', () => {
  expect(isoSeconds(new Date('2026-01-02T03:04:05.678Z'))).toBe('2026-01-02T03:04:05Z');
});

test('isoSeconds is toISOString without the milliseconds for every date of years 0-9999', () => {
  const dates = fc.date({ min: new Date('0000-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true });
  fc.assert(fc.property(dates, (date) => isoSeconds(date) === date.toISOString().replace(/\.\d{3}Z$/, 'Z')), { numRuns: 2000 });
});
