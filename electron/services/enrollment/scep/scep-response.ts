// The CA's answer, CertRep (RFC 8894 §3.3.2): verified as signed by the
// pinned CA or an RA that chains to it, matched to our transaction and nonce,
// then read as SUCCESS (the certificate, in an envelope only the card's key
// opens), FAILURE (failInfo in words) or PENDING.
import { EnvelopedData, SignedData, type SignerInfo, UnprotectedAttributes } from '@peculiar/asn1-cms';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { X509Certificate as NodeX509Certificate, createHash, verify as verifySignature } from 'node:crypto';
import { EnrollmentError } from '../enrollment-error.ts';
import type { RejectReason } from '../../../ipc/error-facts.ts';
import type { CaBundle } from './scep-trust.ts';
import { bytes, certificatesFromDegenerate, der, identifies, oidValue, readOctets, readText, singleValue, unwrapContentInfo, valueEquals } from './scep-cms.ts';
import {
  CMS,
  CONTENT_CIPHER,
  DIGEST_OID,
  type DigestName,
  FAIL_INFO,
  MESSAGE_TYPE,
  PKI_STATUS,
  RSA_ENCRYPTION,
  SCEP_ATTRIBUTE,
  SIGNATURE_OID_HASH,
} from './scep-constants.ts';
import { cipherByOid, decodePkcs1v15Key, decryptContent } from './scep-crypto.ts';
import type { HttpAnswer } from './scep-http.ts';
import type { RequestSigner } from './scep-message.ts';

export type CertRep =
  | { readonly status: 'SUCCESS'; readonly certificates: readonly Uint8Array[] }
  | { readonly status: 'FAILURE'; readonly failInfo: string | undefined; readonly failInfoText: string | undefined }
  | { readonly status: 'PENDING' };

export interface Expected {
  readonly transactionId: string;
  readonly senderNonce: Uint8Array;
  readonly bundle: CaBundle;
  readonly signer: RequestSigner;
  readonly serviceName: string;
}

const NODE_HASH: Readonly<Record<DigestName, string>> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

function digestByOid(oid: string): DigestName | undefined {
  return (Object.keys(DIGEST_OID) as DigestName[]).find((name) => DIGEST_OID[name] === oid);
}

/** An answer that cannot be trusted or read: nothing from it reaches the key. */
export function untrustedAnswer(serviceName: string, why: string, cause?: unknown): EnrollmentError {
  return new EnrollmentError('CERTIFICATE_INVALID', { check: 'answer-unverified' }, { cause, detail: `${serviceName}: ${why}` });
}

/** Printable text from a service's error page, short, for `detail`. */
function excerpt(body: Uint8Array): string {
  return new TextDecoder()
    .decode(body.subarray(0, 300))
    .replace(/[^\x20-\x7e]+/g, ' ')
    .trim();
}

/** FAILURE (RFC 8894 §3.3.2.2) as ENROLLMENT_REJECTED, failInfo (§3.2.1.4) in words and the CA's own in `detail`. */
export function rejection(rep: Extract<CertRep, { status: 'FAILURE' }>, serviceName: string): EnrollmentError {
  const words: Readonly<Record<string, [string, RejectReason]>> = {
    [FAIL_INFO.badAlg]: ['badAlg', 'bad-algorithm'],
    [FAIL_INFO.badMessageCheck]: ['badMessageCheck', 'bad-message-check'],
    [FAIL_INFO.badRequest]: ['badRequest', 'bad-request'],
    [FAIL_INFO.badTime]: ['badTime', 'bad-time'],
    [FAIL_INFO.badCertId]: ['badCertId', 'bad-cert-id'],
  };
  const known = rep.failInfo === undefined ? undefined : words[rep.failInfo];
  const code = known === undefined ? `failInfo ${rep.failInfo ?? '(none)'}` : `${known[0]} (${rep.failInfo})`;
  const detail = `${serviceName}: ${code}${rep.failInfoText === undefined ? '' : `: ${rep.failInfoText}`}`;
  return new EnrollmentError('ENROLLMENT_REJECTED', { reason: known?.[1] ?? 'ca-refused' }, { detail });
}

