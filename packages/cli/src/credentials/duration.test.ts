import { checkRange, formatDuration, parseDuration } from './duration.js';
import { DurationError } from './errors.js';

describe('parseDuration', () => {
  it.each([
    ['900', 900],
    ['3600', 3600],
    ['15m', 900],
    ['1h', 3600],
    ['12h', 43200],
    ['1h30m', 5400],
    ['90s', 90],
    ['1h0m30s', 3630],
    [' 2h ', 7200],
    ['36h', 129600],
    // Go's time.ParseDuration, as aws-vault reads them: fractions, units in any order, sub-second units.
    ['1.5h', 5400],
    ['.5h', 1800],
    ['30m1h', 5400],
    ['1h0.5m', 3630],
    ['900000ms', 900],
    ['1500ms', 1],
    ['2h3600000000000ns', 10800],
    ['0', 0],
    ['0s', 0],
    ['0h0m', 0],
    ['+1h', 3600],
  ])('%p -> %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', ' ', 'h', '1x', '1.h.5', '-900', '-1h', '1h 30m', '1d', 'abc', '1e3', '.h', '1H', '500ms', '++1h'])(
    'refuses %p with a DurationError that shows the accepted forms',
    (text) => {
      let caught: unknown;
      try {
        parseDuration(text);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(DurationError);
      expect((caught as DurationError).code).toBe('INVALID_DURATION');
      expect((caught as DurationError).message).toMatch(/^invalid duration ".*": (use seconds \(3600\) or h\/m\/s units|it is less than a second)/);
    },
  );

  it.each(['99999999999999999999999', '9999999999999999h'])('refuses %p as too long, not as zero', (text) => {
    expect(() => parseDuration(text)).toThrow(new DurationError(`invalid duration "${text}": it is too long`));
  });
});

describe('formatDuration', () => {
  it.each([
    [900, '15m'],
    [3600, '1h'],
    [5400, '1h30m'],
    [129600, '36h'],
    [61, '1m1s'],
    [0, '0s'],
  ])('%i -> %p', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('checkRange', () => {
  const limits = { min: 900, max: 43200 };
  it('accepts both ends', () => {
    expect(() => checkRange(900, limits, 'AssumeRole', '--duration')).not.toThrow();
    expect(() => checkRange(43200, limits, 'AssumeRole', '--duration')).not.toThrow();
  });
  it('names the source, the value and the allowed range', () => {
    expect(() => checkRange(899, limits, 'AssumeRole', '--duration')).toThrow(
      '--duration 14m59s (899 s) is outside what AssumeRole allows: 15m to 12h (900..43200 seconds)',
    );
  });
});
