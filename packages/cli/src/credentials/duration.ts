import { DurationError } from './errors.js';

/** Limits STS enforces, in seconds. */
export const LIMITS = {
  getSessionToken: { min: 900, max: 129_600 },
  assumeRole: { min: 900, max: 43_200 },
  /** A role assumed with another role's session ("role chaining") gets at most one hour. */
  roleChaining: 3_600,
} as const;

/** The units of Go's time.ParseDuration, which aws-vault reads `--duration` and its TTL variables with, in seconds. */
// Go's two micro signs (U+00B5, U+03BC) are written as escapes: one character outside ASCII in bin.cjs makes V8 hold
// the whole bundle as a two-byte string, ~7 ms more on every command (read, garbage collection, compile).
const UNIT_SECONDS: Readonly<Record<string, number>> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, '\u00b5s': 1e-6, '\u03bcs': 1e-6, ns: 1e-9 };
const GO_DURATION = /^(?:(?:\d+\.?\d*|\.\d+)(?:h|ms|m|s|us|\u00b5s|\u03bcs|ns))+$/;
const GO_PART = /(\d+\.?\d*|\.\d+)(h|ms|m|s|us|\u00b5s|\u03bcs|ns)/g;

/**
 * Parses a duration as aws-vault does (Go's time.ParseDuration: '1h30m', '1.5h', '90m', '45s'), or plain seconds
 * ('3600'), into whole seconds, rounded down as aws-vault hands them to STS. Zero ('0', '0s') is returned as 0: to
 * aws-vault it means "not set", and the callers fall back to the default. Range checks belong to the caller, which
 * knows whether the duration is for GetSessionToken or AssumeRole.
 */
export function parseDuration(text: string): number {
  // Go takes a leading + as it takes none.
  const trimmed = text.trim().replace(/^\+(?=[\d.])/, '');
  if (/^\d+$/.test(trimmed)) return wholeSeconds(Number(trimmed), text);
  if (!GO_DURATION.test(trimmed)) {
    throw new DurationError(`invalid duration "${text}": use seconds (3600) or h/m/s units (15m, 1h, 1h30m, 1.5h)`);
  }
  let total = 0;
  for (const [, value, unit] of trimmed.matchAll(GO_PART)) total += Number(value) * (UNIT_SECONDS[unit as string] as number);
  return wholeSeconds(total, text);
}

function wholeSeconds(total: number, text: string): number {
  // Digits beyond 2^53 lose precision; no STS call accepts anything near that anyway.
  if (!(total <= Number.MAX_SAFE_INTEGER)) throw new DurationError(`invalid duration "${text}": it is too long`);
  if (total > 0 && total < 1) throw new DurationError(`invalid duration "${text}": it is less than a second`);
  return Math.floor(total);
}

/** Short human form for messages: 3600 -> '1h', 5400 -> '1h30m', 129600 -> '36h'. */
export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const text = `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
  return text || '0s';
}

/** Throws a DurationError naming the allowed range when `seconds` is outside [min, max]. */
export function checkRange(
  seconds: number,
  limits: { min: number; max: number },
  what: string,
  source: string,
): void {
  if (seconds >= limits.min && seconds <= limits.max) return;
  throw new DurationError(
    `${source} ${formatDuration(seconds)} (${seconds} s) is outside what ${what} allows: ` +
      `${formatDuration(limits.min)} to ${formatDuration(limits.max)} (${limits.min}..${limits.max} seconds)`,
  );
}
