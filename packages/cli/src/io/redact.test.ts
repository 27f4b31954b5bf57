import { createRedactor } from './redact.js';

test('registered secrets are masked wherever they appear', () => {
  const r = createRedactor();
  r.add('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  r.add('short');
  expect(r.redact('secret=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY twice wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toBe(
    'secret=**** twice ****',
  );
  expect(r.redact('a short word')).toBe('a short word');
});
