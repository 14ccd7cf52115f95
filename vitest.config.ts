import react from '@vitejs/plugin-react';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // A worker per core: vitest's default leaves one core to itself (cores − 1), which on a
    // 2-core machine ran the unit and renderer files one at a time. Its own process mostly waits.
    maxWorkers: availableParallelism(),
    projects: [
      {
        test: {
          name: 'unit',
          include: ['native/**/*.test.ts', 'electron/**/*.test.ts', 'scripts/**/*.test.ts', 'tests/unit/**/*.test.ts'],
          environment: 'node',
          // The virtual key's RSA keys from a pool made beforehand: generating them was most of this project's CPU.
          setupFiles: ['tests/setup/rsa-key-pool.ts'],
          // Many tests make RSA keys on the virtual card or run 1,200 fast-check cases: on a
          // 2-core machine with a worker per core, 5 s (vitest's default) is not always enough.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'interop',
          include: ['tests/interop/**/*.test.ts'],
          environment: 'node',
          // One pcscd and one set of vpcd readers per rig: in a rig, interop files run one after
          // another; npm test runs several rigs at once (scripts/lib/stages.ts, README "The test rig").
          fileParallelism: false,
          // The factory cards the tests copy (scripts/lib/virtual-key.ts) get their RSA keys from the pool too.
          setupFiles: ['tests/setup/rsa-key-pool.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The renderer's component tests: React in jsdom against a fake window.wfa (renderer/src/test/).
        plugins: [react()],
        test: {
          name: 'renderer',
          include: ['renderer/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: ['renderer/src/test/setup.ts'],
          // Same reason as the unit project: jsdom and axe on a busy 2-core machine.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          // Whole flows in Debian's Chromium through the web shell, with a virtual key behind pcscd (e2e/).
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          environment: 'node',
          // One virtual reader and one pcscd (the rig's own): the spec files run one after another.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
