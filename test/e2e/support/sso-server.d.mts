export interface SsoServer {
  url: string;
  calls: string[];
  setRole(accountId: string, roleName: string, keys: { accessKeyId: string; secretAccessKey: string; sessionToken: string }, expiration?: number): void;
  issueToken(startUrl: string, seconds?: number): { accessToken: string; expiresAt: string };
  setPendingPolls(polls: number): void;
  revokeAll(): void;
  count(route: string): number;
  close(): Promise<void>;
}
export function startSsoServer(options?: { pendingPolls?: number; interval?: number; tokenSeconds?: number }): Promise<SsoServer>;
