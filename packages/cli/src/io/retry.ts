// A typo at a prompt should cost a retype of that answer, not the whole command (and for `vault add`, not the keys
// typed before it). Only prompts are retried: a passphrase from the environment that is wrong stays wrong.

/** How many answers a person gets, as sudo and aws-vault's terminal prompts give. */
export const PROMPT_TRIES = 3;

/**
 * Runs `attempt` (which asks and checks one answer) up to PROMPT_TRIES times. `retryable` says why an error is worth
 * another try, as a line for the person, or undefined for errors that end the command; the last try's error is thrown.
 */
export async function withRetries<T>(
  info: (message: string) => void,
  attempt: () => Promise<T>,
  retryable: (err: unknown) => string | undefined,
): Promise<T> {
  for (let tryNumber = 1; ; tryNumber++) {
    try {
      return await attempt();
    } catch (err) {
      const why = retryable(err);
      if (why === undefined || tryNumber >= PROMPT_TRIES) throw err;
      const left = PROMPT_TRIES - tryNumber;
      info(`${why}; try again (${left} ${left === 1 ? 'try' : 'tries'} left).`);
    }
  }
}
