import { formatRemaining, formatTable } from './output.js';

test('formatTable aligns columns and trims trailing space', () => {
  expect(formatTable(['Profile', 'Credentials'], [['a', 'stored'], ['longer-name', '-']])).toBe(
    'Profile      Credentials\na            stored\nlonger-name  -\n',
  );
});

test('formatTable pads every column but a row\'s last to its widest cell, and trims what a blank last cell leaves', () => {
  expect(formatTable(['A', 'Bb', 'C'], [['x', '', ''], ['yyy', 'z', 'last '], ['only'], []])).toBe('A     Bb  C\nx\nyyy   z   last\nonly\n\n');
});

test.each([
  [0, 'expired'],
  [-5, 'expired'],
  [45, '45s'],
  [720, '12m'],
  [3600, '1h'],
  [3900, '1h5m'],
])('formatRemaining(%d) = %s', (s, text) => {
  expect(formatRemaining(s)).toBe(text);
});
