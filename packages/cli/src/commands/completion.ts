// `vault completion [SHELL]`: the scripts that make bash and zsh ask vault for candidates on every Tab
// (answered by argv/completion.ts).
export const COMPLETION_FLAG = '--get-yargs-completions';

export type Shell = 'bash' | 'zsh';

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
