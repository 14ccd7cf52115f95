// Where the runners keep things: the repository root, and .wfa-run/ (gitignored)
// for logs, state files of demo keys and vitest reports.
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const RUN_DIR = resolve(REPO_ROOT, '.wfa-run');
