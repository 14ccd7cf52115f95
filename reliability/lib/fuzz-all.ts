// The four fuzz targets of the fuzz suite, run one after another with one
// seed: card answers, SCEP answers, IPC payloads, policy files and stores.
// Shared by reliability/fuzz.suite.ts (10,000 cases each) and the sampled
// unit test (a few hundred).
import type { ProfileName } from '../../native/virtual-yubikey/index.ts';
import { CARD_PROFILES, fuzzCardAnswers, recordCardAnswers } from './fuzz-card.ts';
import { fuzzFiles } from './fuzz-files.ts';
import { fuzzIpc } from './fuzz-ipc.ts';
import type { FuzzResult } from './fuzz-run.ts';
import { fuzzScepAnswers, recordScepAnswers } from './fuzz-scep.ts';

export interface FuzzAllOptions {
  readonly seed: number;
  readonly runs: number;
  readonly progressEvery?: number;
  /** The firmware profiles whose real answers are recorded (default: 5.4.3, 5.7.1, 4.3.7). */
  readonly profiles?: readonly ProfileName[];
  /** Told as each target begins. */
  readonly onTarget?: (name: string) => void;
}

export async function fuzzAll(options: FuzzAllOptions): Promise<FuzzResult[]> {
  const results: FuzzResult[] = [];
  const common = { seed: options.seed, runs: options.runs, progressEvery: options.progressEvery ?? 0 };
  options.onTarget?.('card answers (recording real answers from the virtual YubiKey first)');
  const recordings = await recordCardAnswers(options.profiles ?? CARD_PROFILES);
  results.push(await fuzzCardAnswers({ ...common, recordings }));
  options.onTarget?.('SCEP answers (recording the scripted SCEP CA first)');
  const material = await recordScepAnswers();
  try {
    results.push(await fuzzScepAnswers({ ...common, material }));
  } finally {
    await material.stop();
  }
  options.onTarget?.('IPC payloads');
  results.push(await fuzzIpc(common));
  options.onTarget?.('policy files and stores');
  results.push(await fuzzFiles(common));
  return results;
}
