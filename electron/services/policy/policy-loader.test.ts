import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, loadPolicy, parsePolicy, PolicyError } from './policy-loader.ts';

function problemsOf(raw: unknown): readonly string[] {
  try {
    parsePolicy(raw);
  } catch (e) {
    if (e instanceof PolicyError) return e.problems;
    throw e;
  }
  throw new Error('expected the policy to be refused');
}

/** { a: { b: value } } from 'a.b'. */
function withField(path: string, value: unknown, base: Record<string, unknown> = {}): Record<string, unknown> {
  const [head, ...rest] = path.split('.');
  const inner = (base[head!] as Record<string, unknown> | undefined) ?? {};
  return { ...base, [head!]: rest.length === 0 ? value : withField(rest.join('.'), value, inner) };
}

async function file(content: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'wfa-policy-')), 'policy.json');
  await writeFile(path, content);
  return path;
}

describe('policy defaults', () => {
  it('an empty policy, or no file at all, gives the local CA and the documented defaults', async () => {
    expect(parsePolicy({})).toEqual(DEFAULT_POLICY);
    expect(DEFAULT_POLICY).toEqual({
      enrollment: { backend: 'local', allowHttp: false, timeoutSeconds: 20 },
      identity: { upnSuffix: 'workforce.local' },
      certificate: { validityDays: 365, requiredEku: ['clientAuth', 'smartcardLogon'], requireUpn: true },
      key: { algorithm: 'RSA2048' },
      pin: { digitsOnly: false },
      puk: { mode: 'random' },
      renewal: { noticeDays: 30, urgentDays: 7, finalDays: 1 },
      attestation: { require: false, extraRoots: [] },
    });
    expect(await loadPolicy({ env: {} })).toEqual({ policy: DEFAULT_POLICY, source: null, ignored: [] });
  });

  it('accepts the example of design.md, and lower-cases the pin', () => {
    const pin = `sha256:${'AB'.repeat(32)}`;
    const policy = parsePolicy({
      enrollment: { backend: 'scep', scepUrl: 'http://ca.example/scep', challenge: 'secret', caPin: pin, raPin: pin, allowHttp: true, timeoutSeconds: 20 },
      identity: { upnSuffix: 'example.com' },
      certificate: { validityDays: 365, requiredEku: ['clientAuth', 'smartcardLogon'], requireUpn: true },
      key: { algorithm: 'RSA2048' },
      pin: { digitsOnly: false },
      puk: { mode: 'keep' },
      renewal: { noticeDays: 30, urgentDays: 7, finalDays: 1 },
      attestation: { require: false, extraRoots: [] },
    });
    expect(policy.enrollment.caPin).toBe(pin.toLowerCase());
    expect(policy.key.algorithm).toBe('RSA2048');
  });

  it('SCEP needs an RSA key: the CA encrypts the certificate to it', () => {
    const scep = { backend: 'scep', scepUrl: 'https://ca.example/scep', caPin: `sha256:${'ab'.repeat(32)}` };
    expect(() => parsePolicy({ enrollment: scep, key: { algorithm: 'ECCP256' } })).toThrow(
      /key\.algorithm: must be "RSA2048" when enrollment\.backend is "scep"/,
    );
    expect(parsePolicy({ key: { algorithm: 'ECCP256' } }).key.algorithm).toBe('ECCP256');
  });

  it('takes attestation.require and PEM roots in attestation.extraRoots', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    expect(parsePolicy({ attestation: { require: true, extraRoots: [pem] } }).attestation).toEqual({ require: true, extraRoots: [pem] });
    expect(() => parsePolicy({ attestation: { extraRoots: ['not a certificate'] } })).toThrow(/attestation\.extraRoots\.0: must be one PEM certificate/);
    expect(() => parsePolicy({ attestation: { require: 'yes' } })).toThrow(/attestation\.require/);
  });

  it('accepts any whole number of validity days from 1', () => {
    expect(parsePolicy({ certificate: { validityDays: 1 } }).certificate.validityDays).toBe(1);
    expect(parsePolicy({ certificate: { validityDays: 5 } }).certificate.validityDays).toBe(5);
  });
});

