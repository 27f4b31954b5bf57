import { formatRemaining, formatTable } from './output.js';

test('formatTable aligns columns and trims trailing space', () => {
  expect(formatTable(['Profile', 'Credentials'], [['a', 'stored'], ['longer-name', '-']])).toBe(
    'Profile      Credentials\na            stored\nlonger-name  -\n',
  );
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
