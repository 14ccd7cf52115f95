// SCEP enrollment through pcscd: a key made on the virtual YubiKey signs a CSR on the
// card, Debian's scepserver (RFC 8894) enrolls it, the card decrypts the
// answer's key transport, and the certificate verifies against the server's CA
// (with node and with openssl); and `wfa pair` with attestation required, its
// CSR carrying the slot and device attestation certificates.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeFailure } from '../../scripts/lib/exec.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardKeyPair } from '../../native/piv/card-signer.ts';
import { DEFAULT_MANAGEMENT_KEY, SLOT } from '../../native/piv/constants.ts';
import { generateKey } from '../../native/piv/keys.ts';
import { secretFromText } from '../../native/piv/secrets.ts';
import { authenticateManagementKey, managementKeyAlgorithm } from '../../native/yubikey/management-key.ts';
import * as x509 from '../../native/x509.ts';
import { cardRsaDecrypt } from '../../electron/services/enrollment/scep/card-decrypt.ts';
import { ScepBackend } from '../../electron/services/enrollment/scep/scep-backend.ts';
import { type RunningScepServer, startScepServer } from '../../electron/services/enrollment/scep/scepserver-test-support.ts';
import { ATTESTATION_ROOT_FILE, DEFAULT_PIN, expectSuccess, openssl, useVirtualYubiKey } from './harness.ts';
import { hexOf, jsonOf, onKey, wfa } from './native-support.ts';

const CHALLENGE = 'wfa-native-scep-challenge';

describe('SCEP enrollment of a key on the virtual YubiKey through pcscd', () => {
  const key = useVirtualYubiKey('yk5.4.3', 19_500_001);
  let server: RunningScepServer | undefined;
  beforeAll(async () => {
    server = await startScepServer({ challenge: CHALLENGE });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("scepserver issues a certificate for the card's RSA 2048 key that verifies against its CA", async () => {
    const scep = server!;
    const before = (await scep.issued()).length;
    const { issued, spki } = await onKey(async (s) => {
      await authenticateManagementKey(s, await managementKeyAlgorithm(s), Uint8Array.from(DEFAULT_MANAGEMENT_KEY));
      const publicKey = await generateKey(s, { slot: SLOT.AUTHENTICATION, algorithm: 'RSA2048' });
      await s.verifyPin(secretFromText(DEFAULT_PIN));
      const pair = await cardKeyPair(s, SLOT.AUTHENTICATION, 'RSA2048', publicKey);
      const csr = await x509.Pkcs10CertificateRequestGenerator.create(
        {
          name: 'CN=alice',
          keys: pair.keys,
          signingAlgorithm: pair.signingAlgorithm,
          extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])],
        },
        pair.crypto,
      );
      const backend = new ScepBackend({ url: scep.url, caPin: scep.caPin, allowHttp: true, challenge: CHALLENGE, timeoutMs: 30_000 });
      const decrypt = cardRsaDecrypt(s, SLOT.AUTHENTICATION, 'RSA2048');
      return {
        issued: await backend.enroll(
          { csrDer: new Uint8Array(csr.rawData), keys: pair.keys, crypto: pair.crypto, signingAlgorithm: pair.signingAlgorithm, decrypt },
          { userName: 'alice', upn: 'alice@example.com' },
        ),
        spki: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
      };
    });

    const certificate = new x509.X509Certificate(issued.certificate);
    const ca = new x509.X509Certificate(scep.caDer);
    expect(certificate.subject).toBe('CN=alice');
    expect(certificate.issuer).toBe(ca.subject);
    expect(await certificate.verify({ publicKey: ca.publicKey, signatureOnly: true })).toBe(true);
    expect(hexOf(new Uint8Array(certificate.publicKey.rawData))).toBe(hexOf(spki));
    expect((await scep.issued()).length).toBe(before + 1);

    writeFileSync(key.file('ca.pem'), ca.toString('pem'));
    writeFileSync(key.file('cert.pem'), certificate.toString('pem'));
    expect(expectSuccess(await openssl(['verify', '-CAfile', key.file('ca.pem'), key.file('cert.pem')])).stdout).toContain(': OK');
  });

  it("`wfa pair` through pcscd with attestation required: the card's root trusted by the policy, verified, and scepserver issues for the CSR carrying the attestation", async () => {
    const scep = server!;
    const before = (await scep.issued()).length;
    const policyFile = key.file('policy.json');
    writeFileSync(
      policyFile,
      JSON.stringify({
        enrollment: { backend: 'scep', scepUrl: scep.url, allowHttp: true, challenge: CHALLENGE, caPin: scep.caPin, timeoutSeconds: 30 },
        certificate: { requiredEku: ['clientAuth'], requireUpn: false },
        key: { algorithm: 'RSA2048' },
        attestation: { require: true, extraRoots: [readFileSync(key.file(ATTESTATION_ROOT_FILE), 'utf8')] },
      }),
    );
    const dataDir = key.file('data');
    const common = ['--data-dir', dataDir, '--config', policyFile];
    const pair = await wfa(['pair', '--default-pin', '--json', ...common, '--user', 'frank'], { input: '48273916\n' });
    expect(pair.code, describeFailure(pair)).toBe(0);
    expect(jsonOf(pair)).toMatchObject({ serial: key.serial, attestation: 'verified', attestationDetail: { firmware: '5.4.3', formFactor: 'USB-A keychain' } });
    expect((await scep.issued()).length).toBe(before + 1);

    const status = await wfa(['status', ...common]);
    expect(status.code, describeFailure(status)).toBe(0);
    expect(status.stdout).toMatch(/^Attestation: +verified \(generated on the key; firmware 5\.4\.3, USB-A keychain\)$/m);
    const audit = readFileSync(join(dataDir, 'audit.log'), 'utf8');
    expect(audit).toMatch(/"event":"SECURITY_KEY_ATTESTED","outcome":"success"/);
  });
});
