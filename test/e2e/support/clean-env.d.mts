// Types for clean-env.mjs.
export declare function cleanEnv(): Record<string, string>;
