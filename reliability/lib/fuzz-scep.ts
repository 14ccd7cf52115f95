// SCEP answers through the SCEP client (a CA's answer is untrusted input). Real answers come
// from the scripted SCEP CA on loopback (a CA and an RA, as NDES presents
// them), for a request made on an in-process virtual YubiKey. Cases mutate:
// the GetCACert answer (through its parser and the trust checks), the CertRep
// as sent (through readCertRep: signature, attributes), the CertRep's
// envelope and the certificates inside it re-signed by the RA (so the parsers
// behind the signature are reached), and now and then a whole enrollment with
// one of its three answers mutated. A case may succeed or fail with a typed
// error (an AppError code other than INTERNAL); anything else is a failure.
import { SignedData, UnprotectedAttributes, EncapsulatedContent } from '@peculiar/asn1-cms';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { createHash, sign } from 'node:crypto';
import fc from 'fast-check';
import * as x509 from '../../native/x509.ts';
import { toAppError } from '../../electron/services/app-error.ts';
import type { CardCsr } from '../../electron/services/enrollment/backend.ts';
import { cardCsr } from '../../electron/services/enrollment/scep/card-csr-test-support.ts';
import { type Authority, degenerateSignedData, makeAuthority, pinOf, startFakeCa } from '../../electron/services/enrollment/scep/fake-scep-ca-test-support.ts';
import { ScepBackend } from '../../electron/services/enrollment/scep/scep-backend.ts';
import { parseCaCertAnswer } from '../../electron/services/enrollment/scep/scep-ca.ts';
import { Attribute, der, octetsValue, unwrapContentInfo, wrapContentInfo } from '../../electron/services/enrollment/scep/scep-cms.ts';
import { CMS, MEDIA_TYPE, MESSAGE_TYPE } from '../../electron/services/enrollment/scep/scep-constants.ts';
import type { HttpAnswer } from '../../electron/services/enrollment/scep/scep-http.ts';
import { createRequestSigner, envelope, signPkiMessage, transactionIdFor } from '../../electron/services/enrollment/scep/scep-message.ts';
import { readCertRep, type Expected } from '../../electron/services/enrollment/scep/scep-response.ts';
import { type CaBundle, checkCaBundle } from '../../electron/services/enrollment/scep/scep-trust.ts';
import { describeError, type FuzzOptions, type FuzzResult, mutatedBytes, runFuzz, type Verdict } from './fuzz-run.ts';

const SERVICE = 'fuzz SCEP CA';
const IDENTITY = { userName: 'alice', upn: 'alice@example.com' };

export interface ScepMaterial {
  readonly caPin: string;
  readonly cacert: HttpAnswer;
  readonly bundle: CaBundle;
  readonly csr: CardCsr;
  /** One PKCSReq's context and the CA's real answers to it: SUCCESS, FAILURE, PENDING. */
  readonly expected: Expected;
  readonly certReps: readonly HttpAnswer[];
  /** The SUCCESS answer's plaintext (a degenerate SignedData with the issued certificate). */
  readonly issuedDegenerate: Uint8Array;
  readonly ra: Authority;
  readonly caUrl: string;
  stop(): Promise<void>;
}

