/** A rollout's plan as run.ts parses it from the flags (a leaf: continuation.ts reads it too). */
import type { AnalysisGates } from '../../../domain/analysis.js';

export interface RolloutOptions {
  version: string;
  steps: number[];
  waitMs: number;
  check?: string;
  checkUrl?: string;
  checkSamples: number;
  checkTimeoutMs: number;
  onFail: 'rollback' | 'hold';
  message?: string;
  dryRun: boolean;
  /** The analysis gates (none given: no measurement). */
  analysis: AnalysisGates;
  intervalMs: number;
  failureLimit: number;
  inconclusive: 'hold' | 'rollback' | 'continue';
  bakeMs: number;
  notify: string[];
  pauseAt: number[];
  /** --check-env: the credentials a --check gets on purpose (withheld otherwise). */
  checkEnv: string[];
}
