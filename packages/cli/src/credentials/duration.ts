import { DurationError } from './errors.js';

/** Limits STS enforces, in seconds. */
export const LIMITS = {
  getSessionToken: { min: 900, max: 129_600 },
  assumeRole: { min: 900, max: 43_200 },
  /** A role assumed with another role's session ("role chaining") gets at most one hour. */
  roleChaining: 3_600,
} as const;

/**
 * Parses `--duration`: plain seconds ('900') or h/m/s parts in that order ('15m', '1h', '1h30m', '90s').
 * Range checks belong to the caller, which knows whether the duration is for GetSessionToken or AssumeRole.
 */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return positive(Number(trimmed), text);
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(trimmed);
  if (!match || trimmed === '') {
    throw new DurationError(`invalid duration "${text}": use seconds (3600) or h/m/s units (15m, 1h, 1h30m)`);
  }
  const [, h, m, s] = match;
  return positive(Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0), text);
}

function positive(seconds: number, text: string): number {
  if (seconds <= 0) throw new DurationError(`invalid duration "${text}": it must be more than zero`);
  // Digits beyond 2^53 lose precision; no STS call accepts anything near that anyway.
  if (!Number.isSafeInteger(seconds)) throw new DurationError(`invalid duration "${text}": it is too long`);
  return seconds;
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
