// The key pulled at each even APDU of a renewal, through pcscd (renewal-sweep.ts).
import { describe, it } from 'vitest';
import { useVirtualYubiKey } from './harness.ts';
import { sweepRenewalPulls } from './renewal-sweep.ts';

describe('wfa renew through pcscd, the key pulled at each even APDU', { timeout: 600_000 }, () => {
  const key = useVirtualYubiKey('yk5.4.3', 19_800_004);

  it('the old certificate stays in 9a (or, once written, the new one, which the next renewal finishes); wfa check passes after every pull', async () => {
    const outcomes = await sweepRenewalPulls(key, 2);
    console.log(`renewal through pcscd: the key pulled at each of ${outcomes.length - 1} even APDUs, then renewed (${[...new Set(outcomes)].join(', ')})`);
  });
});
