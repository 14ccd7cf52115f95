// The paired key's page says where its sign-in key was made:
// "Generated on the key" with the attested firmware and form factor, or why
// that could not be shown.
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { expectNoSeriousAxeViolations } from '../test/axe.ts';
import { pairedStatus, pairingView } from '../test/fixtures.ts';
import { renderApp } from '../test/render-app.tsx';

const provenance = () => screen.getByTestId('key-provenance').textContent ?? '';

describe('key provenance on the paired key page', () => {
  it('a verified attestation: "Generated on the key" with the attested firmware and form factor', async () => {
    await renderApp(pairedStatus());
    expect(screen.getByText('Generated on the key')).toBeTruthy();
    expect(provenance()).toContain('firmware 5.7.1, USB-A keychain');
    await expectNoSeriousAxeViolations();
  });

  it("a failed attestation: why, in words, and the verifier's detail", async () => {
    const failed = {
      status: 'failed',
      firmware: '5.4.3',
      formFactor: 'USB-A keychain',
      reason: 'untrusted-root',
      detail: '"Yubico PIV Attestation" is issued by "Virtual Root", which is not a trusted root',
    } as const;
    await renderApp(pairedStatus({ pairing: pairingView({ attestation: 'failed', attestationDetail: failed }) }));
    expect(screen.queryByText('Generated on the key')).toBeNull();
    expect(screen.getByText('Not shown to be generated on the key')).toBeTruthy();
    expect(provenance()).toContain('does not come from Yubico or another maker your company trusts');
    expect(provenance()).toContain('Details: "Yubico PIV Attestation" is issued by "Virtual Root"');
    await expectNoSeriousAxeViolations();
  });

  it('a key without attestation, and a pairing made before the app checked', async () => {
    const unsupported = {
      status: 'unsupported',
      firmware: null,
      formFactor: null,
      reason: null,
      detail: 'firmware 4.2.6 has no attestation (it came with YubiKey 4.3)',
    } as const;
    const { unmount } = await renderApp(pairedStatus({ pairing: pairingView({ attestation: 'unsupported', attestationDetail: unsupported }) }));
    expect(provenance()).toContain('cannot prove where its sign-in key was made (firmware 4.2.6 has no attestation');
    await expectNoSeriousAxeViolations();
    unmount();
    await renderApp(pairedStatus({ pairing: pairingView({ attestation: null, attestationDetail: null }) }));
    expect(provenance()).toContain('paired before the app checked');
  });
});
