import { parseSessionTags, parseTagKeys } from './session-tags.js';

// Shape checks for the config keys vault acts on. Catching a typo here gives a message naming the profile and file,
// where STS would later answer with a bare ValidationError. The patterns are the ones the STS API documents.

/** Returns why `value` is not acceptable for the key, or undefined when it is. */
type Check = (value: string) => string | undefined;

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ROLE_PATH_SEGMENT = /^[!-.0-~]+$/; // printable ASCII except "/"

function roleArn(value: string): string | undefined {
  const arn = /^arn:([^:]*):iam::([^:]*):role\/(.*)$/.exec(value);
  if (!arn) return 'expected an IAM role ARN like arn:aws:iam::123456789012:role/NAME';
  const [, partition = '', account = '', rolePath = ''] = arn;
  if (!/^aws(-[a-z]+)*$/.test(partition)) {
    return `"${partition}" is not an AWS partition (aws, aws-cn, aws-us-gov, ...)`;
  }
  if (!/^\d{12}$/.test(account)) {
    return /^\d+$/.test(account)
      ? `the account id has ${account.length} digits; AWS account ids have 12`
      : 'the account id must be 12 digits';
  }
  const segments = rolePath.split('/');
  const name = segments.pop() ?? '';
  if (!ROLE_NAME.test(name) || !segments.every((s) => ROLE_PATH_SEGMENT.test(s))) {
    return 'the role name after "role/" must be 1 to 64 letters, digits or +=,.@_- (after an optional path)';
  }
  return undefined;
}

function durationSeconds(value: string): string | undefined {
  const seconds = /^\d{1,6}$/.test(value) ? Number(value) : NaN;
  return seconds >= 900 && seconds <= 43200
    ? undefined
    : 'expected a whole number of seconds from 900 (15 minutes) to 43200 (12 hours)';
}

function matching(pattern: RegExp, expected: string): Check {
  return (value) => (pattern.test(value) ? undefined : expected);
}

function nonEmpty(value: string): string | undefined {
  return value === '' ? 'it is empty' : undefined;
}

/** A URL the SDKs accept as an endpoint: http or https, a host, nothing after the path. */
function endpointUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'expected a URL like https://sts.example.com';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'expected an http:// or https:// URL';
  if (url.search || url.hash || url.username || url.password) return 'expected a URL without a query, fragment or user name';
  return undefined;
}

const CHECKS: Record<string, Check> = {
  role_arn: roleArn,
  duration_seconds: durationSeconds,
  region: matching(/^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/, 'expected a region name like us-east-1'),
  mfa_serial: nonEmpty,
  role_session_name: matching(/^[\w+=,.@-]{2,64}$/, 'expected 2 to 64 letters, digits or +=,.@_-'),
  external_id: matching(/^[\w+=,.@:/-]{2,1224}$/, 'expected 2 to 1224 letters, digits or +=,.@:/_-'),
  source_identity: matching(/^[\w+=,.@-]{2,64}$/, 'expected 2 to 64 letters, digits or +=,.@_-'),
  source_profile: nonEmpty,
  include_profile: nonEmpty,
  credential_process: nonEmpty,
  session_tags: (value) => {
    const tags = parseSessionTags(value);
    return typeof tags === 'string' ? tags : undefined;
  },
  transitive_session_tags: (value) => {
    const keys = parseTagKeys(value);
    return typeof keys === 'string' ? keys : undefined;
  },
  endpoint_url: endpointUrl,
  sts_regional_endpoints: matching(/^(regional|legacy)$/, 'expected regional or legacy'),
  mfa_process: nonEmpty,
  credential_source: matching(/^(Environment|Ec2InstanceMetadata|EcsContainer)$/, 'expected Environment, Ec2InstanceMetadata or EcsContainer'),
  web_identity_token_file: nonEmpty,
  sso_session: nonEmpty,
  sso_start_url: endpointUrlOrPortal,
  sso_region: matching(/^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/, 'expected a region name like us-east-1'),
  sso_account_id: matching(/^\d{12}$/, 'expected a 12-digit AWS account id'),
  aws_account_id: matching(/^\d{12}$/, 'expected a 12-digit AWS account id'),
  sso_role_name: matching(/^[\w+=,.@-]{1,64}$/, 'expected a role name of 1 to 64 letters, digits or +=,.@_-'),
};

/** An IAM Identity Center start URL (https://d-xxxxxxxxxx.awsapps.com/start or a custom one). */
function endpointUrlOrPortal(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? undefined : 'expected an https:// start URL';
  } catch {
    return 'expected a start URL like https://my-org.awsapps.com/start';
  }
}

/** Why `value` is not acceptable for `key` (undefined when it is, or when vault does not check that key). */
export function checkValue(key: string, value: string): string | undefined {
  const check = CHECKS[key];
  const reason = check?.(value);
  if (reason === undefined) return undefined;
  // configparser keeps "us-east-1 # prod" whole, as the AWS CLI does; say why such a value looks wrong.
  return /\s[#;]/.test(value) ? `${reason} (comments must be on their own line)` : reason;
}
