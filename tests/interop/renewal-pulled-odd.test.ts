// The key pulled at each odd APDU of a renewal, through pcscd (renewal-sweep.ts).
import { describe, it } from 'vitest';
import { useVirtualYubiKey } from './harness.ts';
import { sweepRenewalPulls } from './renewal-sweep.ts';

describe('wfa renew through pcscd, the key pulled at each odd APDU', { timeout: 600_000 }, () => {
  const key = useVirtualYubiKey('yk5.4.3', 19_800_003);

  it('the old certificate stays in 9a (or, once written, the new one, which the next renewal finishes); wfa check passes after every pull', async () => {
    const outcomes = await sweepRenewalPulls(key, 1);
    console.log(`renewal through pcscd: the key pulled at each of ${outcomes.length - 1} odd APDUs, then renewed (${[...new Set(outcomes)].join(', ')})`);
  });
});
