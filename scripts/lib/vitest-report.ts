// Counting tests from vitest's JSON reporter (`--reporter=json --outputFile=…`,
// a Jest-compatible summary: vitest docs, "Reporters" → "JSON reporter").
import { z } from 'zod';

const report = z.object({
  numPassedTests: z.number(),
  numFailedTests: z.number(),
  numPendingTests: z.number().default(0),
  numTodoTests: z.number().default(0),
  numFailedTestSuites: z.number().default(0),
  success: z.boolean(),
  testResults: z
    .array(
      z.object({
        name: z.string(),
        status: z.string(),
        message: z.string().default(''),
        assertionResults: z.array(z.object({ status: z.string() })).default([]),
      }),
    )
    .default([]),
});

export interface StageCount {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** Why the stage failed beyond its failed tests (a file that did not load, vitest's exit code). */
  readonly notes: readonly string[];
}

/**
 * The count of one vitest run. A test file that fails to load, or whose
 * beforeAll hook throws, has no failed test, and vitest can fail outside any test (unhandled error): each such
 * failure counts as one failed test, so a broken stage can never read as green.
 */
export function countVitestRun(json: string | undefined, exitCode: number | null): StageCount {
  if (json === undefined) {
    return { passed: 0, failed: 1, skipped: 0, notes: [`vitest wrote no JSON report (exit code ${exitCode})`] };
  }
  const parsed = report.safeParse(JSON.parse(json));
  if (!parsed.success) {
    return { passed: 0, failed: 1, skipped: 0, notes: ['vitest JSON report has an unexpected shape'] };
  }
  const r = parsed.data;
  const notes: string[] = [];
  let failed = r.numFailedTests;
  for (const file of r.testResults) {
    // Failed with no failed test: it did not load, or a beforeAll/afterAll hook threw.
    if (file.status === 'failed' && !file.assertionResults.some((t) => t.status === 'failed')) {
      failed += 1;
      notes.push(`${file.name}: ${file.message.split('\n')[0] || 'failed outside its tests'}`);
    }
  }
  if (exitCode !== 0 && failed === 0) {
    failed = 1;
    notes.push(`vitest exited with ${exitCode} although no test failed`);
  }
  return { passed: r.numPassedTests, failed, skipped: r.numPendingTests + r.numTodoTests, notes };
}
