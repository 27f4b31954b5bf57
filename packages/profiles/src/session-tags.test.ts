import { parseSessionTags, parseTagKeys } from './session-tags.js';

describe('parseSessionTags (aws-vault syntax)', () => {
  it('reads key=value pairs, spaces around each part ignored', () => {
    expect(parseSessionTags('team=platform, project = vault ,empty=')).toEqual({ team: 'platform', project: 'vault', empty: '' });
  });
  it('keeps an = inside a value', () => {
    expect(parseSessionTags('expr=a=b')).toEqual({ expr: 'a=b' });
  });
  it.each([
    ['team', /key=value/],
    ['team=a,', /key=value/],
    ['=a', /tag key/],
    ['te$m=a', /tag key/],
    ['team=a;b', /value of tag team/],
    ['team=a,team=b', /given twice/],
    [`k=${'v'.repeat(257)}`, /256/],
    [Array.from({ length: 51 }, (_, i) => `k${i}=v`).join(','), /at most 50/],
  ])('refuses %j', (text, reason) => {
    expect(parseSessionTags(text)).toMatch(reason);
  });
});

describe('parseTagKeys', () => {
  it('splits on commas and drops empty entries', () => {
    expect(parseTagKeys(' team, ,project,')).toEqual(['team', 'project']);
  });
  it.each([[''], [' , '], ['te$m']])('refuses %j', (text) => {
    expect(typeof parseTagKeys(text)).toBe('string');
  });
});
