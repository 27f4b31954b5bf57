import { suggestProfiles } from './suggest.js';

const NAMES = ['admin', 'administrator', 'backup', 'read-only', 'readonly', 'prod', 'prod-eu', 'production', 'Admin2', 'dev'];

describe('suggestProfiles', () => {
  test.each<[string, string[]]>([
    ['admn', ['admin', 'Admin2']],
    ['admi', ['admin', 'Admin2', 'administrator']],
    ['ADMIN', ['admin', 'Admin2', 'administrator']],
    ['read-onyl', ['read-only', 'readonly']],
    ['readonly', ['read-only']],
    ['bakup', ['backup']],
    ['prod', ['prod-eu', 'production']],
    ['prd', ['prod']],
    ['deb', ['dev']],
    ['xyz', []],
    ['', []],
    ['completely-unrelated', []],
  ])('%j -> %j', (name, expected) => {
    expect(suggestProfiles(name, NAMES)).toEqual(expected);
  });

  test('max limits the count; best first', () => {
    expect(suggestProfiles('admn', NAMES, 1)).toEqual(['admin']);
    expect(suggestProfiles('admn', NAMES, 0)).toEqual([]);
    expect(suggestProfiles('prod-e', NAMES, 10)).toEqual(['prod-eu', 'prod']);
  });

  test('the name itself and duplicates are not suggested', () => {
    expect(suggestProfiles('admin', ['admin', 'admin', 'admins', 'admins'])).toEqual(['admins']);
  });

  test('5,000 candidates are fast', () => {
    const many = Array.from({ length: 5000 }, (_, i) => `profile-${i}`);
    const start = performance.now();
    expect(suggestProfiles('profile-4999x', many)).toContain('profile-4999');
    // Generous: the bound is there to catch a quadratic blow-up, not to benchmark a busy CI machine.
    expect(performance.now() - start).toBeLessThan(3000);
  });
});
