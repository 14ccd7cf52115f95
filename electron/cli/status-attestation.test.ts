// `wfa status` shows the attestation recorded at pairing (verified or failed,
// with the reason), from the record the services wrote.
import { X509Certificate as NodeCertificate } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attestationRootDer } from '../../native/virtual-yubikey/piv/attestation.ts';
import { createVirtualYubiKey, type VirtualYubiKey } from '../../native/virtual-yubikey/index.ts';
import { appFixture } from '../app/test-support/app-fixture.ts';
import { wfa } from './cli-test-support.ts';

const PAIR = { temporaryPin: '123456', newPin: '583920', confirmation: '583920' };

const rootPemOf = (card: VirtualYubiKey): string => new NodeCertificate(attestationRootDer(card.state)!).toString();
const policy = (attestation: { require?: boolean; extraRoots?: string[] }): string => JSON.stringify({ attestation });

describe('wfa status and attestation', () => {
  it("an attestation that failed (require: false, another card's root trusted) says so, with the reason", async () => {
    const other = createVirtualYubiKey({ profile: 'yk5.4.3', serial: 23000009 });
    const f = await appFixture({ serial: 23000003, policy: policy({ extraRoots: [rootPemOf(other)] }) });
    await f.value('pairing.pair', { ...PAIR, serial: 23000003 });
    await f.app.close();

    const base = ['--data-dir', f.dataDir, '--config', join(f.dataDir, 'policy.json')];
    const json = await wfa(f.transport, ['status', '--json', ...base]);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { pairing: { attestation: string } }).pairing.attestation).toBe('failed');
    const text = await wfa(f.transport, ['status', ...base]);
    expect(text.stdout).toMatch(/^Attestation: +failed \(untrusted-root: .+\)$/m);
  });

  it('a verified pairing shows as such in `wfa status`', async () => {
    const card = createVirtualYubiKey({ profile: 'yk5.7.1', serial: 23000004 });
    const f = await appFixture({ card, policy: policy({ extraRoots: [rootPemOf(card)] }) });
    await f.value('pairing.pair', { ...PAIR, serial: 23000004 });
    await f.app.close();
    const text = await wfa(f.transport, ['status', '--data-dir', f.dataDir, '--config', join(f.dataDir, 'policy.json')]);
    expect(text.stdout).toMatch(/^Attestation: +verified \(generated on the key; firmware 5\.7\.1, USB-A keychain\)$/m);
  });
});
