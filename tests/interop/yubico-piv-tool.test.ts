// yubico-piv-tool 2.2.0 (Debian 12) against the virtual key, which must
// answer it as a YubiKey does. Its messages are those of tool/yubico-piv-tool.c
// at tag yubico-piv-tool-2.2.0.
import { readFileSync } from 'node:fs';
import { run } from '../../scripts/lib/exec.ts';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MANAGEMENT_KEY,
  DEFAULT_PIN,
  FIRMWARE,
  INTEROP_PROFILES,
  expectFailure,
  expectSuccess,
  openssl,
  pem,
  pivInfo,
  pivTool,
  useVirtualYubiKey,
  ykman,
  type InteropProfile,
} from './harness.ts';

/** PIV object IDs (NIST SP 800-73-4 Part 1, Table 3): CHUID, X.509 certificate for PIV Authentication (9a). */
const OBJECT_CHUID = '0x5fc102';
const OBJECT_CERT_9A = '0x5fc105';

/**
 * yubico-piv-tool 2.2.0 authenticates with 3DES only: AES management keys came
 * in 2.3.0 (NEWS, "Version 2.3.0": "ykpiv: Add support for AES management
 * keys"). A 5.7 key ships with an AES-192 default key, so there we first turn
 * the management key into 3DES (same bytes) with ykman, as its users must.
 */
async function makeManagementKeyUsableByPivTool(profile: InteropProfile): Promise<void> {
  if (profile !== 'yk5.7.1') return;
  expectSuccess(await ykman(['piv', 'access', 'change-management-key', '-m', DEFAULT_MANAGEMENT_KEY, '-a', 'TDES', '-n', DEFAULT_MANAGEMENT_KEY, '--force']));
}

/** Certifies `pub` with a throwaway CA made by openssl (any CA will do for import). */
async function issueCertificate(pub: string, out: string, commonName: string): Promise<void> {
  const caKey = `${out}.ca.key`;
  const caCert = `${out}.ca.pem`;
  expectSuccess(
    await openssl([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      caKey,
      '-out',
      caCert,
      '-subj',
      '/CN=interop CA',
      '-days',
      '2',
    ]),
  );
  expectSuccess(await openssl(['x509', '-new', '-subj', `/CN=${commonName}`, '-force_pubkey', pub, '-CA', caCert, '-CAkey', caKey, '-days', '2', '-out', out]));
}

/** True when the installed yubico-piv-tool is older than `version` (`yubico-piv-tool --version`). */
async function pivToolBefore(version: string): Promise<boolean> {
  const out = expectSuccess(await run('yubico-piv-tool', ['--version'])).stdout;
  const installed = /(\d+)\.(\d+)\.(\d+)/.exec(out);
  if (!installed) throw new Error(`cannot read the yubico-piv-tool version from: ${out}`);
  const [a, b] = [installed.slice(1).map(Number), version.split('.').map(Number)];
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  }
  return false;
}

