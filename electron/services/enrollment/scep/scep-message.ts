// SCEP requests (RFC 8894 §3): a pkiMessage is a CMS SignedData whose content
// is an EnvelopedData (the pkcsPKIEnvelope) encrypted to the CA or RA. The
// SignedData is signed on the card with the CSR's own key, under a transient
// self-signed certificate for that key (RFC 8894 §2.3), so no private key
// ever leaves the card; the CA encrypts its answer to that same key.
import {
  ContentEncryptionAlgorithmIdentifier,
  DigestAlgorithmIdentifier,
  DigestAlgorithmIdentifiers,
  EncapsulatedContent,
  EncapsulatedContentInfo,
  EncryptedContent,
  EncryptedContentInfo,
  EnvelopedData,
  KeyEncryptionAlgorithmIdentifier,
  KeyTransRecipientInfo,
  RecipientIdentifier,
  RecipientInfo,
  RecipientInfos,
  SignatureAlgorithmIdentifier,
  SignedData,
  SignerIdentifier,
  SignerInfo,
  SignerInfos,
  UnprotectedAttributes,
} from '@peculiar/asn1-cms';
import { AsnConvert, AsnProp, AsnType, AsnTypeTypes, OctetString } from '@peculiar/asn1-schema';
import { Certificate, Name } from '@peculiar/asn1-x509';
import { createHash, randomBytes } from 'node:crypto';
import * as x509 from '../../../../native/x509.ts';
import type { CardCsr } from '../backend.ts';
import { Attribute, bytes, certificateSet, der, derOrdered, issuerAndSerial, octetsValue, oidValue, printableValue, wrapContentInfo } from './scep-cms.ts';
import { CMS, CONTENT_CIPHER, DIGEST_OID, type DigestName, type MESSAGE_TYPE, NONCE_LENGTH, RSA_ENCRYPTION, SCEP_ATTRIBUTE } from './scep-constants.ts';
import { encryptContent, encryptKeyRsa } from './scep-crypto.ts';

/** The transient certificate for the card's key that signs this transaction's requests. */
export interface RequestSigner {
  readonly certificateDer: Uint8Array;
  readonly csr: CardCsr;
}

const NODE_HASH: Readonly<Record<DigestName, string>> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

export function digestName(csr: CardCsr): DigestName {
  const hash = csr.signingAlgorithm.hash;
  if (hash === 'SHA-256' || hash === 'SHA-384' || hash === 'SHA-512') return hash;
  throw new Error(`unsupported signing hash ${hash}`);
}

/**
 * The signer certificate of RFC 8894 §2.3: self-signed, the CSR's subject and
 * key, keyUsage digitalSignature and keyEncipherment. It lives for this
 * transaction only; its validity starts a little in the past so that a CA
 * whose clock runs behind still accepts it.
 */
export async function createRequestSigner(csr: CardCsr): Promise<RequestSigner> {
  const request = new x509.Pkcs10CertificateRequest(csr.csrDer);
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01; // positive and without leading zero (RFC 5280 §4.1.2.2)
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial.toString('hex'),
      name: request.subject === '' ? 'CN=SCEP requester' : request.subjectName,
      notBefore: new Date(now - 60 * 60 * 1000),
      notAfter: new Date(now + 24 * 60 * 60 * 1000),
      keys: csr.keys,
      signingAlgorithm: csr.signingAlgorithm,
      extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true)],
    },
    csr.crypto,
  );
  return { certificateDer: new Uint8Array(certificate.rawData), csr };
}

/** transactionID: hex SHA-256 of the requester's public key (SubjectPublicKeyInfo DER), RFC 8894 §3.2.1.1. */
export function transactionIdFor(csrDer: Uint8Array): string {
  const spki = new Uint8Array(new x509.Pkcs10CertificateRequest(csrDer).publicKey.rawData);
  return createHash('sha256').update(spki).digest('hex');
}

/** IssuerAndSubject ::= SEQUENCE { issuer Name, subject Name }, RFC 8894 §3.3.3 (CertPoll). */
class IssuerAndSubject {
  issuer = new Name();
  subject = new Name();
  constructor(params: Partial<IssuerAndSubject> = {}) {
    Object.assign(this, params);
  }
}
// asn1-schema's schema decorators, applied as plain calls (this project does not compile decorators).
AsnType({ type: AsnTypeTypes.Sequence })(IssuerAndSubject);
AsnProp({ type: Name })(IssuerAndSubject.prototype, 'issuer');
AsnProp({ type: Name })(IssuerAndSubject.prototype, 'subject');

/** The CertPoll content: the issuing CA's name and the subject asked for. */
export function issuerAndSubject(caCertificateDer: Uint8Array, csrDer: Uint8Array): Uint8Array {
  const issuer = AsnConvert.parse(caCertificateDer, Certificate).tbsCertificate.subject;
  const subject = AsnConvert.parse(new x509.Pkcs10CertificateRequest(csrDer).subjectName.toArrayBuffer(), Name);
  return der(new IssuerAndSubject({ issuer, subject }));
}