/** Verifies the SignerInfo over its signed attributes (RFC 5652 §5.4) with the certificate it names. */
function verifySigner(info: SignerInfo, content: Uint8Array, certificateDer: Uint8Array): string | null {
  const digest = digestByOid(info.digestAlgorithm.algorithm);
  if (digest === undefined) return `unknown digest algorithm ${info.digestAlgorithm.algorithm}`;
  const sigHash = SIGNATURE_OID_HASH[info.signatureAlgorithm.algorithm];
  if (sigHash === undefined) return `unsupported signature algorithm ${info.signatureAlgorithm.algorithm}`;
  if (sigHash !== null && sigHash !== digest) return 'the signature and digest algorithms disagree';
  if (info.signedAttrs === undefined || info.signedAttrs.length === 0) return 'the answer has no signed attributes';
  const messageDigest = singleValue(info.signedAttrs, CMS.messageDigestAttribute);
  const contentType = singleValue(info.signedAttrs, CMS.contentTypeAttribute);
  if (messageDigest === undefined || contentType === undefined || !valueEquals(contentType, oidValue(CMS.data)))
    return "the answer's contentType or messageDigest attribute is missing or wrong";
  const computed = createHash(NODE_HASH[digest]).update(content).digest();
  if (!computed.equals(readOctets(messageDigest))) return "the answer's content does not match its messageDigest";
  // The signature covers the attributes DER-encoded with the SET OF tag, not the [0] IMPLICIT tag they
  // carry (RFC 5652 §5.4). asn1-schema keeps no raw bytes for a repeated field, so they are encoded again
  // in the order received, attribute values as received: for a DER signer (as §5.4 requires) the same bytes.
  const signed = der(new UnprotectedAttributes(info.signedAttrs));
  const publicKey = new NodeX509Certificate(certificateDer).publicKey;
  try {
    return verifySignature(NODE_HASH[digest], signed, publicKey, bytes(info.signature.buffer)) ? null : "the answer's signature does not verify";
  } catch (e) {
    return `the answer's signature could not be checked (${e instanceof Error ? e.message : String(e)})`;
  }
}

