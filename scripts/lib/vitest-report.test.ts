import { describe, expect, it } from 'vitest';
import { countVitestRun } from './vitest-report.ts';

const report = (overrides: Record<string, unknown>): string =>
  JSON.stringify({
    numPassedTests: 0,
    numFailedTests: 0,
    numPendingTests: 0,
    numTodoTests: 0,
    numFailedTestSuites: 0,
    success: true,
    testResults: [],
    ...overrides,
  });

describe('countVitestRun', () => {
  it('counts passed, failed and skipped tests', () => {
    const json = report({
      numPassedTests: 7,
      numFailedTests: 2,
      numPendingTests: 1,
      success: false,
      testResults: [{ name: '/a.test.ts', status: 'failed', message: '', assertionResults: [{ status: 'failed' }, { status: 'passed' }] }],
    });
    expect(countVitestRun(json, 1)).toEqual({ passed: 7, failed: 2, skipped: 1, notes: [] });
  });

  it('counts a file that failed outside its tests (load error, beforeAll) as one failure', () => {
    const json = report({
      numPassedTests: 3,
      success: false,
      testResults: [
        { name: '/ok.test.ts', status: 'passed', message: '', assertionResults: [{ status: 'passed' }] },
        { name: '/broken.test.ts', status: 'failed', message: 'Cannot find module x\nstack', assertionResults: [{ status: 'skipped' }] },
      ],
    });
    expect(countVitestRun(json, 1)).toEqual({ passed: 3, failed: 1, skipped: 0, notes: ['/broken.test.ts: Cannot find module x'] });
  });

  it('a non-zero exit without failed tests still fails the stage', () => {
    expect(countVitestRun(report({ numPassedTests: 4 }), 1)).toMatchObject({ passed: 4, failed: 1 });
  });

  it('no report, or an unexpected one, is one failure', () => {
    expect(countVitestRun(undefined, 1)).toMatchObject({ passed: 0, failed: 1 });
    expect(countVitestRun('{"tests": []}', 0)).toMatchObject({ passed: 0, failed: 1 });
  });

  it('a clean run is all passed', () => {
    expect(countVitestRun(report({ numPassedTests: 12 }), 0)).toEqual({ passed: 12, failed: 0, skipped: 0, notes: [] });
  });
});