describe.each(INTEROP_PROFILES)('yubico-piv-tool on %s', (profile) => {
  const key = useVirtualYubiKey(profile, 19_000_005);

  it('-a status shows version, serial and PIN tries', async () => {
    const { stdout } = expectSuccess(await pivTool(['-a', 'status']));
    expect(stdout).toContain(`Version:\t${FIRMWARE[profile]}`);
    expect(stdout).toContain(`Serial Number:\t${key.serial}`);
    expect(stdout).toContain('CHUID:\tNo data available');
    expect(stdout).toContain('PIN tries left:\t3');
  });

  it('-a version prints the firmware version', async () => {
    expect(expectSuccess(await pivTool(['-a', 'version'])).stdout).toContain(`Application version ${FIRMWARE[profile]} found.`);
  });

  it('-a verify-pin accepts the PIN and counts wrong ones', async () => {
    expect(expectSuccess(await pivTool(['-a', 'verify-pin', '-P', DEFAULT_PIN])).stderr).toContain('Successfully verified PIN.');
    expect(expectFailure(await pivTool(['-a', 'verify-pin', '-P', '000000'])).stderr).toContain('Pin verification failed, 2 tries left before pin is blocked.');
    expect(expectSuccess(await pivTool(['-a', 'status'])).stdout).toContain('PIN tries left:\t2');
    expectSuccess(await pivTool(['-a', 'verify-pin', '-P', DEFAULT_PIN]));
    expect(expectSuccess(await pivTool(['-a', 'status'])).stdout).toContain('PIN tries left:\t3');
  });

  if (profile === 'yk5.7.1') {
    it('cannot authenticate with the AES-192 default key (tool predates AES keys)', async () => {
      expect(expectFailure(await pivTool(['-a', 'generate', '-s', '9a', '-A', 'ECCP256'])).stderr).toContain('Failed authentication with the application.');
    });
  }

  it('-a generate, -a import-certificate, -a test-signature, -a read-certificate, -a read-object', async () => {
    await makeManagementKeyUsableByPivTool(profile);
    const pub = key.file('pub.pem');
    const cert = key.file('cert.pem');

    const generated = expectSuccess(await pivTool(['-a', 'generate', '-s', '9a', '-A', 'RSA2048', '-o', pub]));
    expect(generated.stderr).toContain('Successfully generated a new private key.');
    expect(expectSuccess(await openssl(['pkey', '-pubin', '-in', pub, '-noout', '-text'])).stdout).toContain('Public-Key: (2048 bit)');

    // A certificate for the card's key from a throwaway CA (selfsign is broken in this tool build, see below).
    await issueCertificate(pub, cert, 'piv-tool');
    expect(expectSuccess(await pivTool(['-a', 'import-certificate', '-s', '9a', '-i', cert])).stderr).toContain('Successfully imported a new certificate.');
    // Signs on the card (GENERAL AUTHENTICATE), checked by the tool with the certificate's key.
    expect(expectSuccess(await pivTool(['-a', 'verify-pin', '-P', DEFAULT_PIN, '-a', 'test-signature', '-s', '9a', '-i', cert])).stderr).toContain(
      'Successful RSA verification.',
    );

    const readBack = expectSuccess(await pivTool(['-a', 'read-certificate', '-s', '9a']));
    expect(pem(readBack.stdout)).toBe(pem(readFileSync(cert, 'utf8')));
    expect(await pivInfo()).toContain('Subject DN:\tCN=piv-tool');

    // The certificate object as stored (SP 800-73-4 Part 1, Appendix A: 70 certificate, 71 CertInfo, FE LRC).
    const object = expectSuccess(await pivTool(['-a', 'read-object', '--id', OBJECT_CERT_9A])).stdout.trim();
    const der = key.file('cert.der');
    expectSuccess(await openssl(['x509', '-in', cert, '-outform', 'DER', '-out', der]));
    expect(object.startsWith('70')).toBe(true);
    expect(object).toContain(readFileSync(der).toString('hex'));
    expect(object.endsWith('710100fe00')).toBe(true);
  });

  it('-a generate ECCP256 signs through -a test-signature', async () => {
    await makeManagementKeyUsableByPivTool(profile);
    const pub = key.file('pub.pem');
    const cert = key.file('cert.pem');
    expectSuccess(await pivTool(['-a', 'generate', '-s', '9c', '-A', 'ECCP256', '-o', pub]));
    await issueCertificate(pub, cert, 'piv-tool ec');
    expectSuccess(await pivTool(['-a', 'import-certificate', '-s', '9c', '-i', cert]));
    // 9c: PIN policy "always", so the VERIFY must come right before the signature.
    expect(expectSuccess(await pivTool(['-a', 'verify-pin', '-P', DEFAULT_PIN, '-a', 'test-signature', '-s', '9c', '-i', cert])).stderr).toContain(
      'Successful ECDSA verification.',
    );
  });

  it('-a selfsign-certificate: this build fails before it reaches the card', async () => {
    // Debian 12 links yubico-piv-tool 2.2.0 against OpenSSL 3, whose keys ignore the
    // RSA/EC method the tool installs to sign on the card: "Failed signing
    // certificate." with real YubiKeys too (Yubico/yubico-piv-tool#388; fixed in
    // 2.3.0 by commit 7e2be7b "Fixed wrap_public_key with OpenSSL 3").
    await makeManagementKeyUsableByPivTool(profile);
    const pub = key.file('pub.pem');
    expectSuccess(await pivTool(['-a', 'generate', '-s', '9a', '-A', 'RSA2048', '-o', pub]));
    const args = [
      '-a',
      'verify-pin',
      '-P',
      DEFAULT_PIN,
      '-a',
      'selfsign-certificate',
      '-s',
      '9a',
      '-S',
      '/CN=piv-tool/',
      '-i',
      pub,
      '-o',
      key.file('cert.pem'),
    ];
    if (!(await pivToolBefore('2.3.0'))) {
      expect(expectSuccess(await pivTool(args)).stderr).toContain('Successfully generated a new self signed certificate.');
      return;
    }
    const traced = expectFailure(await pivTool(['-v2', ...args]));
    expect(traced.stderr).toContain('Successfully verified PIN.');
    expect(traced.stderr).toContain('Failed signing certificate.');
    // -v2 prints every APDU: no GENERAL AUTHENTICATE (INS 87) was ever sent.
    expect(traced.stderr).not.toMatch(/^> 00 87 /m);
  });

  it('-a set-chuid then -a read-object reads the CHUID that ykman sees', async () => {
    await makeManagementKeyUsableByPivTool(profile);
    expect(expectSuccess(await pivTool(['-a', 'set-chuid'])).stderr).toContain('Successfully set new CHUID.');
    const object = expectSuccess(await pivTool(['-a', 'read-object', '--id', OBJECT_CHUID]))
      .stdout.trim()
      .toLowerCase();
    const chuidLine = /^CHUID:\t([0-9a-f]+)$/m.exec(await pivInfo());
    expect(chuidLine?.[1]).toBe(object);
  });
});
