import { buildChildEnv } from './env.js';
import { containerVariables } from './with-server.js';

describe('containerVariables', () => {
  it('gives the endpoint, the token and the region, and no keys', () => {
    expect(containerVariables('http://127.0.0.1:4321/credentials', 'tok', 'eu-west-2')).toEqual([
      ['AWS_CONTAINER_CREDENTIALS_FULL_URI', 'http://127.0.0.1:4321/credentials'],
      ['AWS_CONTAINER_AUTHORIZATION_TOKEN', 'tok'],
      ['AWS_REGION', 'eu-west-2'],
      ['AWS_DEFAULT_REGION', 'eu-west-2'],
    ]);
    expect(containerVariables('http://127.0.0.1:1/credentials', 'tok', undefined)).toHaveLength(2);
  });

  it('leaves the child no static keys or competing token source from the parent', () => {
    const parent = {
      PATH: '/bin',
      AWS_ACCESS_KEY_ID: 'AKIAPARENT',
      AWS_SECRET_ACCESS_KEY: 'parent-secret',
      AWS_SESSION_TOKEN: 'parent-token',
      AWS_CREDENTIAL_EXPIRATION: '2000-01-01T00:00:00Z',
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/x',
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/var/run/token',
      AWS_VAULT_FILE_PASSPHRASE: 'pw',
    };
    const env = buildChildEnv(parent, 'admin', containerVariables('http://127.0.0.1:9/credentials', 'tok', undefined));
    expect(env).toEqual({
      PATH: '/bin',
      AWS_VAULT: 'admin',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:9/credentials',
      AWS_CONTAINER_AUTHORIZATION_TOKEN: 'tok',
    });
  });
});
