// The composition root honours the per-machine policy: the services run on it
// whatever --config says, and the log says what was set aside.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualTransport } from '../../native/virtual-yubikey/virtual-transport.ts';
import { createAppServices } from './app-services.ts';

describe('createAppServices and the per-machine policy', () => {
  it('uses the machine policy over --config and logs the --config it ignored', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wfa-wiring-'));
    const machine = join(dir, 'machine.json');
    const user = join(dir, 'user.json');
    await writeFile(machine, '{"certificate":{"validityDays":7}}');
    await writeFile(user, '{"certificate":{"validityDays":700}}');
    const lines: string[] = [];
    const app = await createAppServices({
      dataDir: join(dir, 'data'),
      configPath: user,
      env: {},
      transport: new VirtualTransport(),
      statusSource: null,
      userName: 'alice',
      log: (line) => lines.push(line),
      machinePolicy: { path: machine, from: 'file' },
    });
    try {
      expect(app.policy.certificate.validityDays).toBe(7);
      expect(lines).toContain(`policy: --config ${user} ignored: this machine's policy ${machine} applies`);
      expect(await app.settings.read()).toEqual({ startAtLogin: true, lastSnoozeDays: null });
    } finally {
      await app.close();
    }
  });
});
