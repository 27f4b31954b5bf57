import { withoutPassphrases } from './helper-env.js';

test('drops both vault passphrases and keeps everything else, without changing its input', () => {
  const env = { AWS_VAULT_FILE_PASSPHRASE: 'p1', AWS_VAULT_NEW_PASSPHRASE: 'p2', AWS_VAULT_FILE_DIR: '/v', PATH: '/bin', AWS_PROFILE: 'x' };
  expect(withoutPassphrases(env)).toEqual({ AWS_VAULT_FILE_DIR: '/v', PATH: '/bin', AWS_PROFILE: 'x' });
  expect(env.AWS_VAULT_FILE_PASSPHRASE).toBe('p1');
});