/** pkcsPKIEnvelope (RFC 8894 §3.2.2): EnvelopedData v0 with one RSA key-transport recipient (RFC 5652 §6.1, §6.2.1). */
export function envelope(content: Uint8Array, recipient: x509.X509Certificate, cipher: 'aes-128-cbc' | 'des-ede3-cbc'): Uint8Array {
  const encrypted = encryptContent(cipher, content);
  const recipientDer = new Uint8Array(recipient.rawData);
  const encryptedKey = encryptKeyRsa(new Uint8Array(recipient.publicKey.rawData), encrypted.key);
  encrypted.key.fill(0);
  const enveloped = new EnvelopedData({
    version: 0,
    recipientInfos: new RecipientInfos([
      new RecipientInfo({
        ktri: new KeyTransRecipientInfo({
          version: 0,
          rid: new RecipientIdentifier({ issuerAndSerialNumber: issuerAndSerial(recipientDer) }),
          // rsaEncryption takes NULL parameters, RFC 3370 §4.2.1.
          keyEncryptionAlgorithm: new KeyEncryptionAlgorithmIdentifier({ algorithm: RSA_ENCRYPTION, parameters: null }),
          encryptedKey: new OctetString(encryptedKey),
        }),
      }),
    ]),
    encryptedContentInfo: new EncryptedContentInfo({
      contentType: CMS.data,
      // The IV is the parameter of both AES-CBC (RFC 3565 §4.1) and DES-EDE3-CBC (RFC 3370 §5.1).
      contentEncryptionAlgorithm: new ContentEncryptionAlgorithmIdentifier({
        algorithm: CONTENT_CIPHER[cipher].oid,
        parameters: AsnConvert.serialize(new OctetString(encrypted.iv)),
      }),
      encryptedContent: new EncryptedContent({ value: new OctetString(encrypted.ciphertext) }),
    }),
  });
  return wrapContentInfo(CMS.envelopedData, der(enveloped));
}

export interface PkiRequest {
  readonly der: Uint8Array;
  readonly senderNonce: Uint8Array;
}

/**
 * Signs `envelopeDer` into a pkiMessage (RFC 8894 §3.2) with the SCEP
 * attributes of RFC 8894 §3.2.1 and the CMS ones RFC 5652 §5.3 requires
 * (contentType, messageDigest). The signature is made on the card.
 */
export async function signPkiMessage(params: {
  messageType: (typeof MESSAGE_TYPE)['PKCSReq' | 'CertPoll'];
  transactionId: string;
  envelopeDer: Uint8Array;
  signer: RequestSigner;
}): Promise<PkiRequest> {
  const { signer } = params;
  const hash = digestName(signer.csr);
  const senderNonce = new Uint8Array(randomBytes(NONCE_LENGTH));
  const attributes = derOrdered([
    new Attribute({ attrType: CMS.contentTypeAttribute, attrValues: [oidValue(CMS.data)] }),
    new Attribute({
      attrType: CMS.messageDigestAttribute,
      attrValues: [octetsValue(new Uint8Array(createHash(NODE_HASH[hash]).update(params.envelopeDer).digest()))],
    }),
    new Attribute({ attrType: SCEP_ATTRIBUTE.messageType, attrValues: [printableValue(params.messageType)] }),
    new Attribute({ attrType: SCEP_ATTRIBUTE.transactionID, attrValues: [printableValue(params.transactionId)] }),
    new Attribute({ attrType: SCEP_ATTRIBUTE.senderNonce, attrValues: [octetsValue(senderNonce)] }),
  ]);
  // The signature covers the attributes DER-encoded as a SET OF (tag 0x31), RFC 5652 §5.4;
  // UnprotectedAttributes is asn1-cms's SET OF Attribute type, used here only to encode that.
  const signedBytes = der(new UnprotectedAttributes(attributes));
  const signature = await signer.csr.crypto.subtle.sign(signer.csr.signingAlgorithm, signer.csr.keys.privateKey, signedBytes);
  const digestAlgorithm = new DigestAlgorithmIdentifier({ algorithm: DIGEST_OID[hash] });
  const signed = new SignedData({
    version: 1, // RFC 5652 §5.1: issuerAndSerialNumber signers, id-data content, no attribute certificates
    digestAlgorithms: new DigestAlgorithmIdentifiers([digestAlgorithm]),
    encapContentInfo: new EncapsulatedContentInfo({
      eContentType: CMS.data,
      eContent: new EncapsulatedContent({ single: new OctetString(params.envelopeDer) }),
    }),
    certificates: certificateSet([signer.certificateDer]),
    signerInfos: new SignerInfos([
      new SignerInfo({
        version: 1,
        sid: new SignerIdentifier({ issuerAndSerialNumber: issuerAndSerial(signer.certificateDer) }),
        digestAlgorithm,
        signedAttrs: attributes,
        // rsaEncryption as the SignerInfo signature algorithm, RFC 3370 §3.2, with NULL parameters.
        signatureAlgorithm: new SignatureAlgorithmIdentifier({ algorithm: RSA_ENCRYPTION, parameters: null }),
        signature: new OctetString(bytes(signature)),
      }),
    ]),
  });
  return { der: wrapContentInfo(CMS.signedData, der(signed)), senderNonce };
}
