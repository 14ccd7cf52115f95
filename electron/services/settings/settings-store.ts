// The per-user settings: start at login (on by default: the app is the tray
// agent that reminds about renewal) and the last snooze choice (offered
// first next time). Kept in the data folder as settings.json by the same
// JsonStore as the pairing record: atomic writes, a corrupt file kept aside
// and reported, never silently replaced.
import { join } from 'node:path';
import { z } from 'zod';
import { JsonStore, type StoreProblem } from '../store/json-store.ts';

export const settingsSchema = z.strictObject({
  startAtLogin: z.boolean(),
  /** Days of the user's last snooze (renewal.snooze allows 1–30); null until they first snooze. */
  lastSnoozeDays: z.number().int().min(1).max(30).nullable(),
});

export type Settings = z.output<typeof settingsSchema>;

export const SETTINGS_SCHEMA_VERSION = 1;
export const SETTINGS_FILE = 'settings.json';

export const DEFAULT_SETTINGS: Settings = { startAtLogin: true, lastSnoozeDays: null };

export class SettingsService {
  private readonly store: JsonStore<Settings>;

  constructor(dataDir: string, now?: () => Date) {
    this.store = new JsonStore(join(dataDir, SETTINGS_FILE), SETTINGS_SCHEMA_VERSION, settingsSchema, () => ({ ...DEFAULT_SETTINGS }), now);
  }

  /** The last problem reading the file (it was kept aside as a backup), for the user to be told once. */
  get problem(): StoreProblem | null {
    return this.store.problem;
  }

  read(): Promise<Settings> {
    return this.store.read();
  }

  async update(change: Partial<Settings>): Promise<Settings> {
    const next = settingsSchema.parse({ ...(await this.store.read()), ...change });
    await this.store.write(next);
    return next;
  }

  setStartAtLogin(enabled: boolean): Promise<Settings> {
    return this.update({ startAtLogin: enabled });
  }

  recordSnoozeChoice(days: number): Promise<Settings> {
    return this.update({ lastSnoozeDays: days });
  }
}
