import type { Chain } from '@vault/profiles';
import { accountIdOf } from './account-id.js';

const ADMIN = 'arn:aws:iam::111111111111:role/admin';
const BACKUP = 'arn:aws:iam::222222222222:role/backup';
const keys = (extra: Partial<Chain> = {}): Chain => ({ profile: 'p', base: { kind: 'vault-keys', profile: 'p' }, hops: [], path: ['p'], ...extra });
const hop = (roleArn: string) => ({ profile: 'r', roleArn });

test.each<[string, Chain, string[], string | undefined]>([
  ['the last role of the chain', keys({ hops: [hop(ADMIN), hop(BACKUP)] }), [], '222222222222'],
  ['the last --assume ARN, over the config roles', keys({ hops: [hop(ADMIN)] }), [BACKUP], '222222222222'],
  ['a bare --assume name: the account of the ARN before it', keys({ hops: [hop(ADMIN)] }), ['ops'], '111111111111'],
  ["a bare --assume name with no ARN before it: the caller's own account, unknown without a call", keys(), ['ops'], undefined],
  ['an IAM Identity Center profile: its sso_account_id', keys({ base: { kind: 'sso', profile: 'p', sso: { startUrl: 'https://x.awsapps.com/start', region: 'eu-west-1' }, accountId: '333333333333', roleName: 'r' } }), [], '333333333333'],
  ['a web identity role', keys({ base: { kind: 'web-identity', profile: 'p', roleArn: ADMIN, tokenFile: '/t' } }), [], '111111111111'],
  ['stored keys: the profiles\' aws_account_id', keys({ accountId: '444444444444' }), [], '444444444444'],
  ['stored keys and no aws_account_id: nothing', keys(), [], undefined],
  ['a role ARN that is not an account\'s (arn:aws:iam::aws:…)', keys({ hops: [hop('arn:aws:iam::aws:role/x')] }), [], undefined],
])('%s', (_, chain, assume, expected) => {
  expect(accountIdOf(chain, assume)).toBe(expected);
});
