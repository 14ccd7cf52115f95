// `npm run web`: its arguments, and its one line on stdout.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { EventHub } from '../services/events/event-hub.ts';
import type { ShellServicesOptions } from '../app/app-services.ts';
import { runWebShell } from './cli.ts';
import { recordingHandlers } from './test-support.ts';

const URL_LINE = /^WEB_SHELL_URL=http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]{43})$/;

function io(env: NodeJS.ProcessEnv = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const close = vi.fn(() => Promise.resolve());
  const createServices = vi.fn((options: ShellServicesOptions) => Promise.resolve({ handlers: recordingHandlers(), events: new EventHub(), close, options }));
  return {
    io: { createServices, stdout, stderr, env, rootDir: mkdtempSync(join(tmpdir(), 'wfa-web-cli-')) },
    out: () => out,
    err: () => err,
    close,
    createServices,
  };
}

describe('runWebShell', () => {
  it('prints exactly one WEB_SHELL_URL line on stdout, and stops the services with the shell', async () => {
    const t = io();
    const run = await runWebShell(['--data-dir', '/tmp/wfa-test-data', '--config', '/etc/wfa/policy.json'], t.io);
    if (typeof run === 'number') throw new Error(`exit ${run}`);
    const lines = t
      .out()
      .split('\n')
      .filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(URL_LINE);
    expect(t.createServices).toHaveBeenCalledWith({ dataDir: '/tmp/wfa-test-data', configPath: '/etc/wfa/policy.json', env: {} });
    await run.stop();
    expect(t.close).toHaveBeenCalledTimes(1);
  });

  it('takes the data folder from WFA_DATA_DIR when --data-dir is not given', async () => {
    const t = io({ WFA_DATA_DIR: '/tmp/from-env' });
    const run = await runWebShell([], t.io);
    if (typeof run === 'number') throw new Error(`exit ${run}`);
    expect(t.createServices.mock.calls[0]?.[0].dataDir).toBe('/tmp/from-env');
    await run.stop();
  });

  it.each([[['--port', 'eighty']], [['--port', '70000']], [['--bogus']], [['positional']]])('exits 2 with the usage on %j, starting nothing', async (argv) => {
    const t = io();
    expect(await runWebShell(argv, t.io)).toBe(2);
    expect(t.out()).toBe('');
    expect(t.err()).toMatch(/web: .*|Usage: npm run web/);
    expect(t.createServices).not.toHaveBeenCalled();
  });
});

describe('npm run web, as a process', () => {
  it('writes one line on stdout when listening, and nothing else even after stopping', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, 'test-fixtures', 'fake-web-shell.ts'),
        '--port',
        '0',
        '--data-dir',
        mkdtempSync(join(tmpdir(), 'wfa-web-proc-')),
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const firstLine = new Promise<string>((resolve) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('\n')) resolve(out);
      });
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const line = await Promise.race([firstLine, exited.then(() => `exited early: ${err}`)]);
    expect(line).toMatch(/^WEB_SHELL_URL=/);
    const [, port] = URL_LINE.exec(line.trim()) ?? [];
    const page = await fetch(`http://127.0.0.1:${port ?? '0'}/`);
    expect(page.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out.split('\n').filter((l) => l !== '')).toHaveLength(1);
    expect(err).toContain('fake services in');
  }, 30_000);
});
