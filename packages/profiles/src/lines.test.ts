import fc from 'fast-check';
import { lineEnding, scanIni, splitLines } from './lines.js';

describe('splitLines', () => {
  test.each([
    ['', []],
    ['a', ['a']],
    ['a\n', ['a\n']],
    ['a\r\nb\rc\n\nd', ['a\r\n', 'b\r', 'c\n', '\n', 'd']],
  ])('%j', (text, lines) => {
    expect(splitLines(text)).toEqual(lines);
  });

  test('a multi-megabyte line without a terminator is one line, read in linear time', () => {
    const started = Date.now();
    expect(splitLines('x'.repeat(8_000_000))).toEqual(['x'.repeat(8_000_000)]);
    expect(scanIni(`[a]\n${'y'.repeat(8_000_000)}`).map((l) => l.kind)).toEqual(['header', 'other']);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test('joining the lines gives the text back, byte for byte', () => {
    const chars = fc.constantFrom('a', ' ', '\t', '[', ']', '=', '#', '\r', '\n', '\r\n', '\uFEFF', 'é');
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 60 }).map((a) => a.join('')), (text) => {
        expect(scanIni(text).map((l) => l.raw).join('')).toBe(text);
      }),
    );
  });
});

describe('scanIni', () => {
  test('classifies lines as the profiles parser reads them', () => {
    const text = [
      '\uFEFF# top',
      '[ profile a ]  ; note',
      'Region = eu-west-1',
      '',
      '; comment',
      '  continued',
      's3 =',
      '  max_concurrent_requests = 5',
      '[b]',
      'key: value',
      'junk',
    ].join('\n');
    expect(scanIni(text).map(({ kind, section, key, indent }) => [kind, section, key, indent])).toEqual([
      ['comment', undefined, undefined, undefined],
      ['header', 'profile a', undefined, undefined],
      ['key', 'profile a', 'region', ''],
      ['blank', 'profile a', undefined, undefined],
      ['comment', 'profile a', undefined, undefined],
      ['continuation', 'profile a', 'region', undefined],
      ['key', 'profile a', 's3', ''],
      ['continuation', 'profile a', 's3', undefined],
      ['header', 'b', undefined, undefined],
      ['key', 'b', 'key', ''],
      ['other', 'b', undefined, undefined],
    ]);
  });

  test('an indented key after a header is a key, not a continuation', () => {
    expect(scanIni('[a]\nx = 1\n[b]\n  y = 2\n').map((l) => l.kind)).toEqual(['header', 'key', 'header', 'key']);
  });
});

test('lineEnding follows the file', () => {
  expect(lineEnding('a\r\nb\r\n')).toBe('\r\n');
  expect(lineEnding('a\nb')).toBe('\n');
  expect(lineEnding('')).toBe('\n');
});
