// Types for fixtures.mjs, so the TypeScript test beside the e2e suite can import it.
export declare const ACCOUNT: string;
export declare const OTHER_ACCOUNT: string;
export declare const REGION: string;
export declare const BASE_PROFILE: string;
export declare const ROLE_PROFILE: string;
export declare const TWO_HOPS: string[];

export declare function fakeKeys(): { accessKeyId: string; secretAccessKey: string };
export declare function generatedConfig(shape: { profiles: number; keyed: number }): { text: string; keyedProfiles: string[] };
export declare function awsCliCredentials(keys: { accessKeyId: string; secretAccessKey: string }): string;
export declare function twoHopScript(): string;
