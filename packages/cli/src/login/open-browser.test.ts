import { browserCommand, openBrowser } from './open-browser.js';

it('uses open on macOS and xdg-open elsewhere', () => {
  expect(browserCommand('darwin')).toBe('open');
  expect(browserCommand('linux')).toBe('xdg-open');
  expect(browserCommand('freebsd')).toBe('xdg-open');
});

it('reports whether the opener accepted the URL', async () => {
  expect(await openBrowser('https://example.test/', 'true')).toBe(true);
  expect(await openBrowser('https://example.test/', 'false')).toBe(false);
  expect(await openBrowser('https://example.test/', 'vault-test-no-such-opener')).toBe(false);
});
