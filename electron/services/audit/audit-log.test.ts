import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog, type AuditEntry } from './audit-log.ts';

describe('AuditLog', () => {
  it('appends one JSON line per event with time, name, serials and outcome', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'wfa-audit-')), 'audit.log');
    const log = new AuditLog(file, () => new Date('2026-11-23T10:00:00Z'));
    await log.record({ event: 'SECURITY_KEY_PAIRED', outcome: 'success', keySerial: 12345678, certificateSerial: '0a1b', certificateThumbprint: 'ff00' });
    await log.record({ event: 'SECURITY_KEY_PIN_CHANGED', outcome: 'failure', keySerial: 12345678, detail: 'PIN_INCORRECT' });
    const lines = (await readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual([
      {
        time: '2026-11-23T10:00:00.000Z',
        event: 'SECURITY_KEY_PAIRED',
        outcome: 'success',
        keySerial: 12345678,
        certificateSerial: '0a1b',
        certificateThumbprint: 'ff00',
      },
      { time: '2026-11-23T10:00:00.000Z', event: 'SECURITY_KEY_PIN_CHANGED', outcome: 'failure', keySerial: 12345678, detail: 'PIN_INCORRECT' },
    ]);
  });

  it('never writes fields outside the audit schema, even if a caller passes them', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'wfa-audit-')), 'audit.log');
    const sneaky = { event: 'SECURITY_KEY_PIN_CHANGED', outcome: 'success', pin: '583920', managementKey: '0102' } as unknown as AuditEntry;
    await new AuditLog(file).record(sneaky);
    const text = await readFile(file, 'utf8');
    expect(text).not.toMatch(/583920|0102|pin"|managementKey/);
  });
});
