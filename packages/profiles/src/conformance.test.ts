// The 21 assume-role profile-chain cases the AWS SDKs share (smithy-rs aws-config/test-data/assume-role-tests.json,
// Apache-2.0), carried over as vault's own table so the project holds its own copy of the facts. Translation:
// - `aws_access_key_id` / `aws_secret_access_key` on a profile become keys stored in the vault under its name (they
//   never go into the config text); the expected base is checked by those keys' access key id.
// - Role ARNs use a 12-digit account (123456789 -> 123456789012) and `arn:foo` becomes a real role ARN: vault checks
//   an ARN's shape before anything else, as STS would refuse it, and these cases are about something else.
// - A profile with only one half of a key pair has no stored keys: vault stores keys only as pairs.
// - Errors are matched by kind (vault's error code), not by the Rust SDK's wording.
// - A chain whose first credentials are not keys (credential_source, web identity) names that source in `base`.
import { ProfileError } from './errors.js';
import { parseConfigText } from './parse.js';
import { resolveProfile } from './resolve.js';

interface Case {
  docs: string;
  config: string[];
  /** profile -> access key id of the keys stored for it */
  stored: Record<string, string>;
  profile: string;
  expected:
    | { accessKeyId: string; hops: Array<{ roleArn: string; roleSessionName?: string; externalId?: string }> }
    | { base: Record<string, string>; hops: Array<{ roleArn: string }> }
    | { error: string; mentions?: string };
}

const ROLE_A = 'arn:aws:iam::123456789012:role/RoleA';
const ROLE_B = 'arn:aws:iam::123456789012:role/RoleB';

