import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { childCpuSeconds, shareOut, testFiles } from './stages.ts';

describe('sharing test files out over rigs', () => {
  it('puts the longest files first onto the least loaded rig, every file exactly once', () => {
    const durations = { a: 60, b: 50, c: 30, d: 20, e: 10, f: 10 };
    const shards = shareOut(Object.keys(durations), 3, durations);
    expect(shards.flat().sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    const loads = shards.map((files) => files.reduce((n, f) => n + durations[f as keyof typeof durations], 0));
    expect(loads.sort((x, y) => x - y)).toEqual([60, 60, 60]);
  });

  it('never makes more rigs than files, nor fewer than one', () => {
    expect(shareOut(['x'], 4, { x: 1 })).toEqual([['x']]);
    expect(shareOut(['x', 'y'], 0, { x: 1, y: 2 })).toEqual([['x', 'y']]);
  });

  it('finds the interop and e2e files as vitest.config.ts includes them', () => {
    expect(testFiles('tests/interop', '.test.ts')).toContain('tests/interop/ykman-info.test.ts');
    expect(testFiles('e2e', '.e2e.test.ts')).toContain('e2e/pairing.e2e.test.ts');
  });
});

describe('CPU seconds of a stage', () => {
  it('counts the CPU a finished child used', () => {
    const before = childCpuSeconds();
    // Busy until the child itself has used 0.2 s of CPU, however busy the machine is.
    spawnSync(process.execPath, ['-e', 'while (process.cpuUsage().user < 200000) {}']);
    const after = childCpuSeconds();
    expect(before).toBeTypeOf('number');
    expect((after ?? 0) - (before ?? 0)).toBeGreaterThanOrEqual(0.19);
  }, 60_000);
});
