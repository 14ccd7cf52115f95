import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, SETTINGS_FILE, SettingsService } from './settings-store.ts';

const folder = (): Promise<string> => mkdtemp(join(tmpdir(), 'wfa-settings-'));

describe('SettingsService', () => {
  it('starts at login by default, with no snooze choice yet', async () => {
    expect(await new SettingsService(await folder()).read()).toEqual({ startAtLogin: true, lastSnoozeDays: null });
    expect(DEFAULT_SETTINGS.startAtLogin).toBe(true);
  });

  it('keeps each change for the next start', async () => {
    const dir = await folder();
    await new SettingsService(dir).setStartAtLogin(false);
    await new SettingsService(dir).recordSnoozeChoice(3);
    expect(await new SettingsService(dir).read()).toEqual({ startAtLogin: false, lastSnoozeDays: 3 });
    const onDisk = JSON.parse(await readFile(join(dir, SETTINGS_FILE), 'utf8')) as unknown;
    expect(onDisk).toEqual({ schemaVersion: 1, data: { startAtLogin: false, lastSnoozeDays: 3 } });
  });

  it('refuses a snooze the renewal rules never allow', async () => {
    const settings = new SettingsService(await folder());
    await expect(settings.recordSnoozeChoice(0)).rejects.toThrow();
    await expect(settings.recordSnoozeChoice(31)).rejects.toThrow();
    await expect(settings.recordSnoozeChoice(1.5)).rejects.toThrow();
    expect((await settings.read()).lastSnoozeDays).toBeNull();
  });

  it('keeps a corrupt file aside, reports it, and goes on with the defaults', async () => {
    const dir = await folder();
    await writeFile(join(dir, SETTINGS_FILE), '{"schemaVersion":1,"data":{"startAtLogin":"yes"');
    const settings = new SettingsService(dir, () => new Date('2026-01-02T03:04:05Z'));
    expect(await settings.read()).toEqual(DEFAULT_SETTINGS);
    expect(settings.problem?.reason).toMatchObject({ kind: 'not-json' });
    expect(await readdir(dir)).toEqual([`${SETTINGS_FILE}.2026-01-02T03-04-05-000Z.bak`]);
    await settings.setStartAtLogin(false);
    expect((await new SettingsService(dir).read()).startAtLogin).toBe(false);
  });

  it('a file with a field of the wrong type is kept aside too, not half-read', async () => {
    const dir = await folder();
    await writeFile(join(dir, SETTINGS_FILE), JSON.stringify({ schemaVersion: 1, data: { startAtLogin: false, lastSnoozeDays: 99 } }));
    const settings = new SettingsService(dir);
    expect(await settings.read()).toEqual(DEFAULT_SETTINGS);
    expect(settings.problem?.reason).toMatchObject({ kind: 'invalid-content', issues: expect.stringContaining('lastSnoozeDays') as unknown });
  });
});
