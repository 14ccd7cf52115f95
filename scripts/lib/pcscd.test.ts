import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pcscdAnswers, pcscdPids } from './pcscd.ts';

describe('pcscd detection', () => {
  it('a socket that accepts connections answers', async () => {
    const socket = join(mkdtempSync(join(tmpdir(), 'wfa-pcscd-')), 'pcscd.comm');
    const server = createServer((conn) => conn.end());
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      expect(await pcscdAnswers(socket)).toBe(true);
    } finally {
      server.close();
    }
  });

  it('a missing socket does not', async () => {
    expect(await pcscdAnswers('/nonexistent/pcscd.comm')).toBe(false);
  });

  it('pcscdPids lists only pcscd processes', () => {
    for (const pid of pcscdPids()) expect(Number.isInteger(pid)).toBe(true);
    expect(pcscdPids()).not.toContain(process.pid);
  });
});
