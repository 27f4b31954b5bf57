// Types for moto-server.mjs.
export interface Moto {
  url: string;
  port: number;
  /** Kills the server and waits until it has exited (and so stopped listening). */
  stop(): Promise<void>;
}
export declare const SHARED_MOTOS_VARIABLE: string;
export declare function freePort(): Promise<number>;
export declare function startMoto(options?: { authCount?: number; timeoutMs?: number; recordTo?: string }): Promise<Moto>;
