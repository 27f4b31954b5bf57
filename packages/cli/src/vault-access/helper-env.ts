// vault takes its passphrases from the environment. The helpers it starts for itself (a profile's
// credential_process, the browser opener of `vault login`) must not inherit them, any more than the command of
// `vault exec` does (exec/env.ts): they are arbitrary programs named in a config file or found on PATH.
export const PASSPHRASE_VARIABLES = ['AWS_VAULT_FILE_PASSPHRASE', 'AWS_VAULT_NEW_PASSPHRASE'];

/** Pure: `env` without vault's passphrases. */
export function withoutPassphrases(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  for (const name of PASSPHRASE_VARIABLES) delete out[name];
  return out;
}
