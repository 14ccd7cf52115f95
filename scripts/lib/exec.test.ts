import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { describeFailure, run, runOk, stopChild } from './exec.ts';

describe('run', () => {
  it('returns the exit code and output without throwing', async () => {
    const result = await run(process.execPath, ['-e', 'console.log("out"); console.error("err"); process.exit(3)']);
    expect(result).toMatchObject({ code: 3, signal: null, stdout: 'out\n', stderr: 'err\n' });
  });

  it('closes stdin, so a program that waits for input sees end-of-file', async () => {
    const result = await run(process.execPath, ['-e', 'process.stdin.resume(); process.stdin.on("end", () => console.log("eof"))']);
    expect(result.stdout).toBe('eof\n');
  });

  it('passes input and arguments verbatim, with no shell', async () => {
    const result = await run(process.execPath, ['-e', 'process.stdin.pipe(process.stdout); console.error(process.argv[1])', '$(echo no)'], {
      input: 'data',
    });
    expect(result.stdout).toBe('data');
    expect(result.stderr).toBe('$(echo no)\n');
  });

  it('rejects when the program cannot be started', async () => {
    await expect(run('/nonexistent/wfa-tool', [])).rejects.toThrow('/nonexistent/wfa-tool');
  });

  it('kills a program that runs past its timeout', async () => {
    const result = await run(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], { timeoutMs: 200 });
    expect(result.code).toBeNull();
    expect(result.signal).toBe('SIGTERM');
    expect(describeFailure(result)).toContain('was killed by SIGTERM');
  });

  it('runOk throws with the command and its output on failure', async () => {
    await expect(runOk(process.execPath, ['-e', 'console.error("bad"); process.exit(2)'])).rejects.toThrow(/exited with 2[\s\S]*bad/);
  });
});

describe('stopChild', () => {
  it('ends a running process and resolves once it is gone', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    await stopChild(child);
    expect(child.signalCode).toBe('SIGTERM');
  });

  it('kills a process that ignores SIGTERM after the grace time', async () => {
    const child = spawn(process.execPath, ['-e', 'process.on("SIGTERM", () => {}); console.log("ready"); setInterval(() => {}, 1000)']);
    await new Promise((resolve) => child.stdout.once('data', resolve));
    await stopChild(child, 200);
    expect(child.signalCode).toBe('SIGKILL');
  });
});

describe('run with a program that ignores its input', () => {
  it('does not fail when the program exits before reading stdin', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => run(process.execPath, ['-e', 'process.exit(0)'], { input: 'x'.repeat(1 << 20) })));
    for (const result of results) expect(result.code).toBe(0);
  });
});
