// The local CA's key stays its own: the local CA refuses a key file others can read, and is
// name-constrained to the policy's upnSuffix (read back with @peculiar/x509
// and asn1-x509; OpenSSL's view is in local-ca.openssl.test.ts).
import { chmod, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { id_ce_nameConstraints, NameConstraints } from '@peculiar/asn1-x509';
import { describe, expect, it } from 'vitest';
import * as x509 from '../../../native/x509.ts';
import { toAppError } from '../app-error.ts';
import { EnrollmentError } from './enrollment-error.ts';
import { LocalCa } from './local-ca.ts';
import { LocalCaKeyExposedError } from './local-ca-store.ts';
import { cardCsrFixture, tempDataDir } from './test-support.ts';

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe.skipIf(process.platform === 'win32')('the CA key file', () => {
  it('is created readable by its owner only', async () => {
    const dataDir = await tempDataDir();
    await new LocalCa({ upnSuffix: 'example.com', dataDir, validityDays: 365 }).caCertificates();
    const { stat } = await import('node:fs/promises');
    expect((await stat(join(dataDir, 'local-ca', 'ca-key.pem'))).mode & 0o777).toBe(0o600);
  });

  it.each(['644', '640', '604', '620', '660'])(
    'with mode %s: the CA refuses to start (LOCAL_CA_KEY_EXPOSED), issues nothing, changes nothing',
    async (octal) => {
      const mode = Number.parseInt(octal, 8);
      const dataDir = await tempDataDir();
      await new LocalCa({ upnSuffix: 'example.com', dataDir, validityDays: 365 }).caCertificates();
      const keyFile = join(dataDir, 'local-ca', 'ca-key.pem');
      const before = await readFile(keyFile);
      await chmod(keyFile, mode);
      const ca = new LocalCa({ upnSuffix: 'example.com', dataDir, validityDays: 365 });
      for (const attempt of [
        ca.checkReachable(),
        ca.caCertificates(),
        ca.enroll((await cardCsrFixture()).csr, { userName: 'alice', upn: 'alice@example.com' }),
      ]) {
        const e = await rejection(attempt);
        expect(e).toBeInstanceOf(LocalCaKeyExposedError);
        expect(e.message).toContain(keyFile);
        expect(e.message).toContain(`chmod 600 "${keyFile}"`);
        expect(toAppError(e)).toMatchObject({ code: 'LOCAL_CA_KEY_EXPOSED', detail: `${keyFile}: mode ${mode.toString(8)}, expected 600` });
      }
      expect(await readFile(keyFile)).toEqual(before);
      // Fixed by its owner: the same CA starts again.
      await chmod(keyFile, 0o600);
      expect((await new LocalCa({ upnSuffix: 'example.com', dataDir, validityDays: 365 }).checkReachable()).reachable).toBe(true);
    },
    60_000,
  );
});

describe("the CA is name-constrained to the policy's upnSuffix", () => {
  it('its certificate carries critical name constraints: DNS names and mailboxes in the suffix', async () => {
    const [der] = await new LocalCa({ upnSuffix: 'corp.example', dataDir: await tempDataDir(), validityDays: 365 }).caCertificates();
    const extension = new x509.X509Certificate(der!).getExtension(id_ce_nameConstraints);
    expect(extension?.critical).toBe(true);
    const constraints = AsnConvert.parse(extension!.value, NameConstraints);
    expect(constraints.excludedSubtrees).toBeUndefined();
    expect(constraints.permittedSubtrees?.map((s) => s.base.dNSName ?? s.base.rfc822Name)).toEqual(['corp.example', 'corp.example', '.corp.example']);
  });

  it('issues UPNs in the suffix and below it, and refuses any other domain', async () => {
    const ca = new LocalCa({ upnSuffix: 'corp.example', dataDir: await tempDataDir(), validityDays: 365 });
    for (const upn of ['alice@corp.example', 'bob@eu.corp.example', 'carol@CORP.EXAMPLE']) {
      const issued = await ca.enroll((await cardCsrFixture()).csr, { userName: upn.split('@')[0]!, upn });
      expect(new x509.X509Certificate(issued.certificate).getExtension(x509.SubjectAlternativeNameExtension)?.names.toJSON()).toEqual([
        { type: 'upn', value: upn },
      ]);
    }
    for (const upn of ['mallory@example.com', 'mallory@notcorp.example', 'mallory@corp.example.evil']) {
      const e = await rejection(ca.enroll((await cardCsrFixture()).csr, { userName: 'mallory', upn }));
      expect(e).toBeInstanceOf(EnrollmentError);
      expect((e as EnrollmentError).code).toBe('ENROLLMENT_REJECTED');
      expect(e.message).toContain('outside corp.example');
    }
  }, 120_000);

  it('checkReachable says what the CA is constrained to', async () => {
    const report = await new LocalCa({ upnSuffix: 'corp.example', dataDir: await tempDataDir(), validityDays: 365 }).checkReachable();
    expect(report.details).toContain('Names: constrained to corp.example');
  }, 60_000);
});