const CASES: Case[] = [
  {
    docs: 'basic test case, a role_arn backed by a static credential',
    config: ['[profile A]', `role_arn = ${ROLE_A}`, 'source_profile = B'],
    stored: { B: 'abc123' },
    profile: 'A',
    expected: { accessKeyId: 'abc123', hops: [{ roleArn: ROLE_A }] },
  },
  {
    docs: 'ignore explicit credentials when source profile is specified',
    config: ['[profile A]', `role_arn = ${ROLE_A}`, 'source_profile = B'],
    stored: { A: 'abc123', B: 'ghi890' },
    profile: 'A',
    expected: { accessKeyId: 'ghi890', hops: [{ roleArn: ROLE_A }] },
  },
  {
    docs: 'load role_session_name for the AssumeRole provider',
    config: ['[profile A]', `role_arn = ${ROLE_A}`, 'role_session_name = my_session_name', 'source_profile = B'],
    stored: { B: 'abc123' },
    profile: 'A',
    expected: { accessKeyId: 'abc123', hops: [{ roleArn: ROLE_A, roleSessionName: 'my_session_name' }] },
  },
  {
    docs: 'load external id for the AssumeRole provider',
    config: ['[profile A]', `role_arn = ${ROLE_A}`, 'external_id = my_external_id', 'source_profile = B'],
    stored: { B: 'abc123' },
    profile: 'A',
    expected: { accessKeyId: 'abc123', hops: [{ roleArn: ROLE_A, externalId: 'my_external_id' }] },
  },
  {
    docs: 'self referential profile (first load base creds, then use for the role)',
    config: ['[profile A]', `role_arn = ${ROLE_A}`, 'source_profile = A'],
    stored: { A: 'abc123' },
    profile: 'A',
    expected: { accessKeyId: 'abc123', hops: [{ roleArn: ROLE_A }] },
  },
  {
    docs: 'Load credentials from a credential_source',
    config: ['[profile A]', `role_arn = ${ROLE_A}`, 'credential_source = Ec2InstanceMetadata'],
    stored: {},
    profile: 'A',
    expected: { base: { kind: 'credential-source', source: 'Ec2InstanceMetadata' }, hops: [{ roleArn: ROLE_A }] },
  },
  {
    docs: 'role_arn without source source_profile',
    config: ['[profile A]', `role_arn = ${ROLE_A}`],
    stored: {},
    profile: 'A',
    expected: { error: 'UNSUPPORTED_PROFILE', mentions: 'source_profile' },
  },
  {
    docs: 'source profile and credential source both present',
    config: ['[profile A]', `role_arn = ${ROLE_A}`, 'credential_source = Environment', 'source_profile = B'],
    stored: { B: '!23' },
    profile: 'A',
    expected: { error: 'UNSUPPORTED_PROFILE', mentions: 'both' },
  },
  {
    docs: 'partial credentials error (missing secret)',
    config: ['[profile A]', `role_arn = ${ROLE_A}`, 'source_profile = B', '[profile B]'],
    stored: {},
    profile: 'A',
    expected: { error: 'NO_CREDENTIALS' },
  },
  {
    docs: 'partial credentials error (missing access key)',
    config: ['[profile A]', `role_arn = ${ROLE_A}`, 'source_profile = B', '[profile B]'],
    stored: {},
    profile: 'A',
    expected: { error: 'NO_CREDENTIALS' },
  },
  {
    docs: 'missing credentials error (empty source profile)',
    config: ['[profile A]', `role_arn = ${ROLE_A}`, 'source_profile = B', '[profile B]'],
    stored: {},
    profile: 'A',
    expected: { error: 'NO_CREDENTIALS' },
  },
  {
    docs: 'missing source profile',
    config: ['[profile A]', `role_arn = ${ROLE_A}`, 'source_profile = B'],
    stored: {},
    profile: 'A',
    expected: { error: 'MISSING_SOURCE', mentions: 'B' },
  },
  {
    docs: 'missing root profile (should never happen in practice)',
    config: [],
    stored: {},
    profile: 'A',
    expected: { error: 'UNKNOWN_PROFILE' },
  },
  {
    docs: 'multiple chained assume role profiles',
    config: ['[profile A]', `role_arn = ${ROLE_A}`, 'source_profile = B', '[profile B]', `role_arn = ${ROLE_B}`, 'source_profile = C'],
    stored: { C: 'mno456' },
    profile: 'A',
    expected: { accessKeyId: 'mno456', hops: [{ roleArn: ROLE_B }, { roleArn: ROLE_A }] },
  },
  {
    docs: 'chained assume role profiles with static credentials (ignore assume role when static credentials present)',
    config: ['[profile A]', `role_arn = ${ROLE_A}`, 'source_profile = B', '[profile B]', `role_arn = ${ROLE_B}`, 'source_profile = C'],
    stored: { A: 'bug_if_returned', B: 'profile_b_key', C: 'bug_if_returned' },
    profile: 'A',
    expected: { accessKeyId: 'profile_b_key', hops: [{ roleArn: ROLE_A }] },
  },
  {
    docs: 'assume role profile infinite loop',
    config: ['[profile A]', `role_arn = ${ROLE_A}`, 'source_profile = B', '[profile B]', `role_arn = ${ROLE_B}`, 'source_profile = A'],
    stored: {},
    profile: 'A',
    expected: { error: 'PROFILE_CYCLE' },
  },
  {
    docs: 'infinite loop with static credentials',
    config: ['[profile A]', `role_arn = ${ROLE_A}`, 'source_profile = B', '[profile B]', `role_arn = ${ROLE_B}`, 'source_profile = A'],
    stored: { A: 'bug_if_returned' },
    profile: 'A',
    expected: { error: 'PROFILE_CYCLE' },
  },
  {
    docs: 'web identity role',
    config: ['[profile A]', `role_arn = ${ROLE_A}`, 'web_identity_token_file = /var/token.jwt'],
    stored: {},
    profile: 'A',
    expected: { base: { kind: 'web-identity', roleArn: ROLE_A, tokenFile: '/var/token.jwt' }, hops: [] },
  },
  {
    docs: 'web identity role with session name',
    config: ['[profile A]', `role_arn = ${ROLE_A}`, 'web_identity_token_file = /var/token.jwt', 'role_session_name = some_session_name'],
    stored: {},
    profile: 'A',
    expected: {
      base: { kind: 'web-identity', roleArn: ROLE_A, tokenFile: '/var/token.jwt', roleSessionName: 'some_session_name' },
      hops: [],
    },
  },
  {
    docs: 'web identity role (no role_arn)',
    config: ['[profile A]', 'web_identity_token_file = /var/token.jwt'],
    stored: {},
    profile: 'A',
    expected: { error: 'UNSUPPORTED_PROFILE', mentions: 'role_arn' },
  },
  {
    docs: 'web identity token as source profile',
    config: [
      '[profile A]',
      `role_arn = ${ROLE_A}`,
      'source_profile = B',
      '[profile B]',
      `role_arn = ${ROLE_B}`,
      'web_identity_token_file = /var/token.jwt',
      'role_session_name = some_session_name',
    ],
    stored: {},
    profile: 'A',
    expected: {
      base: { kind: 'web-identity', roleArn: ROLE_B, tokenFile: '/var/token.jwt', roleSessionName: 'some_session_name' },
      hops: [{ roleArn: ROLE_A }],
    },
  },
];

describe('the cross-SDK assume-role conformance cases', () => {
  test('all 21 are here', () => {
    expect(CASES).toHaveLength(21);
  });

  test.each(CASES.map((c) => [c.docs, c] as const))('%s', (_docs, c) => {
    const file = parseConfigText(c.config.join('\n'), '/home/u/.aws/config', 'config');
    const resolve = () => resolveProfile(file, c.profile, { hasStoredKeys: (p) => p in c.stored });
    if ('error' in c.expected) {
      let error: unknown;
      try {
        resolve();
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ProfileError);
      expect(error).toMatchObject({ code: c.expected.error });
      if (c.expected.mentions) expect((error as Error).message).toContain(c.expected.mentions);
      return;
    }
    const chain = resolve();
    if ('base' in c.expected) {
      expect(chain.base).toMatchObject(c.expected.base);
      expect(chain.hops.map(({ roleArn }) => ({ roleArn }))).toEqual(c.expected.hops);
      return;
    }
    expect(chain.base.kind).toBe('vault-keys');
    expect(c.stored[chain.base.profile]).toBe(c.expected.accessKeyId);
    expect(chain.hops.map(({ roleArn, roleSessionName, externalId }) => ({ roleArn, roleSessionName, externalId }))).toEqual(
      c.expected.hops.map((h) => ({ roleSessionName: undefined, externalId: undefined, ...h })),
    );
  });
});
