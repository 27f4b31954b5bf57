// The files the benchmark's sandboxes hold, as pure functions: the AWS config files (the seeds' read-only/admin
// pair, alone or among thousands of generated profiles), the AWS CLI's plaintext credentials file and the two-hop
// `aws sts assume-role` script the seeds use instead of vault.
import { randomBytes } from 'node:crypto';

/** Moto's default account: role ARNs in it need no setup. */
export const ACCOUNT = '123456789012';
/** The account of the seeds' second, cross-account hop. */
export const OTHER_ACCOUNT = '210987654321';
export const REGION = 'us-east-1';

/** The profile with stored keys that `vault exec P -- true` runs as. */
export const BASE_PROFILE = 'read-only';
/** The seeds' role profile: assumed from read-only's keys. */
export const ROLE_PROFILE = 'admin';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Random keys shaped like IAM's; moto accepts any. */
export function fakeKeys() {
  const id = [...randomBytes(16)].map((b) => ALPHABET[b % 32]).join('');
  const secret = randomBytes(30).toString('base64').replace(/\+/g, 'x').replace(/\//g, 'y');
  return { accessKeyId: `AKIA${id}`, secretAccessKey: secret };
}

function roleSection(name, source, roleName) {
  return `[profile ${name}]\nsource_profile = ${source}\nrole_arn = arn:aws:iam::${ACCOUNT}:role/${roleName}\nregion = ${REGION}\n`;
}

/** The seeds' pair, read-only (keys) and admin (a role assumed from it), last so that nothing finds them early. */
function seedSections() {
  return [`[profile ${BASE_PROFILE}]\nregion = ${REGION}\n`, roleSection(ROLE_PROFILE, BASE_PROFILE, 'admin')];
}

/**
 * A config of `profiles` sections, `keyed` of them profiles with stored keys (read-only among them) and the rest
 * roles assumed from those, the seeds' pair included. Returns the text and the names of the keyed profiles other
 * than read-only, whose keys the caller stores.
 */
export function generatedConfig({ profiles, keyed }) {
  if (keyed < 1 || profiles < keyed + 1) throw new Error('a config needs read-only, admin and at least one more keyed profile per role');
  const width = String(profiles).length;
  const pad = (n) => String(n).padStart(width, '0');
  const extraKeyed = Array.from({ length: keyed - 1 }, (_, i) => `team-${pad(i + 1)}`);
  const roles = profiles - keyed - 1;
  const sections = extraKeyed.map((name) => `[profile ${name}]\nregion = ${REGION}\n`);
  for (let i = 0; i < roles; i++) {
    const source = extraKeyed.length > 0 ? extraKeyed[i % extraKeyed.length] : BASE_PROFILE;
    sections.push(roleSection(`role-${pad(i + 1)}`, source, `role-${pad(i + 1)}`));
  }
  sections.push(...seedSections());
  return { text: sections.join('\n'), keyedProfiles: extraKeyed };
}

/** The AWS CLI's own way: read-only's keys in plaintext, so `--profile admin` assumes the role by itself. */
export function awsCliCredentials(keys) {
  return `[${BASE_PROFILE}]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`;
}

/** The role ARNs the two-hop script jumps through: a role of the caller's account, then one in another account. */
export const TWO_HOPS = [`arn:aws:iam::${ACCOUNT}:role/ec2-worker`, `arn:aws:iam::${OTHER_ACCOUNT}:role/backup-role`];

/**
 * The seeds' role-jumping script reduced to its AWS calls: one `aws sts assume-role` per hop, each signed with the
 * previous hop's credentials (the first with the keys in the environment), then the command as the last role.
 * Roles are given as ARNs, which spares the script the extra call that turns a bare role name into one.
 */
export function twoHopScript() {
  return [
    '#!/bin/sh',
    'set -e',
    'hop() {',
    '  creds=$(aws sts assume-role --role-arn "$1" --role-session-name bench \\',
    "    --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)",
    '  set -- $creds',
    '  export AWS_ACCESS_KEY_ID="$1" AWS_SECRET_ACCESS_KEY="$2" AWS_SESSION_TOKEN="$3"',
    '}',
    ...TWO_HOPS.map((arn) => `hop ${arn}`),
    'exec aws sts get-caller-identity',
    '',
  ].join('\n');
}
