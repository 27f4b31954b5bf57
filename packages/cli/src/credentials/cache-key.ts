// Cache keys name the exact chain prefix that produced a session — base profile, MFA serial, each role with the
// options that change what AWS returns, durations — and never anything secret. Two resolves of the same chain
// compute the same keys, so the second one finds every session the first one saved.

/** One role hop as it enters a key: a role ARN, or a bare role name (its account is fixed by the hops before it). */
export interface KeyedHop {
  role: string;
  durationSeconds: number;
  /** Only a configured name: a generated one (the time in nanoseconds) differs on every run and must not split the cache. */
  sessionName?: string;
  externalId?: string;
  sourceIdentity?: string;
  tags?: Record<string, string>;
  transitiveTagKeys?: string[];
  /** The MFA device whose code this AssumeRole sent, unless it is the chain's first call (keyed as a whole). */
  mfaSerial?: string;
}

/** Key of a GetSessionToken session on a profile's stored keys. */
export function sessionTokenKey(profile: string, mfaSerial: string | undefined, durationSeconds: number, endpoint?: string): string {
  return `${sessionTokenKeyPrefix(profile, mfaSerial, endpoint)}${durationSeconds}`;
}

/** What the keys of a profile's GetSessionToken sessions (with one MFA device, or none) start with, whatever the duration. */
export function sessionTokenKeyPrefix(profile: string, mfaSerial: string | undefined, endpoint?: string): string {
  return [withEndpoint('gst', endpoint), escapeField(profile), escapeField(mfaSerial ?? '-'), ''].join('|');
}

/** Key of the session of the last hop in `hops`, reached from `profile`'s first credentials (`sourceTag` says which source). */
export function roleKey(sourceTag: string, profile: string, mfaSerial: string | undefined, hops: KeyedHop[], endpoint?: string): string {
  const tag = withEndpoint(sourceTag, endpoint);
  return [tag, escapeField(profile), escapeField(mfaSerial ?? '-'), ...hops.map(hopSegment)].join('|');
}

/** Key of the role credentials IAM Identity Center gave for a start URL, account and role. */
export function ssoRoleKey(startUrl: string, accountId: string, roleName: string, endpoint?: string): string {
  return [withEndpoint('sso', endpoint), escapeField(startUrl), accountId, escapeField(roleName)].join('|');
}

/**
 * Key of the credentials a profile's credential_process printed, given a digest of the command (the source makes it,
 * with a crypto module no other path loads): the command is the user's text, which --debug's cache lines would
 * otherwise repeat, and a changed command must not find the old answer.
 */
export function processKey(profile: string, commandDigest: string): string {
  return ['cp', escapeField(profile), commandDigest].join('|');
}

function hopSegment(hop: KeyedHop): string {
  const options: Array<[string, string | undefined]> = [
    ['sn', hop.sessionName],
    ['ext', hop.externalId],
    ['si', hop.sourceIdentity],
    // JSON, sorted: tag keys and values may hold = and spaces, and the order they were written in changes nothing.
    ['tags', hop.tags && JSON.stringify(Object.entries(hop.tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))],
    ['tt', hop.transitiveTagKeys && JSON.stringify([...hop.transitiveTagKeys].sort())],
    ['mfa', hop.mfaSerial],
  ];
  return [
    escapeField(hop.role),
    String(hop.durationSeconds),
    ...options.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${escapeField(v as string)}`),
  ].join('#');
}

/**
 * A session from another STS (endpoint_url, AWS_ENDPOINT_URL_STS: a test server, a proxy, another partition's
 * gateway) is not one AWS would accept, so the endpoint goes into the key's first field: no prefix lookup for AWS's
 * own sessions can match it, nor one for another endpoint. Keys of AWS's own endpoint stay as they were.
 */
function withEndpoint(tag: string, endpoint: string | undefined): string {
  return endpoint === undefined ? tag : `${tag}@${escapeField(endpoint)}`;
}

// Role paths and profile names may contain the separators; escaping them keeps distinct chains on distinct keys.
function escapeField(text: string): string {
  return text.replace(/[%|#]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
