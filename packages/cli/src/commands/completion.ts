// `vault completion [SHELL]`: the scripts that make bash and zsh ask vault for candidates on every Tab
// (answered by argv/completion.ts).
export const COMPLETION_FLAG = '--get-yargs-completions';

export type Shell = 'bash' | 'zsh';

// SHELL is set for the call so yargs formats its own candidates for that shell (zsh gets "name:description").
// After \`--\` the words are the command's: its name from the commands on PATH, then what bash-completion offers for
// that command (\`_command_offset\`), or file names where bash-completion is not loaded.
const BASH = `###-begin-vault-completions-###
# bash completion for vault. Install: vault completion bash >> ~/.bashrc
_vault_completions() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    if [[ "\${COMP_WORDS[i]}" == -- ]]; then
      if declare -F _command_offset >/dev/null; then
        _command_offset $((i + 1))
      elif ((i + 1 == COMP_CWORD)); then
        COMPREPLY=($(compgen -c -- "$cur"))
      fi
      return
    fi
  done
  local IFS=$'\\n'
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
  local dashes=\${words[(i)--]}
  if (( dashes < CURRENT )); then
    words=("\${(@)words[dashes+1,-1]}")
    (( CURRENT -= dashes ))
    _normal
    return
  fi
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
