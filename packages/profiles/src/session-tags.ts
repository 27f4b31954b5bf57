// session_tags / transitive_session_tags (and aws-vault's AWS_SESSION_TAGS / AWS_TRANSITIVE_TAGS) in aws-vault's
// syntax: `key1=value1,key2=value2` and `key1,key2`, spaces around each part ignored. The limits are STS's, checked
// here so a typo fails with the key's name instead of as a bare ValidationError from AssumeRole.

/**
 * STS's tag alphabet: letters, digits, spaces and _.:/=+-@ (keys and values alike). Made on first use: creating a
 * regular expression of Unicode property classes takes V8 ~0.4 ms, which every command would pay at start-up.
 */
let tagText: RegExp | undefined;
const isTagText = (text: string) => (tagText ??= /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u).test(text);
const MAX_TAGS = 50;

/** The tags of `text`, or the reason it is not `key=value[,key=value...]` with keys and values STS accepts. */
export function parseSessionTags(text: string): Record<string, string> | string {
  const tags: Record<string, string> = {};
  const parts = text.split(',');
  if (parts.length > MAX_TAGS) return `STS accepts at most ${MAX_TAGS} session tags`;
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq < 0) return 'expected key=value pairs separated by commas, like team=platform,project=vault';
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === '' || key.length > 128 || !isTagText(key)) {
      return 'a tag key must be 1 to 128 letters, digits, spaces or _.:/=+-@';
    }
    if (value.length > 256 || !isTagText(value)) return `the value of tag ${key} must be up to 256 letters, digits, spaces or _.:/=+-@`;
    if (Object.hasOwn(tags, key)) return `tag ${key} is given twice`;
    tags[key] = value;
  }
  return tags;
}

/** The tag keys of `text` (`key1,key2`), empty entries dropped as aws-vault does, or why one is not a tag key. */
export function parseTagKeys(text: string): string[] | string {
  const keys = text
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');
  if (keys.length === 0) return 'expected tag keys separated by commas, like team,project';
  const bad = keys.find((k) => k.length > 128 || !isTagText(k));
  return bad === undefined ? keys : 'a tag key must be 1 to 128 letters, digits, spaces or _.:/=+-@';
}
