// Shell completion. The scripts call `vault --get-yargs-completions WORDS...` on every Tab; profile names come from
// the config file (or the credentials file, for `import`), everything else (commands, options, choices) from yargs.
import { listProfileNames, readConfigFile } from '@vault/profiles';
import type { Context } from '../io/context.js';

const COMPLETION_FLAG = '--get-yargs-completions';

export type Shell = 'bash' | 'zsh';

/** Commands whose first argument is a profile of the config file. */
const PROFILE_COMMANDS = new Set(['exec', 'export', 'add', 'remove', 'rm', 'rotate', 'whoami', 'login', 'clear']);
/** Options that take the next word as their value, so that word is not an argument. */
const VALUE_OPTIONS = new Set([
  '--region', '--duration', '-d', '--mfa-token', '-t', '--assume', '--format', '--source', '--role-arn', '--mfa-serial',
  '--kdf', '--ttl', '--path',
]);

// SHELL is set for the call so yargs formats its own candidates for that shell (zsh gets "name:description").
const BASH = `###-begin-vault-completions-###
# bash completion for vault. Install: vault completion bash >> ~/.bashrc
_vault_completions() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" IFS=$'\\n'
  COMPREPLY=($(compgen -W "$(SHELL=bash vault ${COMPLETION_FLAG} "\${COMP_WORDS[@]:0:COMP_CWORD+1}" 2>/dev/null)" -- "$cur"))
}
complete -o bashdefault -o default -F _vault_completions vault
###-end-vault-completions-###
`;

const ZSH = `#compdef vault
###-begin-vault-completions-###
# zsh completion for vault. Install: vault completion zsh >> ~/.zshrc
_vault_completions() {
  local -a reply
  reply=("\${(@f)$(SHELL=zsh vault ${COMPLETION_FLAG} "\${(@)words[1,CURRENT]}" 2>/dev/null)}")
  if [[ -n "\${reply[1]}" ]]; then
    _describe 'values' reply
  else
    _default
  fi
}
if [[ "\${zsh_eval_context[-1]}" == "loadautofunc" ]]; then
  _vault_completions "$@"
else
  compdef _vault_completions vault
fi
###-end-vault-completions-###
`;

export function completionScript(shell: Shell): string {
  return shell === 'zsh' ? ZSH : BASH;
}

/** The shell to write a script for when none is named: the user's login shell if it is zsh, else bash. */
export function defaultShell(env: NodeJS.ProcessEnv): Shell {
  return /(^|\/)zsh$/.test(env.SHELL ?? '') ? 'zsh' : 'bash';
}

/**
 * Pure: what completes the last of `words` (the command line after `vault`, up to the word being typed): the profile
 * names of the config or credentials file, the shell's own completion (files, after `--`), or yargs.
 */
export function completionSource(words: readonly string[]): 'config' | 'credentials' | 'shell' | 'yargs' {
  const before = words.slice(0, -1);
  if (before.includes('--')) return 'shell';
  if ((words[words.length - 1] ?? '').startsWith('-')) return 'yargs';
  const previous = before[before.length - 1] ?? '';
  if (previous === '--source') return 'config';
  // The value of an option: yargs knows its choices, if it has any.
  if (VALUE_OPTIONS.has(previous)) return 'yargs';
  const args: string[] = [];
  for (let i = 0; i < before.length; i++) {
    const word = before[i] as string;
    if (VALUE_OPTIONS.has(word)) i++;
    else if (!word.startsWith('-')) args.push(word);
  }
  const [command, ...rest] = args;
  if (command === 'import') return 'credentials';
  if (command !== undefined && PROFILE_COMMANDS.has(command) && rest.length === 0) return 'config';
  if (command === 'config' && rest.length === 1 && rest[0] === 'set-role') return 'config';
  return 'yargs';
}

/**
 * Answers one completion request: `words` are the shell's words, the program name first. Prints one candidate per
 * line and never fails: a broken config file just means no profile names.
 */
export async function complete(
  ctx: Context,
  words: readonly string[],
  fromYargs: (words: readonly string[]) => Promise<readonly string[]>,
): Promise<number> {
  const source = completionSource(words.slice(1));
  let candidates: readonly string[] = [];
  try {
    if (source === 'config' || source === 'credentials') {
      const current = words[words.length - 1] ?? '';
      const file = await readConfigFile(source === 'config' ? ctx.configPath : ctx.credentialsPath, source);
      const zsh = defaultShell(ctx.env) === 'zsh';
      // zsh's _describe reads "name:description"; a colon inside a name must be escaped.
      candidates = listProfileNames(file)
        .filter((p) => p.startsWith(current))
        .map((p) => (zsh ? p.replace(/:/g, '\\:') : p));
    } else if (source === 'yargs') {
      candidates = await fromYargs(words);
    }
  } catch (err) {
    ctx.debug(`completion failed: ${err instanceof Error ? err.message : String(err)}`);
    candidates = [];
  }
  if (candidates.length > 0) ctx.stdout(`${candidates.join('\n')}\n`);
  return 0;
}
