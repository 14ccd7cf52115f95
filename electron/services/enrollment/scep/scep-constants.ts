// The numbers SCEP (RFC 8894) and the CMS pieces it is built from put on
// the wire. Each says where it is defined.

/** SCEP signed attributes, RFC 8894 §3.2.1 (id-VeriSign 2.16.840.1.113733, id-pki 1, id-attributes 9). */
export const SCEP_ATTRIBUTE = {
  messageType: '2.16.840.1.113733.1.9.2',
  pkiStatus: '2.16.840.1.113733.1.9.3',
  failInfo: '2.16.840.1.113733.1.9.4',
  senderNonce: '2.16.840.1.113733.1.9.5',
  recipientNonce: '2.16.840.1.113733.1.9.6',
  transactionID: '2.16.840.1.113733.1.9.7',
  /** id-scep-failInfoText, RFC 8894 §3.2.1 (UTF8String). */
  failInfoText: '1.3.6.1.5.5.7.24.1',
} as const;

/** messageType values (PrintableString of a decimal number), RFC 8894 §3.2.1.2. */
export const MESSAGE_TYPE = {
  CertRep: '3',
  PKCSReq: '19',
  CertPoll: '20',
} as const;

/** pkiStatus values, RFC 8894 §3.2.1.3. */
export const PKI_STATUS = {
  SUCCESS: '0',
  FAILURE: '2',
  PENDING: '3',
} as const;

/** failInfo values, RFC 8894 §3.2.1.4. */
export const FAIL_INFO = {
  badAlg: '0',
  badMessageCheck: '1',
  badRequest: '2',
  badTime: '3',
  badCertId: '4',
} as const;

/** senderNonce length: "a 16-byte random number", RFC 8894 §3.2.1.5. */
export const NONCE_LENGTH = 16;

/** CMS content types (RFC 5652 §4, §5.1, §6.1) and signed attributes (RFC 5652 §11.1, §11.2). */
export const CMS = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  envelopedData: '1.2.840.113549.1.7.3',
  contentTypeAttribute: '1.2.840.113549.1.9.3',
  messageDigestAttribute: '1.2.840.113549.1.9.4',
} as const;

/** Digest algorithms, RFC 5754 §2 (and SHA-1, RFC 3370 §2.1, only to read old CAs' answers). */
export const DIGEST_OID = {
  'SHA-1': '1.3.14.3.2.26',
  'SHA-256': '2.16.840.1.101.3.4.2.1',
  'SHA-384': '2.16.840.1.101.3.4.2.2',
  'SHA-512': '2.16.840.1.101.3.4.2.3',
} as const;
export type DigestName = keyof typeof DIGEST_OID;

/** rsaEncryption, RFC 8017 Appendix C; as a CMS signature or key-transport algorithm, RFC 3370 §3.2 and §4.2.1. */
export const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';

/** Signature algorithms a CA may name in its SignerInfo: RFC 4055 §5 / RFC 5754 §3.2 (RSA), RFC 5758 §3.2 (ECDSA). */
export const SIGNATURE_OID_HASH: Readonly<Record<string, DigestName | null>> = {
  [RSA_ENCRYPTION]: null, // the hash is the SignerInfo's digestAlgorithm
  '1.2.840.113549.1.1.5': 'SHA-1',
  '1.2.840.113549.1.1.11': 'SHA-256',
  '1.2.840.113549.1.1.12': 'SHA-384',
  '1.2.840.113549.1.1.13': 'SHA-512',
  '1.2.840.10045.4.3.2': 'SHA-256',
  '1.2.840.10045.4.3.3': 'SHA-384',
  '1.2.840.10045.4.3.4': 'SHA-512',
};

/** sha256WithRSAEncryption, RFC 4055 §5: what this client names in its own SignerInfo. */
export const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';

/** Content-encryption algorithms: AES-CBC RFC 3565 §4.1, DES-EDE3-CBC RFC 3370 §5.1, DES-CBC RFC 8018 Appendix B.2.1. */
export const CONTENT_CIPHER = {
  'aes-128-cbc': { oid: '2.16.840.1.101.3.4.1.2', keyLength: 16 },
  'aes-192-cbc': { oid: '2.16.840.1.101.3.4.1.22', keyLength: 24 },
  'aes-256-cbc': { oid: '2.16.840.1.101.3.4.1.42', keyLength: 32 },
  'des-ede3-cbc': { oid: '1.2.840.113549.3.7', keyLength: 24 },
  'des-cbc': { oid: '1.3.14.3.2.7', keyLength: 8 },
} as const;
export type ContentCipherName = keyof typeof CONTENT_CIPHER;

/** PKCS #9 challengePassword, RFC 2985 §5.4.1 (how RFC 8894 §3.3.1 carries the enrolment secret in the CSR). */
export const CHALLENGE_PASSWORD_OID = '1.2.840.113549.1.9.7';

/** HTTP media types, RFC 8894 §4.1 (request), §4.2.1 (GetCACert answer), §4.3.1 (CertRep), §3.5.1 (GetCACaps). */
export const MEDIA_TYPE = {
  pkiMessage: 'application/x-pki-message',
  caCert: 'application/x-x509-ca-cert',
  caRaCert: 'application/x-x509-ca-ra-cert',
} as const;

/** Largest answer read from the service; micromdm/scep's server caps its bodies at the same 2 MiB (server/transport.go maxPayloadSize). */
export const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;
