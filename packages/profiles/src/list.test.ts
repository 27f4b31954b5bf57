import { listProfileNames } from './list.js';
import { parseConfigText } from './parse.js';

test('listProfileNames: profile sections only, sorted and unique', () => {
  const text = '[profile b]\n[default]\n[profile a]\n[sso-session s]\n[plain]\n[profile b]\n[profile default]\n[profile A]\n';
  expect(listProfileNames(parseConfigText(text, '/c', 'config'))).toEqual(['A', 'a', 'b', 'default']);
  expect(listProfileNames(parseConfigText('', '/c', 'config'))).toEqual([]);
});