/** Sets up the CA, the RA, a request on a virtual key, and records the CA's real answers. */
export async function recordScepAnswers(): Promise<ScepMaterial> {
  const ca = await makeAuthority('CN=Fuzz Root CA');
  const ra = await makeAuthority('CN=Fuzz RA', ca, false);
  const fake = await startFakeCa({
    ca,
    ra,
    steps: [{ status: 'SUCCESS' }, { status: 'FAILURE', failInfo: '2', failInfoText: 'not allowed' }, { status: 'PENDING' }, { status: 'SUCCESS' }],
  });
  const get = async (operation: string): Promise<HttpAnswer> => {
    const r = await fetch(`${fake.url}?operation=${operation}`);
    return { status: r.status, contentType: r.headers.get('content-type') ?? '', body: new Uint8Array(await r.arrayBuffer()) };
  };
  const cacert = await get('GetCACert');
  const caPin = pinOf(ca.certificate);
  const bundle = await checkCaBundle(parseCaCertAnswer(cacert, SERVICE), { caPin }, SERVICE);
  const { csr } = await cardCsr('RSA2048');
  const signer = await createRequestSigner(csr);
  const transactionId = transactionIdFor(csr.csrDer);
  const message = await signPkiMessage({
    messageType: MESSAGE_TYPE.PKCSReq,
    transactionId,
    envelopeDer: envelope(csr.csrDer, bundle.recipient, 'aes-128-cbc'),
    signer,
  });
  const certReps: HttpAnswer[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await fetch(`${fake.url}?operation=PKIOperation`, { method: 'POST', body: message.der, headers: { 'content-type': MEDIA_TYPE.pkiMessage } });
    certReps.push({ status: r.status, contentType: r.headers.get('content-type') ?? '', body: new Uint8Array(await r.arrayBuffer()) });
  }
  const expected: Expected = { transactionId, senderNonce: message.senderNonce, bundle, signer, serviceName: SERVICE };
  const success = await readCertRep(certReps[0]!, expected);
  if (success.status !== 'SUCCESS') throw new Error(`the fake CA's first answer is ${success.status}, not SUCCESS`);
  return {
    caPin,
    cacert,
    bundle,
    csr,
    expected,
    certReps,
    issuedDegenerate: degenerateSignedData(success.certificates),
    ra,
    caUrl: fake.url,
    stop: () => fake.stop(),
  };
}

/** The CertRep with another content, its messageDigest made to match and signed again by the RA: a trusted CA answering garbage. */
function resigned(certRep: Uint8Array, content: Uint8Array, ra: Authority): Uint8Array {
  const signed = AsnConvert.parse(unwrapContentInfo(certRep, CMS.signedData), SignedData);
  signed.encapContentInfo.eContent = new EncapsulatedContent({ single: new OctetString(content) });
  const info = signed.signerInfos[0]!;
  const attrs = (info.signedAttrs ?? []).map((a) =>
    a.attrType === CMS.messageDigestAttribute
      ? new Attribute({ attrType: a.attrType, attrValues: [octetsValue(new Uint8Array(createHash('sha256').update(content).digest()))] })
      : a,
  );
  info.signedAttrs = attrs;
  info.signature = new OctetString(new Uint8Array(sign('sha256', der(new UnprotectedAttributes(attrs)), ra.privateKey)));
  return wrapContentInfo(CMS.signedData, der(signed));
}

function typed(e: unknown, what: string): Verdict {
  const code = toAppError(e).code;
  return code === 'INTERNAL' ? { problem: `${what}: ${describeError(e)}` } : { outcome: code };
}

type ScepCase =
  | { readonly kind: 'GetCACert'; readonly body: Uint8Array; readonly contentType: string }
  | { readonly kind: 'CertRep'; readonly which: number; readonly body: Uint8Array }
  | { readonly kind: 'signed envelope'; readonly content: Uint8Array }
  | { readonly kind: 'signed certificates'; readonly content: Uint8Array }
  | {
      readonly kind: 'enrollment';
      readonly answer: 'GetCACaps' | 'GetCACert' | 'PKIOperation' | 'issued certificates';
      readonly mutate: (real: Uint8Array) => Uint8Array;
    };

