// Pairing against an enterprise CA over SCEP (Debian's scepserver on loopback),
// all services real, the key in-process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLOT } from '../../../native/piv/constants.ts';
import { readCertificate } from '../../../native/piv/objects.ts';
import { PivSession } from '../../../native/piv/session.ts';
import { X509Certificate as NodeCertificate } from 'node:crypto';
import { attestationRootDer } from '../../../native/virtual-yubikey/piv/attestation.ts';
import { createVirtualYubiKey } from '../../../native/virtual-yubikey/index.ts';
import * as x509 from '../../../native/x509.ts';
import type { CardCsr, EnrollmentBackend } from '../enrollment/backend.ts';
import { ScepBackend } from '../enrollment/scep/scep-backend.ts';
import { type RunningScepServer, startScepServer } from '../enrollment/scep/scepserver-test-support.ts';
import { ATTESTATION_CSR_OID } from './attestation-step.ts';
import { appFixture, READER_0 } from '../../app/test-support/app-fixture.ts';

const PAIR = { serial: 21000001, temporaryPin: '123456', newPin: '583920', confirmation: '583920' };

/** scepserver issues client-auth certificates without a UPN: the policy says so, or the checks would refuse them. */
function scepPolicy(server: RunningScepServer, caPin: string, challenge: string | null = 'pair-secret'): string {
  return JSON.stringify({
    enrollment: { backend: 'scep', scepUrl: server.url, allowHttp: true, ...(challenge === null ? {} : { challenge }), caPin, timeoutSeconds: 20 },
    certificate: { requiredEku: ['clientAuth'], requireUpn: false },
    key: { algorithm: 'RSA2048' },
  });
}

describe('pairing with SCEP', { timeout: 120_000 }, () => {
  let server: RunningScepServer;
  beforeAll(async () => {
    server = await startScepServer({ challenge: 'pair-secret' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('pairs through the enterprise CA: the certificate in 9A chains to its CA', async () => {
    const f = await appFixture({ policy: scepPolicy(server, server.caPin) });
    const view = await f.value('pairing.pair', PAIR);
    expect(view.certificate).not.toBeNull();
    expect(await f.value('signin.check', { pin: '583920' })).toMatchObject({ serial: 21000001, revocationChecked: false });
  });

  it('a CA that does not match the pin is refused before the key is touched', async () => {
    const f = await appFixture({ policy: scepPolicy(server, `sha256:${'ab'.repeat(32)}`) });
    const r = await f.call('pairing.pair', PAIR);
    expect(r.ok ? null : r.error.code).toBe('CA_PIN_MISMATCH');
    expect(f.progress).toEqual([]);
    const c = await f.transport.connect(READER_0, 'exclusive');
    const session = await PivSession.open(c);
    expect(await session.pinRetries()).toBe(3);
    expect(await readCertificate(session, SLOT.AUTHENTICATION)).toBeNull();
    await c.disconnect();
  });

  it('a policy without the challenge asks the user for it: required before the key is touched, wrong one rejected by the CA', async () => {
    // Another user: scepserver issues one certificate per subject until it is near expiry (its -allowrenew).
    const f = await appFixture({ policy: scepPolicy(server, server.caPin, null), userName: 'dave' });
    expect((await f.value('status.get', {})).enrollmentPasswordNeeded).toBe(true);
    const missing = await f.call('pairing.pair', PAIR);
    expect(missing.ok ? null : missing.error.code).toBe('ENROLLMENT_PASSWORD_REQUIRED');
    expect(f.progress).toEqual([]);
    const wrong = await f.call('pairing.pair', { ...PAIR, enrollmentPassword: 'not-the-secret' });
    expect(wrong.ok ? null : wrong.error.code).toBe('ENROLLMENT_REJECTED');
    // The key kept its new PIN: the pairing is finished with it and the right password.
    const done = await f.value('pairing.resume', { serial: 21000001, pin: '583920', enrollmentPassword: 'pair-secret' });
    expect(done.certificate).not.toBeNull();
  });

  it('the CSR carries the slot and device attestation certificates as extensions, and scepserver still issues', async () => {
    const card = createVirtualYubiKey({ profile: 'yk5.4.3', serial: 21000001 });
    const rootPem = new NodeCertificate(attestationRootDer(card.state)!).toString();
    const scep = new ScepBackend({ url: server.url, caPin: server.caPin, allowHttp: true, challenge: 'pair-secret', timeoutMs: 20_000 });
    const sent: CardCsr[] = [];
    const enrollment: EnrollmentBackend = {
      kind: 'scep',
      checkReachable: () => scep.checkReachable(),
      caCertificates: () => scep.caCertificates(),
      revoke: () => scep.revoke(),
      enroll: (csr, identity) => {
        sent.push(csr);
        return scep.enroll(csr, identity);
      },
    };
    const before = (await server.issued()).length;
    const policy = JSON.parse(scepPolicy(server, server.caPin)) as Record<string, unknown>;
    const f = await appFixture({
      card,
      enrollment,
      userName: 'erin',
      policy: JSON.stringify({ ...policy, attestation: { require: true, extraRoots: [rootPem] } }),
    });
    const view = await f.value('pairing.pair', PAIR);
    expect(view.attestation).toBe('verified');
    expect(view.certificate).not.toBeNull();
    expect((await server.issued()).length).toBe(before + 1);

    expect(sent).toHaveLength(1);
    const csr = new x509.Pkcs10CertificateRequest(sent[0]!.csrDer);
    const slotExt = csr.getExtension(ATTESTATION_CSR_OID.SLOT_CERTIFICATE);
    const deviceExt = csr.getExtension(ATTESTATION_CSR_OID.DEVICE_CERTIFICATE);
    expect(slotExt?.critical).toBe(false);
    expect(deviceExt?.critical).toBe(false);
    const slot = new x509.X509Certificate(slotExt!.value);
    const device = new x509.X509Certificate(deviceExt!.value);
    // The slot attestation is for the CSR's key, signed by the device certificate's key, which the card's root issued.
    expect(Buffer.from(slot.publicKey.rawData).equals(Buffer.from(csr.publicKey.rawData))).toBe(true);
    expect(await slot.verify({ publicKey: device.publicKey, signatureOnly: true })).toBe(true);
    expect(device.issuer).toBe(new x509.X509Certificate(rootPem).subject);
  });
});
