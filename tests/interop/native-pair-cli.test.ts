// Pairing from the CLI through pcscd: `npm run wfa -- pair` on a fresh virtual key with the
// embedded local CA, judged by ykman (a certificate in 9a, a PIN-protected
// management key), then `wfa check` with the new PIN and `wfa status --json`
// in the documented shape.
import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../scripts/lib/exec.ts';
import { FIRMWARE, READER, pivInfo, useVirtualYubiKey } from './harness.ts';
import { jsonOf, wfa } from './native-support.ts';

const NEW_PIN = '48273916';
const ISO_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

describe.each(['yk5.4.3', 'yk4.3.7'] as const)('wfa pair, check and status through pcscd on %s', (profile) => {
  const key = useVirtualYubiKey(profile, 19_600_001);

  it('pairs a fresh key with the default PIN; ykman sees the certificate and the protected management key; check passes', async () => {
    const dataDir = key.file('data');
    const pair = await wfa(['pair', '--default-pin', '--data-dir', dataDir, '--user', 'alice', '--json'], { input: `${NEW_PIN}\n` });
    expect(pair.code, describeFailure(pair)).toBe(0);
    expect(pair.stderr).toMatch(/^\[1\/\d+\] /m);
    expect(pair.stderr + pair.stdout).not.toContain(NEW_PIN);
    expect(jsonOf(pair)).toMatchObject({ serial: key.serial, pending: null, certificate: { subject: expect.stringContaining('alice') } });

    const info = await pivInfo();
    expect(info).toMatch(/^Slot 9a:/m);
    expect(info).toMatch(/^\tSubject DN:\t.*CN=alice/m);
    expect(info).toContain('Management key is stored on the YubiKey, protected by PIN.');

    const check = await wfa(['check', '--data-dir', dataDir, '--json'], { input: `${NEW_PIN}\n` });
    expect(check.code, describeFailure(check)).toBe(0);
    expect(jsonOf(check)).toMatchObject({ serial: key.serial });

    const status = await wfa(['status', '--data-dir', dataDir, '--json']);
    expect(status.code, describeFailure(status)).toBe(0);
    const view = jsonOf(status) as Record<string, unknown>;
    expect(Object.keys(view).sort()).toEqual(['keys', 'pairing', 'problems', 'reminder']);
    expect(view).toEqual({
      keys: [
        expect.objectContaining({
          reader: READER,
          serial: key.serial,
          firmware: FIRMWARE[profile],
          pinRetries: expect.any(Number),
          managementKey: 'protected',
          slots: { '9a': { subject: expect.stringContaining('alice'), notAfter: expect.stringMatching(ISO_DATE), serial: expect.any(String) } },
        }),
      ],
      pairing: expect.objectContaining({
        serial: key.serial,
        certificate: expect.objectContaining({
          serial: expect.any(String),
          subject: expect.stringContaining('alice'),
          notAfter: expect.stringMatching(ISO_DATE),
        }),
        pending: null,
      }),
      reminder: {
        stage: expect.any(String),
        daysLeft: expect.any(Number),
        snoozedUntil: null,
        canSnooze: expect.any(Boolean),
        snoozeChoices: expect.any(Array),
      },
      problems: [],
    });
    const keys = view['keys'] as { pukRetries: unknown }[];
    expect(keys[0]!.pukRetries === null || typeof keys[0]!.pukRetries === 'number').toBe(true);
  });
});
