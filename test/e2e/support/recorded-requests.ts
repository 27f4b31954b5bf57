import { readFile } from 'node:fs/promises';

/** One request moto recorded (startMoto's `recordTo`), decoded from the AWS query protocol STS and IAM use. */
export interface RecordedRequest {
  /** e.g. AssumeRole; '' for a request without an Action parameter. */
  action: string;
  /** The form parameters other than Action and Version, as sent. */
  params: Record<string, string>;
  /** The access key id the request was signed with ('' when unsigned). */
  accessKeyId: string;
}

interface RecorderEntry {
  headers?: Record<string, string>;
  body?: string | null;
  body_encoded?: boolean;
}

/** Every request in moto's recording file, oldest first; none before moto has recorded anything. */
export async function recordedRequests(file: string): Promise<RecordedRequest[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => decode(JSON.parse(line) as RecorderEntry));
}

function decode(entry: RecorderEntry): RecordedRequest {
  const raw = entry.body ?? '';
  const body = entry.body_encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  const form = new URLSearchParams(body);
  const params: Record<string, string> = {};
  for (const [key, value] of form) if (key !== 'Action' && key !== 'Version') params[key] = value;
  const authorization = entry.headers?.Authorization ?? entry.headers?.authorization ?? '';
  return {
    action: form.get('Action') ?? '',
    params,
    accessKeyId: /Credential=([^/]+)\//.exec(authorization)?.[1] ?? '',
  };
}

const STS_ACTIONS = new Set(['GetSessionToken', 'AssumeRole', 'GetCallerIdentity']);

/** Counts from a mark: `await log.mark()`, do something, then `await log.since()` gives the STS requests it caused. */
export function stsLog(file: string) {
  let seen = 0;
  const sts = async () => (await recordedRequests(file)).filter((r) => STS_ACTIONS.has(r.action));
  return {
    async mark(): Promise<void> {
      seen = (await sts()).length;
    },
    async since(): Promise<RecordedRequest[]> {
      return (await sts()).slice(seen);
    },
  };
}