function scepCases(m: ScepMaterial): fc.Arbitrary<ScepCase> {
  const envelopeOf = (certRep: Uint8Array): Uint8Array => {
    const content = AsnConvert.parse(unwrapContentInfo(certRep, CMS.signedData), SignedData).encapContentInfo.eContent?.single;
    return content === undefined ? new Uint8Array(0) : new Uint8Array(content.buffer);
  };
  const realEnvelope = envelopeOf(m.certReps[0]!.body);
  const contentTypes = fc.constantFrom(m.cacert.contentType, MEDIA_TYPE.caCert, MEDIA_TYPE.caRaCert, '', 'text/html');
  // A byte mutation chosen at generation time, applied to the answer the CA gives at run time.
  const mutator = fc
    .tuple(
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 6 }),
      fc.option(fc.nat()),
      fc.uint8Array({ maxLength: 32 }),
    )
    .map(([flips, cut, extra]) => (real: Uint8Array): Uint8Array => {
      const copy = Uint8Array.from(real);
      for (const [at, mask] of flips) if (copy.length > 0) copy[at % copy.length] = copy[at % copy.length]! ^ mask;
      return cut === null ? copy : Uint8Array.from([...copy.slice(0, cut % (copy.length + 1)), ...extra]);
    });
  return fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('GetCACert' as const), body: mutatedBytes(m.cacert.body), contentType: contentTypes }) },
    {
      weight: 5,
      arbitrary: fc
        .nat({ max: 2 })
        .chain((which) => fc.record({ kind: fc.constant('CertRep' as const), which: fc.constant(which), body: mutatedBytes(m.certReps[which]!.body) })),
    },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('signed envelope' as const), content: mutatedBytes(realEnvelope) }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('signed certificates' as const), content: mutatedBytes(m.issuedDegenerate) }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('enrollment' as const),
        answer: fc.constantFrom('GetCACaps' as const, 'GetCACert' as const, 'PKIOperation' as const, 'issued certificates' as const),
        mutate: mutator,
      }),
    },
  );
}

/** ScepBackend against the fake CA, with one of its answers mutated on the way back. */
async function mutatedEnrollment(m: ScepMaterial, c: Extract<ScepCase, { kind: 'enrollment' }>): Promise<void> {
  const mutating: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const operation = url.searchParams.get('operation');
    const real = await fetch(input, init);
    let body: Uint8Array;
    if (c.answer === 'issued certificates' && operation === 'PKIOperation' && init?.body instanceof Uint8Array) {
      // The CA's own answer, its certificates replaced by mutated ones, encrypted to this request and signed by the RA.
      const request = AsnConvert.parse(unwrapContentInfo(init.body, CMS.signedData), SignedData);
      const requester = new x509.X509Certificate(der(request.certificates![0]!.certificate));
      body = resigned(new Uint8Array(await real.arrayBuffer()), envelope(c.mutate(m.issuedDegenerate), requester, 'aes-128-cbc'), m.ra);
    } else if (operation === c.answer) {
      body = c.mutate(new Uint8Array(await real.arrayBuffer()));
    } else {
      return real;
    }
    return new Response(body, { status: real.status, headers: { 'content-type': real.headers.get('content-type') ?? '' } });
  };
  const backend = new ScepBackend({ url: m.caUrl, caPin: m.caPin, allowHttp: true, timeoutMs: 10_000, pollIntervalMs: 1, fetch: mutating });
  await backend.enroll(m.csr, IDENTITY);
}

export async function fuzzScepAnswers(options: FuzzOptions & { readonly material: ScepMaterial }): Promise<FuzzResult> {
  const m = options.material;
  return runFuzz(
    'SCEP answers',
    scepCases(m),
    async (c) => {
      try {
        switch (c.kind) {
          case 'GetCACert':
            await checkCaBundle(parseCaCertAnswer({ status: 200, contentType: c.contentType, body: c.body }, SERVICE), { caPin: m.caPin }, SERVICE);
            break;
          case 'CertRep':
            await readCertRep({ ...m.certReps[c.which]!, body: c.body }, m.expected);
            break;
          case 'signed envelope':
            await readCertRep({ ...m.certReps[0]!, body: resigned(m.certReps[0]!.body, c.content, m.ra) }, m.expected);
            break;
          case 'signed certificates':
            await readCertRep(
              {
                ...m.certReps[0]!,
                body: resigned(m.certReps[0]!.body, envelope(c.content, new x509.X509Certificate(m.expected.signer.certificateDer), 'aes-128-cbc'), m.ra),
              },
              m.expected,
            );
            break;
          case 'enrollment':
            await mutatedEnrollment(m, c);
            break;
        }
        return { outcome: `${c.kind} ok` };
      } catch (e) {
        const verdict = typed(e, c.kind);
        return 'outcome' in verdict ? { outcome: `${c.kind} ${verdict.outcome}` } : verdict;
      }
    },
    options,
  );
}
