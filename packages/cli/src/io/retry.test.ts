import { PROMPT_TRIES, withRetries } from './retry.js';

class Typo extends Error {}

test('asks again after a retryable failure, saying why and how many tries are left', async () => {
  const said: string[] = [];
  const answers = ['bad', 'bad', 'good'];
  const result = await withRetries(
    (m) => said.push(m),
    async () => {
      const a = answers.shift();
      if (a !== 'good') throw new Typo();
      return a;
    },
    (err) => (err instanceof Typo ? 'Wrong passphrase' : undefined),
  );
  expect(result).toBe('good');
  expect(said).toEqual(['Wrong passphrase; try again (2 tries left).', 'Wrong passphrase; try again (1 try left).']);
});

test(`gives up after ${PROMPT_TRIES} tries with the last error, and never retries other errors`, async () => {
  let tries = 0;
  const last = new Typo('third');
  await expect(
    withRetries(() => {}, async () => Promise.reject(++tries === PROMPT_TRIES ? last : new Typo()), () => 'no'),
  ).rejects.toBe(last);
  expect(tries).toBe(PROMPT_TRIES);
  const other = new Error('disk full');
  tries = 0;
  await expect(withRetries(() => {}, async () => Promise.reject((tries++, other)), () => undefined)).rejects.toBe(other);
  expect(tries).toBe(1);
});