/** Opens the CertRep's pkcsPKIEnvelope (RFC 8894 §3.3.2.1): the key was encrypted to the card's key, so the card decrypts it. */
async function openEnvelope(envelopeDer: Uint8Array, expected: Expected): Promise<Uint8Array> {
  const { signer, serviceName } = expected;
  const decrypt = signer.csr.decrypt;
  if (decrypt === undefined) throw new Error("CardCsr.decrypt is required for SCEP (the CA encrypts its answer to the card's key)");
  let enveloped: EnvelopedData;
  try {
    enveloped = AsnConvert.parse(unwrapContentInfo(envelopeDer, CMS.envelopedData), EnvelopedData);
  } catch (e) {
    throw untrustedAnswer(serviceName, 'the certificate envelope is not a CMS EnvelopedData', e);
  }
  const ktri = enveloped.recipientInfos.map((r) => r.ktri).find((k) => k !== undefined && identifies(k.rid, signer.certificateDer));
  if (ktri === undefined) throw untrustedAnswer(serviceName, "the certificate envelope is not addressed to this request's key");
  if (ktri.keyEncryptionAlgorithm.algorithm !== RSA_ENCRYPTION)
    throw untrustedAnswer(serviceName, `the envelope's key is encrypted with ${ktri.keyEncryptionAlgorithm.algorithm}, not RSA PKCS #1 v1.5`);
  const info = enveloped.encryptedContentInfo;
  const cipher = cipherByOid(info.contentEncryptionAlgorithm.algorithm);
  const parameters = info.contentEncryptionAlgorithm.parameters;
  if (cipher === undefined || parameters === undefined || parameters === null)
    throw untrustedAnswer(serviceName, `the envelope uses an unsupported cipher ${info.contentEncryptionAlgorithm.algorithm}`);
  const encrypted =
    info.encryptedContent?.value ??
    (info.encryptedContent?.constructedValue === undefined
      ? undefined
      : new OctetString(Buffer.concat(info.encryptedContent.constructedValue.map((o) => bytes(o.buffer)))));
  if (encrypted === undefined) throw untrustedAnswer(serviceName, 'the certificate envelope is empty');
  const modulusLength = (new NodeX509Certificate(signer.certificateDer).publicKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
  const block = await decrypt(bytes(ktri.encryptedKey.buffer));
  const key = decodePkcs1v15Key(block, modulusLength, CONTENT_CIPHER[cipher].keyLength);
  block.fill(0);
  try {
    return decryptContent(cipher, key, readOctets(parameters), bytes(encrypted.buffer));
  } catch (e) {
    // One message for a bad key block and a bad content padding alike (RFC 3218 §2.3).
    throw untrustedAnswer(serviceName, 'the certificate envelope could not be decrypted with this security key', e);
  } finally {
    key.fill(0);
  }
}

/**
 * Reads a PKIOperation answer. Throws CA_PIN_MISMATCH when it is not signed
 * by the pinned CA, a CA below it or an RA it issued (scep-trust.ts), CERTIFICATE_INVALID
 * when it does not verify or belongs to another transaction, and
 * ENROLLMENT_REJECTED when the service answered with an HTTP error.
 */
export async function readCertRep(answer: HttpAnswer, expected: Expected): Promise<CertRep> {
  const { serviceName } = expected;
  if (answer.status < 200 || answer.status >= 300) {
    throw new EnrollmentError(
      'ENROLLMENT_REJECTED',
      { reason: 'service-error' },
      {
        detail: `${serviceName}: HTTP ${answer.status}${answer.body.length > 0 ? `: ${excerpt(answer.body)}` : ''}`,
      },
    );
  }
  let signed: SignedData;
  try {
    signed = AsnConvert.parse(unwrapContentInfo(answer.body, CMS.signedData), SignedData);
  } catch (e) {
    throw untrustedAnswer(serviceName, `the answer (${answer.contentType || 'unlabelled'}, ${answer.body.length} bytes) is not a CMS SignedData`, e);
  }
  const eContent = signed.encapContentInfo.eContent;
  let content: Uint8Array;
  try {
    content = eContent?.single !== undefined ? bytes(eContent.single.buffer) : eContent?.any !== undefined ? readOctets(eContent.any) : new Uint8Array(0);
  } catch (e) {
    throw untrustedAnswer(serviceName, 'the content of the answer is not an OCTET STRING', e);
  }
  let signerInfo: SignerInfo | undefined;
  let problem = 'the answer has no signer';
  for (const info of signed.signerInfos) {
    const certificate = expected.bundle.signers.find((c) => identifies(info.sid, new Uint8Array(c.rawData)));
    if (certificate === undefined) continue;
    let failed: string | null;
    try {
      failed = verifySigner(info, content, new Uint8Array(certificate.rawData));
    } catch (e) {
      failed = `the answer's signed attributes are malformed (${e instanceof Error ? e.message : String(e)})`;
    }
    if (failed === null) {
      signerInfo = info;
      break;
    }
    problem = failed;
  }
  if (signerInfo === undefined) {
    if (problem === 'the answer has no signer' && signed.signerInfos.length > 0) {
      throw new EnrollmentError(
        'CA_PIN_MISMATCH',
        { reason: 'answer-signer' },
        {
          detail: `${serviceName}: the CertRep's signer is not ${expected.bundle.pinned.subject}, a CA below it or an RA certificate issued directly by one of them`,
        },
      );
    }
    throw untrustedAnswer(serviceName, problem);
  }
  const attrs = signerInfo.signedAttrs ?? [];
  const text = (type: string): string | undefined => {
    const value = singleValue(attrs, type);
    return value === undefined ? undefined : readText(value);
  };
  let fields: { messageType?: string; transactionId?: string; recipientNonce?: Uint8Array; status?: string; failInfo?: string; failInfoText?: string };
  try {
    const nonce = singleValue(attrs, SCEP_ATTRIBUTE.recipientNonce);
    fields = {
      messageType: text(SCEP_ATTRIBUTE.messageType),
      transactionId: text(SCEP_ATTRIBUTE.transactionID),
      recipientNonce: nonce === undefined ? undefined : readOctets(nonce),
      status: text(SCEP_ATTRIBUTE.pkiStatus),
      failInfo: text(SCEP_ATTRIBUTE.failInfo),
      failInfoText: text(SCEP_ATTRIBUTE.failInfoText),
    };
  } catch (e) {
    throw untrustedAnswer(serviceName, "the answer's SCEP attributes are malformed", e);
  }
  if (fields.messageType !== MESSAGE_TYPE.CertRep) throw untrustedAnswer(serviceName, 'the answer is not a CertRep');
  if (fields.transactionId !== expected.transactionId) throw untrustedAnswer(serviceName, 'the answer belongs to another transaction');
  // recipientNonce must echo this request's senderNonce, RFC 8894 §3.2.1.5: a replayed old answer fails here.
  if (fields.recipientNonce === undefined || !Buffer.from(fields.recipientNonce).equals(expected.senderNonce))
    throw untrustedAnswer(serviceName, "the answer does not carry this request's nonce");
  if (fields.status === PKI_STATUS.PENDING) return { status: 'PENDING' };
  if (fields.status === PKI_STATUS.FAILURE) return { status: 'FAILURE', failInfo: fields.failInfo, failInfoText: fields.failInfoText };
  if (fields.status !== PKI_STATUS.SUCCESS) throw untrustedAnswer(serviceName, `unknown pkiStatus ${fields.status ?? '(none)'}`);
  const degenerate = await openEnvelope(content, expected);
  try {
    return { status: 'SUCCESS', certificates: certificatesFromDegenerate(degenerate) };
  } catch (e) {
    throw untrustedAnswer(serviceName, 'the decrypted answer holds no certificates', e);
  }
}
