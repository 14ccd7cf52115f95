// A second opinion on the local CA's output from a verifier that shares no
// code with @peculiar/x509: OpenSSL's `verify` (chain, purpose, CRL) and its
// certificate printer (the UPN otherName, the smart-card logon EKU).
import { execFile } from 'node:child_process';
import { createPrivateKey, webcrypto } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as x509 from '../../../native/x509.ts';
import { LocalCa } from './local-ca.ts';
import { cardCsrFixture, tempDataDir } from './test-support.ts';

const run = promisify(execFile);

async function openssl(args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run('openssl', args);
    return stdout + stderr;
  } catch (e) {
    const error = e as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (error.code === 'ENOENT') throw new Error('openssl is required for this test (Debian package "openssl").');
    return `${error.stdout ?? ''}${error.stderr ?? ''}`;
  }
}

/** PEM with the label of RFC 7468 §5 ("X509 CRL"), which OpenSSL expects. */
function crlPem(der: Uint8Array): string {
  const lines = Buffer.from(der)
    .toString('base64')
    .match(/.{1,64}/g)!;
  return `-----BEGIN X509 CRL-----\n${lines.join('\n')}\n-----END X509 CRL-----\n`;
}

describe('LocalCa, as OpenSSL sees it', () => {
  it('issues a certificate OpenSSL verifies for client auth, shows the UPN, and finds revoked after revoke', async () => {
    const dir = await tempDataDir();
    const ca = new LocalCa({ upnSuffix: 'example.com', dataDir: dir, validityDays: 30 });
    const issued = await ca.enroll((await cardCsrFixture('ECCP256')).csr, { userName: 'alice', upn: 'alice@example.com' });
    const files = { ca: join(dir, 'ca.pem'), leaf: join(dir, 'leaf.pem'), crl: join(dir, 'crl.pem') };
    await writeFile(files.ca, new x509.X509Certificate(issued.chain[0]!).toString('pem'));
    await writeFile(files.leaf, new x509.X509Certificate(issued.certificate).toString('pem'));

    expect(await openssl(['verify', '-CAfile', files.ca, '-purpose', 'sslclient', files.leaf])).toContain(`${files.leaf}: OK`);
    const text = await openssl(['x509', '-in', files.leaf, '-noout', '-text']);
    expect(text).toContain('othername: UPN::alice@example.com');
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature\n/);
    expect(text).toContain('TLS Web Client Authentication, Microsoft Smartcard Login');

    await writeFile(files.crl, crlPem(await ca.crl()));
    expect(await openssl(['verify', '-crl_check', '-CAfile', files.ca, '-CRLfile', files.crl, files.leaf])).toContain(`${files.leaf}: OK`);
    await ca.revoke(issued.certificate, 'keyCompromise');
    await writeFile(files.crl, crlPem(await ca.crl()));
    const revoked = await openssl(['verify', '-crl_check', '-CAfile', files.ca, '-CRLfile', files.crl, files.leaf]);
    expect(revoked).toContain('certificate revoked');
  });

  it('is name-constrained to the upnSuffix: OpenSSL refuses what a stolen CA key signs for other names, and accepts the suffix', async () => {
    const dir = await tempDataDir();
    const ca = new LocalCa({ upnSuffix: 'example.com', dataDir: dir, validityDays: 30 });
    const [caDer] = await ca.caCertificates();
    const caCert = new x509.X509Certificate(caDer!);
    const caFile = join(dir, 'ca.pem');
    await writeFile(caFile, caCert.toString('pem'));
    const caText = await openssl(['x509', '-in', caFile, '-noout', '-text']);
    expect(caText).toMatch(/X509v3 Name Constraints: critical\s+Permitted:\s+DNS:example\.com\s+email:example\.com\s+email:\.example\.com\n/);

    // What someone who copied ca-key.pem could sign, outside the app.
    const pkcs8 = createPrivateKey(await readFile(join(dir, 'local-ca', 'ca-key.pem'))).export({ format: 'der', type: 'pkcs8' });
    const caKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
    const subjectKeys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    const verify = async (name: string, san: x509.JsonGeneralName[]): Promise<string> => {
      const cert = await x509.X509CertificateGenerator.create(
        {
          subject: 'CN=rogue',
          issuer: caCert.subjectName,
          notBefore: new Date(Date.now() - 60_000),
          notAfter: new Date(Date.now() + 86_400_000),
          publicKey: subjectKeys.publicKey,
          signingKey: caKey,
          signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
          extensions: [new x509.SubjectAlternativeNameExtension(san, false)],
        },
        webcrypto,
      );
      const file = join(dir, `${name}.pem`);
      await writeFile(file, cert.toString('pem'));
      return openssl(['verify', '-CAfile', caFile, file]);
    };
    expect(await verify('in-suffix-dns', [{ type: 'dns', value: 'host.example.com' }])).toContain(': OK');
    expect(await verify('in-suffix-mail', [{ type: 'email', value: 'alice@example.com' }])).toContain(': OK');
    expect(await verify('other-dns', [{ type: 'dns', value: 'www.bank.example' }])).toContain('permitted subtree violation');
    expect(await verify('other-mail', [{ type: 'email', value: 'mallory@other.example' }])).toContain('permitted subtree violation');
  });
});
