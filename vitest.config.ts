import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['native/**/*.test.ts', 'electron/**/*.test.ts', 'scripts/**/*.test.ts', 'tests/unit/**/*.test.ts'],
          environment: 'node',
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
