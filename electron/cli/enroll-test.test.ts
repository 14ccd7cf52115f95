import { webcrypto } from 'node:crypto';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import * as x509 from '../../native/x509.ts';
import { spkiPin } from '../services/enrollment/certificate-checks.ts';
import { runCli } from './main.ts';
import { secretReader } from './secrets-input.ts';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

interface Extra {
  readonly env?: Record<string, string | undefined>;
  readonly fetch?: typeof fetch;
}

async function wfa(args: string[], extra: Extra = {}): Promise<Run> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const input = new PassThrough();
  input.end('');
  const code = await runCli(args, {
    stdout,
    stderr,
    secrets: secretReader(input, stderr),
    transport: () => Promise.reject(new Error('enroll-test must not touch a card')),
    env: extra.env ?? {},
    fetch: extra.fetch,
  });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'wfa-enroll-test-'));
}

async function policyFile(content: unknown): Promise<string> {
  const file = join(await tempDir(), 'policy.json');
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('wfa enroll-test, local CA', () => {
  it('checks a local policy: exit 0, and prints the policy, the CA and its pin', async () => {
    const dataDir = await tempDir();
    const config = await policyFile({ enrollment: { backend: 'local' }, identity: { upnSuffix: 'example.com' }, certificate: { validityDays: 90 } });
    const r = await wfa(['enroll-test', '--config', config, '--data-dir', dataDir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`source: ${config}`);
    expect(r.stdout).toContain('backend: local');
    expect(r.stdout).toContain('validityDays: 90');
    expect(r.stdout).toMatch(/ok {3}reachability\n.*Local CA "Workforce Access Local CA" at .*local-ca \(created now\)/);
    expect(r.stdout).toMatch(/CN=Workforce Access Local CA: valid .* pin sha256:[0-9a-f]{64}/);
    expect(r.stdout).toContain("The policy's enrollment checks passed.");
    expect(await readdir(dataDir)).toEqual(['local-ca']);

    const json = await wfa(['enroll-test', '--config', config, '--data-dir', dataDir, '--json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { ok: boolean; found: { check: string; ok: boolean }[] };
    expect(report.ok).toBe(true);
    expect(report.found.map((f) => [f.check, f.ok])).toEqual([
      ['policy', true],
      ['reachability', true],
      ['ca-certificates', true],
      ['ca-pin', true],
    ]);
  });

  it('checks a pin set for the local CA: the right one passes, a wrong one is CA_PIN_MISMATCH', async () => {
    const dataDir = await tempDir();
    const first = await wfa(['enroll-test', '--data-dir', dataDir, '--json']);
    const pin = /set enrollment\.caPin to (sha256:[0-9a-f]{64})/.exec(first.stdout)![1]!;
    const good = await wfa(['enroll-test', '--config', await policyFile({ enrollment: { caPin: pin } }), '--data-dir', dataDir]);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain(`${pin} matches CN=Workforce Access Local CA`);
    const wrong = await wfa([
      'enroll-test',
      '--config',
      await policyFile({ enrollment: { caPin: `sha256:${'ab'.repeat(32)}` } }),
      '--data-dir',
      dataDir,
      '--json',
    ]);
    expect(wrong.code).toBe(3);
    // One object, so a script parses every outcome the same way: what was found travels inside the error.
    const out = JSON.parse(wrong.stdout) as { error: { code: string; message: string; found: { check: string; ok: boolean }[] } };
    expect(Object.keys(out)).toEqual(['error']);
    expect(out.error.code).toBe('CA_PIN_MISMATCH');
    expect(out.error.found.at(-1)).toMatchObject({ check: 'ca-pin', ok: false });
  });

  it('takes the policy from WFA_POLICY and the data folder from WFA_DATA_DIR; --config wins over WFA_POLICY', async () => {
    const dataDir = await tempDir();
    const fromEnv = await policyFile({ certificate: { validityDays: 7 } });
    const r = await wfa(['enroll-test'], { env: { WFA_POLICY: fromEnv, WFA_DATA_DIR: dataDir } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`source: ${fromEnv}`);
    expect(r.stdout).toContain(join(dataDir, 'local-ca'));
    const flag = await policyFile({ certificate: { validityDays: 8 } });
    const both = await wfa(['enroll-test', '--config', flag], { env: { WFA_POLICY: fromEnv, WFA_DATA_DIR: dataDir } });
    expect(both.stdout).toContain('validityDays: 8');
  });
});

describe('wfa enroll-test, bad input', () => {
  it('a policy that fails validation is POLICY_INVALID (exit 3), listing every bad field', async () => {
    const config = await policyFile({ enrollment: { backend: 'scep', bogus: 1 }, certificate: { validityDays: 0 }, key: { algorithm: 'DSA' } });
    const r = await wfa(['enroll-test', '--config', config, '--data-dir', await tempDir()]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^POLICY_INVALID: The organisation policy in .*policy\.json is not valid:/);
    for (const field of ['enrollment.bogus: unknown field', 'certificate.validityDays', 'key.algorithm', 'enrollment.scepUrl', 'enrollment.caPin'])
      expect(r.stderr).toContain(field);

    const json = await wfa(['enroll-test', '--config', config, '--json']);
    const out = JSON.parse(json.stdout) as { error: { code: string; problems: string[] } };
    expect(out.error.code).toBe('POLICY_INVALID');
    expect(out.error.problems.some((p) => p.startsWith('certificate.validityDays:'))).toBe(true);
  });

  it('a missing or non-JSON policy file is POLICY_INVALID', async () => {
    const missing = await wfa(['enroll-test', '--config', '/nonexistent/policy.json', '--json']);
    expect(missing.code).toBe(3);
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: { code: 'POLICY_INVALID', problems: ['cannot be read: the file does not exist'] } });
    const broken = await wfa(['enroll-test', '--config', await policyFile('{"enrollment": ')]);
    expect(broken.stderr).toMatch(/POLICY_INVALID: .*is not valid JSON/s);
  });

  it('extra arguments are a usage error (exit 2), and the key commands are still there', async () => {
    expect((await wfa(['enroll-test', 'now'])).code).toBe(2);
    expect((await wfa(['enroll-test', '--no-such-flag'])).code).toBe(2);
    const help = await wfa(['--help']);
    expect(help.stdout).toContain('enroll-test');
    expect(help.stdout).toContain('key info');
  });
});

/** A SCEP CA's certificate (RSA, as SCEP's key transport needs), for a fetch stand-in. */
async function scepCaCertificate(): Promise<x509.X509Certificate> {
  const keys = (await webcrypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  )) as webcrypto.CryptoKeyPair;
  return x509.X509CertificateGenerator.createSelfSigned(
    {
      name: 'CN=Example SCEP CA',
      keys,
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 365 * 86_400_000),
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      ],
    },
    webcrypto,
  );
}

