// The sampled part of the card-side reliability suites, so npm test catches a
// regression (the full sweeps: `npm run reliability`, reliability/*.pcsc.suite.ts): a few APDUs per
// flow at which the key is pulled, one at which the app is killed, one at
// which pcscd restarts. The points were chosen from the full sweeps' logs
// (ECC P-256 policy): each lands mid-flow, where the key has changed and the
// flow must be finished, or where a bug was found. Each case asserts what the
// suites assert: the error, `wfa status`, the flow finished, the PIN tries,
// the management key known.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAt } from '../../reliability/app-killed.ts';
import { type FlowRig, prepareFlowRig } from '../../reliability/card-flows.ts';
import { pullAt } from '../../reliability/card-pulled.ts';
import { scratchFolder } from '../../reliability/card-support.ts';
import { RestartablePcscd, restartMidFlow } from '../../reliability/pcscd-and-sharing.ts';
import { requirePrograms } from '../../scripts/lib/programs.ts';

let pcscd: RestartablePcscd | undefined;
let folder: string | undefined;
let rig: FlowRig;

beforeAll(async () => {
  requirePrograms(['pcscd', 'opensc-tool']);
  pcscd = await RestartablePcscd.start();
  folder = scratchFolder('sampled');
  rig = await prepareFlowRig(folder, 21_300_009);
});

afterAll(async () => {
  await pcscd?.stop();
  if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
});

describe('the key pulled mid-flow, through pcscd', () => {
  it.each([
    // After the PIN was set, storing the new management key (a resume failed here with MGMT_AUTH_FAILED).
    ['pairing', 15, /^CARD_REMOVED, status "unfinished after setting-pin", resumed$/],
    // At CHANGE REFERENCE DATA (not carried out): the user retries with the PIN they know.
    ['pin-change', 12, /^CARD_REMOVED/],
    // Right after it: the PIN is changed, and the app says so (it said CARD_REMOVED, and the retry cost a try).
    ['pin-change', 13, /^succeeded/],
  ] as const)('%s, pulled at APDU %i', async (flow, k, outcome) => {
    const result = await pullAt(flow, rig, k);
    expect(result.completed).toBe(false);
    expect(result.detail).toMatch(outcome);
  });
});

describe('the app killed mid-flow', () => {
  it('pairing killed after its PIN was set: the next start finds the unfinished pairing and finishes it', async () => {
    const result = await killAt('pairing', rig, 12);
    expect(result).toEqual({ completed: false, detail: 'status "unfinished after setting-pin", resumed' });
  });
});

describe('pcscd restarted mid-flow', () => {
  it('pairing: a clear error, and with pcscd back the pairing is finished', async () => {
    const result = await restartMidFlow(pcscd!, 'pairing', rig, 20);
    expect(result.completed).toBe(false);
    expect(result.detail).toMatch(/^(PCSC_UNAVAILABLE|CARD_REMOVED), status "unfinished after .*", resumed$/);
  });
});
