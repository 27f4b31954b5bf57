import fc from 'fast-check';
import { ConfigParseError, ProfileError } from './errors.js';
import { parseConfigText } from './parse.js';
import { resolveProfile } from './resolve.js';
import { checkValue } from './validate.js';

const NAMES = ['a', 'b', 'c', 'd', 'default', 'two words'];
const KEYS = [
  'source_profile',
  'include_profile',
  'role_arn',
  'credential_process',
  'mfa_serial',
  'region',
  'duration_seconds',
  'role_session_name',
  'external_id',
  'source_identity',
  'credential_source',
  'sso_session',
  'web_identity_token_file',
  'aws_secret_access_key',
  'unknown_key',
];

// Values mix well-formed ones (so that chains do resolve) with links to every profile and with arbitrary text.
const value = fc.oneof(
  fc.constantFrom(...NAMES),
  fc.constantFrom('arn:aws:iam::123456789012:role/r', 'arn:aws:iam::1234567890:role/r', 'us-east-1', '3600', '60', ''),
  fc.string({ maxLength: 12 }).map((s) => s.replace(/[\r\n]/g, ' ').trim()),
);
const section = fc.record({
  name: fc.constantFrom(...NAMES),
  settings: fc.array(fc.tuple(fc.constantFrom(...KEYS), value), { maxLength: 6 }),
});

function render(sections: Array<{ name: string; settings: Array<[string, string]> }>, eol: string): string {
  return sections
    .map(({ name, settings }) => {
      const header = name === 'default' ? '[default]' : `[profile ${name}]`;
      return [header, ...settings.map(([k, v]) => `${k} = ${v}`)].join(eol);
    })
    .join(eol);
}

describe('properties', () => {
  test('resolving any profile of any config returns a well-formed chain or throws a ProfileError', () => {
    fc.assert(
      fc.property(
        fc.array(section, { maxLength: 8 }),
        fc.constantFrom('\n', '\r\n'),
        fc.constantFrom(...NAMES, 'missing'),
        fc.option(fc.subarray(NAMES)),
        (sections, eol, target, storedNames) => {
          const config = parseConfigText(render(sections, eol), '/c', 'config');
          const opts = storedNames ? { hasStoredKeys: (p: string) => storedNames.includes(p) } : {};
          let chain;
          try {
            chain = resolveProfile(config, target, opts);
          } catch (error) {
            expect(error).toBeInstanceOf(ProfileError);
            expect((error as ProfileError).code).toMatch(/^[A-Z_]+$/);
            return;
          }
          expect(chain.profile).toBe(target);
          expect(chain.path[chain.path.length - 1]).toBe(target);
          expect(chain.path[0]).toBe(chain.base.profile);
          expect(new Set(chain.path).size).toBe(chain.path.length);
          expect(chain.hops.length).toBeLessThanOrEqual(chain.path.length);
          for (const hop of chain.hops) {
            expect(chain.path).toContain(hop.profile);
            expect(checkValue('role_arn', hop.roleArn)).toBeUndefined();
          }
          if (chain.region !== undefined) expect(checkValue('region', chain.region)).toBeUndefined();
          if (storedNames && chain.base.kind === 'vault-keys') expect(storedNames).toContain(chain.base.profile);
        },
      ),
      { numRuns: 500 },
    );
  });

  test('arbitrary text either parses or fails with a ConfigParseError on one of its lines', () => {
    const text = fc
      .array(fc.oneof(fc.constantFrom('[', ']', '=', ':', '#', ';', ' ', '\t', '\n', '\r\n', '\uFEFF', 'profile ', 'a'), fc.string()), {
        maxLength: 30,
      })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, fc.constantFrom<'config' | 'credentials'>('config', 'credentials'), (input, kind) => {
        try {
          parseConfigText(input, '/c', kind);
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigParseError);
          const { line } = error as ConfigParseError;
          expect(line).toBeGreaterThanOrEqual(1);
          expect(line).toBeLessThanOrEqual(input.split(/\r\n|\n|\r/).length);
        }
      }),
      { numRuns: 1000 },
    );
  });

  test('rendered sections parse back to the same keys and values', () => {
    const key = fc.stringMatching(/^[a-z_][a-z0-9_.-]{0,10}$/);
    const plain = fc.stringMatching(/^[^\s#;\[\]][^\r\n]{0,15}$/).map((s) => s.trim());
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...NAMES), fc.dictionary(key, plain, { maxKeys: 5 })), (profiles) => {
        const sections = Object.entries(profiles).map(([name, values]) => ({ name, settings: Object.entries(values) }));
        const parsed = parseConfigText(render(sections, '\n'), '/c', 'config');
        expect(Object.fromEntries([...parsed.profiles].map(([n, v]) => [n, { ...v }]))).toEqual(profiles);
      }),
      { numRuns: 300 },
    );
  });
});
