// The records the crash-safe store suite writes: version v's serial is v and
// its certificate a large filler that names v, so a record made of two
// versions is told apart from either.
import type { PairingState } from '../../electron/services/pairing/pairing-store.ts';

export function stateOfVersion(v: number): PairingState {
  return {
    pairing: {
      serial: v,
      model: 'YubiKey 5 NFC',
      firmware: '5.4.3',
      algorithm: 'ECCP256',
      certificate: {
        serial: v.toString(16),
        subject: 'CN=alice',
        notAfter: '2027-11-26T00:00:00.000Z',
        thumbprint: 'ab'.repeat(32),
        derBase64: Buffer.alloc(48_000, `v${v};`).toString('base64'),
      },
      pairedAt: '2026-11-26T00:00:00.000Z',
    },
    pending: null,
    reminder: { snoozedUntil: null, lastShownStage: 'none', lastShownAt: null },
  };
}
