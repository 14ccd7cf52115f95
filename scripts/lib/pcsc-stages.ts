// The vitest projects that need PC/SC, with their test files: what
// `npm test` and scripts/stage.ts run in the test rig. A new PC/SC stage
// (reliability, bench) is one more entry here and one project in vitest.config.ts.
import { availableParallelism } from 'node:os';
import { testFiles } from './stages.ts';

export const PCSC_STAGES = {
  interop: { files: () => testFiles('tests/interop', '.test.ts') },
  e2e: { files: () => testFiles('e2e', '.e2e.test.ts') },
} as const;

export type PcscStageName = keyof typeof PCSC_STAGES;

export const isPcscStage = (name: string): name is PcscStageName => Object.hasOwn(PCSC_STAGES, name);

/**
 * Interop rigs at once: much of a rig's time is waiting (pcscd's 400 ms card
 * polling), so on two cores four rigs end sooner than three (101 s against
 * 112 s for the same files), though both need about 160 s of CPU. WFA_RIGS overrides.
 */
export const INTEROP_RIGS = Number(process.env['WFA_RIGS'] ?? Math.min(6, Math.max(4, 2 * availableParallelism())));
