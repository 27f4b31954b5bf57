/** Why `vault unlock` could not start an agent. `code` keys the CLI's catalogue. */
export class AgentError extends Error {
  constructor(
    readonly code: 'AGENT_SOCKET' | 'AGENT_START',
    message: string,
  ) {
    super(message);
    this.name = 'AgentError';
  }
}

/** The socket's place is unsafe or unusable; `detail` says why and how to fix it. */
export function agentSocketError(path: string, detail: string): AgentError {
  return new AgentError('AGENT_SOCKET', `cannot put the vault agent's socket at ${path}: ${detail}`);
}

/** A failure the agent reported while serving a request (for example the vault lock could not be taken). */
export class AgentRemoteError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AgentRemoteError';
  }
}
