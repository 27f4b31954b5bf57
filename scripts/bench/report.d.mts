// Types for report.mjs, so the TypeScript test beside the e2e suite can import it.
export declare const BEGIN: string;
export declare const END: string;

export interface Summary {
  runs: number;
  median: number;
  p25: number;
  p75: number;
  min: number;
  max: number;
}

export interface BenchCase {
  id: string;
  label: string;
  display: string;
}

export interface GoalRow {
  goal: string;
  target: string;
  measured: string;
  met: boolean | undefined;
}

export declare function summarize(timesSeconds: number[]): Summary;
export interface MemoryFigures {
  nodeMiB: number;
  execMiB: number;
  agentAfter10MiB: number;
  agentAfter1000MiB: number;
}

export declare function evaluateGoals(stats: Record<string, Summary>, kdfMs: number, memory?: MemoryFigures): GoalRow[];
export declare function renderReport(input: {
  machine: Record<string, string>;
  tool: string;
  runs: number;
  warmup: number;
  cases: BenchCase[];
  stats: Record<string, Summary>;
  kdfMs: number;
  memory?: MemoryFigures;
  date: string;
}): string;
export declare function replaceGenerated(doc: string, generated: string): string;