/** Answers GetCACaps and GetCACert (one DER certificate, RFC 8894 §4.2.1.1) as a SCEP service would. */
function scepService(ca: x509.X509Certificate): typeof fetch {
  return (async (input: string | URL | Request) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const operation = url.searchParams.get('operation');
    if (operation === 'GetCACaps') return new Response('POSTPKIOperation\nSHA-256\nAES\nSCEPStandard\n', { headers: { 'content-type': 'text/plain' } });
    if (operation === 'GetCACert') return new Response(new Uint8Array(ca.rawData), { headers: { 'content-type': 'application/x-x509-ca-cert' } });
    return new Response('unexpected', { status: 400 });
  }) as typeof fetch;
}

describe('wfa enroll-test, SCEP', () => {
  it('runs GetCACaps, GetCACert and the pin check, and prints what the service offers', async () => {
    const ca = await scepCaCertificate();
    const pin = spkiPin(new Uint8Array(ca.rawData));
    const config = await policyFile({
      enrollment: { backend: 'scep', scepUrl: 'https://127.0.0.1:9/scep', caPin: pin, challenge: 'do-not-print-me' },
      certificate: { requiredEku: ['clientAuth'], requireUpn: false },
    });
    const r = await wfa(['enroll-test', '--config', config, '--data-dir', await tempDir()], { fetch: scepService(ca) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('backend: scep');
    expect(r.stdout).toContain('challenge: set in the policy');
    expect(r.stdout).not.toContain('do-not-print-me');
    expect(r.stdout).toMatch(/GetCACaps/);
    expect(r.stdout).toContain(`${pin} matches CN=Example SCEP CA`);
  });

  it('a service whose CA does not match the pin is CA_PIN_MISMATCH (exit 3)', async () => {
    const ca = await scepCaCertificate();
    const config = await policyFile({ enrollment: { backend: 'scep', scepUrl: 'https://127.0.0.1:9/scep', caPin: `sha256:${'00'.repeat(32)}` } });
    const r = await wfa(['enroll-test', '--config', config, '--json'], { fetch: scepService(ca) });
    expect(r.code).toBe(3);
    expect((JSON.parse(r.stdout) as { error: { code: string } }).error.code).toBe('CA_PIN_MISMATCH');
  });

  it('a service that is down is ENROLLMENT_UNREACHABLE (exit 3), naming where it looked', async () => {
    // A port nobody listens on: connecting is refused at once.
    const server = await import('node:net').then((net) => net.createServer());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const config = await policyFile({
      enrollment: { backend: 'scep', scepUrl: `http://127.0.0.1:${port}/scep`, allowHttp: true, caPin: `sha256:${'00'.repeat(32)}`, timeoutSeconds: 2 },
    });
    const r = await wfa(['enroll-test', '--config', config]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^ENROLLMENT_UNREACHABLE: .*VPN/);
    expect(r.stderr).toContain(`127.0.0.1:${port}/scep`);
    expect(r.stdout).toMatch(/FAIL reachability/);
  });
});