describe('policy validation names every bad field', () => {
  const scep = { enrollment: { backend: 'scep', scepUrl: 'https://ca.example/scep', caPin: `sha256:${'0'.repeat(64)}` } };
  it.each<[string, unknown, Record<string, unknown>?]>([
    ['enrollment.backend', 'ldap'],
    ['enrollment.scepUrl', 'ftp://ca.example/scep', scep],
    ['enrollment.scepUrl', 'not a url', scep],
    ['enrollment.challenge', ''],
    ['enrollment.caPin', 'md5:abcd'],
    ['enrollment.caPin', `sha256:${'0'.repeat(63)}`],
    ['enrollment.raPin', 'sha1:abcd'],
    ['enrollment.allowHttp', 'yes'],
    ['enrollment.timeoutSeconds', 0],
    ['enrollment.timeoutSeconds', 1.5],
    ['enrollment.timeoutSeconds', 301],
    ['identity.upnSuffix', 'not a domain!'],
    ['certificate.validityDays', 0],
    ['certificate.validityDays', 2.5],
    ['certificate.validityDays', 3651],
    ['certificate.requiredEku', []],
    ['certificate.requiredEku', ['anyPurpose']],
    ['certificate.requireUpn', 'yes'],
    ['key.algorithm', 'RSA1024'],
    ['pin.digitsOnly', 1],
    ['puk.mode', 'blank'],
    ['renewal.noticeDays', 0],
    ['renewal.urgentDays', 400],
    ['renewal.finalDays', -1],
  ])('%s = %j', (path, value, base) => {
    const problems = problemsOf(withField(path, value, base));
    expect(problems.some((p) => p.startsWith(path))).toBe(true);
  });

  it('a section of the wrong type is named', () => {
    expect(problemsOf({ certificate: 'long' }).some((p) => p.startsWith('certificate:'))).toBe(true);
  });

  it('renewal stages out of order are named', () => {
    expect(problemsOf({ renewal: { noticeDays: 5, urgentDays: 7, finalDays: 1 } }).some((p) => p.startsWith('renewal:') && p.includes('noticeDays'))).toBe(
      true,
    );
  });

  it('SCEP over plain http:// needs "allowHttp": true', () => {
    const http = { backend: 'scep', scepUrl: 'http://ndes.example/certsrv/mscep/mscep.dll', caPin: `sha256:${'0'.repeat(64)}` };
    expect(problemsOf({ enrollment: http })).toEqual([
      expect.stringMatching(/^enrollment\.scepUrl: is a plain http:\/\/ URL: use https:\/\/, or set "allowHttp": true/),
    ]);
    expect(parsePolicy({ enrollment: { ...http, allowHttp: true } }).enrollment.allowHttp).toBe(true);
    expect(parsePolicy({ enrollment: { ...http, scepUrl: 'https://ndes.example/certsrv/mscep/mscep.dll' } }).enrollment.allowHttp).toBe(false);
  });

  it('SCEP needs scepUrl and caPin', () => {
    const problems = problemsOf({ enrollment: { backend: 'scep' } });
    expect(problems).toContain('enrollment.scepUrl: is required when backend is "scep"');
    expect(problems).toContain('enrollment.caPin: is required when backend is "scep"');
  });

  it('unknown fields are named, at the top and inside sections, all at once with the bad values', () => {
    const problems = problemsOf({ enrolment: {}, certificate: { validityDays: 0, template: 'x' }, key: { algorithm: 'RSA2048', slot: '9a' } });
    expect(problems).toContain('enrolment: unknown field');
    expect(problems).toContain('certificate.template: unknown field');
    expect(problems).toContain('key.slot: unknown field');
    expect(problems.some((p) => p.startsWith('certificate.validityDays:'))).toBe(true);
  });

  it('the error message lists every problem and says what to do', () => {
    try {
      parsePolicy({ key: { algorithm: 'DSA' }, pin: { digitsOnly: 'no' } }, '/etc/wfa/policy.json');
      throw new Error('expected a PolicyError');
    } catch (e) {
      expect(e).toBeInstanceOf(PolicyError);
      const error = e as PolicyError;
      expect(error.code).toBe('POLICY_INVALID');
      expect(error.message).toMatch(
        /^The organisation policy in \/etc\/wfa\/policy\.json is not valid:\n {2}- key\.algorithm: .*\n {2}- pin\.digitsOnly: .*\nAsk your administrator to correct it\.$/,
      );
    }
  });
});

describe('loadPolicy sources', () => {
  it('--config wins over WFA_POLICY, which wins over the per-user settings', async () => {
    const flag = await file('{"certificate":{"validityDays":10}}');
    const env = await file('{"certificate":{"validityDays":20}}');
    const settings = await file('{"certificate":{"validityDays":30}}');
    const days = async (sources: Parameters<typeof loadPolicy>[0]): Promise<number> => (await loadPolicy(sources)).policy.certificate.validityDays;
    expect(await days({ configFlag: flag, env: { WFA_POLICY: env }, settingsPath: settings })).toBe(10);
    expect(await days({ env: { WFA_POLICY: env }, settingsPath: settings })).toBe(20);
    expect(await days({ env: {}, settingsPath: settings })).toBe(30);
    expect((await loadPolicy({ configFlag: flag, env: {} })).source).toBe(flag);
  });

  it('a file that does not exist, cannot be read or is not JSON is a POLICY_INVALID naming the file', async () => {
    const missing = await loadPolicy({ configFlag: '/nonexistent/wfa-policy.json' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(PolicyError);
    expect((missing as PolicyError).file).toBe('/nonexistent/wfa-policy.json');
    expect((missing as PolicyError).problems).toEqual(['cannot be read: the file does not exist']);

    const folder = await mkdtemp(join(tmpdir(), 'wfa-policy-dir-'));
    const unreadable = await loadPolicy({ configFlag: folder }).catch((e: unknown) => e);
    expect((unreadable as PolicyError).problems[0]).toMatch(/^cannot be read: .*EISDIR/);

    const broken = await loadPolicy({ configFlag: await file('{"enrollment": {') }).catch((e: unknown) => e);
    expect((broken as PolicyError).problems[0]).toMatch(/^is not valid JSON: /);

    const bad = await loadPolicy({ env: { WFA_POLICY: await file('{"key":{"algorithm":"DSA"}}') } }).catch((e: unknown) => e);
    expect((bad as PolicyError).problems[0]).toMatch(/^key\.algorithm: /);
  });
});
