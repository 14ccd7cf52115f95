// Test support (not shipped code): a scripted SCEP CA on 127.0.0.1 for what
// scepserver never does (PENDING, each failInfo, an RA, tampered answers).
// It reads requests with @peculiar/asn1-cms and answers CertReps signed with
// a software CA key; a SUCCESS carries a certificate for the signer
// certificate's key (RFC 8894 §2.3: the key of the CSR), encrypted to it.
import {
  EnvelopedData,
  SignedData,
  SignerIdentifier,
  SignerInfo,
  SignerInfos,
  DigestAlgorithmIdentifier,
  DigestAlgorithmIdentifiers,
  EncapsulatedContent,
  EncapsulatedContentInfo,
  SignatureAlgorithmIdentifier,
  UnprotectedAttributes,
} from '@peculiar/asn1-cms';
import { AsnConvert, AsnUtf8StringConverter, OctetString } from '@peculiar/asn1-schema';
import { createHash, createPrivateKey, type KeyObject, randomBytes, sign, webcrypto } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import * as x509 from '../../../../native/x509.ts';
import {
  Attribute,
  certificateSet,
  der,
  derOrdered,
  issuerAndSerial,
  octetsValue,
  oidValue,
  printableValue,
  readOctets,
  readText,
  singleValue,
  unwrapContentInfo,
  wrapContentInfo,
} from './scep-cms.ts';
import { CMS, DIGEST_OID, MEDIA_TYPE, SCEP_ATTRIBUTE, SHA256_WITH_RSA } from './scep-constants.ts';
import { envelope } from './scep-message.ts';

const crypto = webcrypto as unknown as webcrypto.Crypto;
const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };

export interface Authority {
  readonly certificate: x509.X509Certificate;
  readonly privateKey: KeyObject;
  readonly keys: webcrypto.CryptoKeyPair;
}

/** A CA (basic constraints CA, keyCertSign), an RA (keyEncipherment, digitalSignature), or the extensions given. */
export async function makeAuthority(name: string, issuer?: Authority, kind: boolean | readonly x509.Extension[] = true): Promise<Authority> {
  const keys = (await crypto.subtle.generateKey(RSA, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const extensions =
    kind === true
      ? [
          new x509.BasicConstraintsExtension(true, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.digitalSignature, true),
        ]
      : kind === false
        ? [new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.digitalSignature, true)]
        : [...kind];
  const certificate =
    issuer === undefined
      ? await x509.X509CertificateGenerator.createSelfSigned({ name, keys, signingAlgorithm: RSA, extensions }, crypto)
      : await x509.X509CertificateGenerator.create(
          {
            subject: name,
            issuer: issuer.certificate.subject,
            publicKey: keys.publicKey,
            signingKey: issuer.keys.privateKey,
            signingAlgorithm: RSA,
            extensions,
          },
          crypto,
        );
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { certificate, keys, privateKey: createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }) };
}

export function pinOf(certificate: x509.X509Certificate): string {
  return `sha256:${createHash('sha256').update(new Uint8Array(certificate.publicKey.rawData)).digest('hex')}`;
}

/** What the CA does with one PKIOperation. */
export type Step =
  | { readonly status: 'SUCCESS' }
  | { readonly status: 'PENDING' }
  | { readonly status: 'FAILURE'; readonly failInfo: string; readonly failInfoText?: string }
  | { readonly status: 'HTTP'; readonly code: number; readonly body: string };

export interface SeenRequest {
  readonly messageType: string;
  readonly transactionId: string;
  readonly senderNonce: string;
  /** What we sent: the envelope's content cipher OID, the SignerInfo's digest OID, the recipient's serial (hex). */
  readonly cipherOid: string;
  readonly digestOid: string;
  readonly recipientSerial: string;
}

/** The algorithms and recipient of a pkiMessage (RFC 8894 §3.2): what a request carries besides its attributes. */
export function describeRequest(request: SignedData): Pick<SeenRequest, 'cipherOid' | 'digestOid' | 'recipientSerial'> {
  const content = request.encapContentInfo.eContent;
  const envelopeDer = content?.single !== undefined ? new Uint8Array(content.single.buffer) : readOctets(content!.any!);
  const enveloped = AsnConvert.parse(unwrapContentInfo(envelopeDer, CMS.envelopedData), EnvelopedData);
  const rid = enveloped.recipientInfos[0]!.ktri!.rid.issuerAndSerialNumber!;
  return {
    cipherOid: enveloped.encryptedContentInfo.contentEncryptionAlgorithm.algorithm,
    digestOid: request.signerInfos[0]!.digestAlgorithm.algorithm,
    recipientSerial: Buffer.from(rid.serialNumber)
      .toString('hex')
      .replace(/^(00)+/, ''),
  };
}

export interface FakeCaOptions {
  readonly ca: Authority;
  /** Also sent by GetCACert (degenerate PKCS #7); signs the CertReps when given. */
  readonly ra?: Authority;
  readonly steps: readonly Step[];
  /** Signs CertReps with this instead (an impostor). */
  readonly signWith?: Authority;
  readonly tamper?: 'recipientNonce' | 'signature' | 'transactionId';
  /** GetCACert sends exactly these, in this order (default: the CA, then the RA if any). */
  readonly caCerts?: readonly x509.X509Certificate[];
  /** The GetCACaps answer (default: SCEPStandard, POSTPKIOperation, SHA-256, AES). */
  readonly caps?: string;
  /** Issues the certificate (default: the CA). */
  readonly issueWith?: Authority;
  /** Requests to this path are redirected (307) to /scep with the same query. */
  readonly redirectFrom?: string;
}

export interface FakeCa {
  readonly url: string;
  readonly seen: SeenRequest[];
  /** Every request's operation (and the path, when it is not /scep), in order. */
  readonly operations: string[];
  stop(): Promise<void>;
}

/** A certs-only ("degenerate") SignedData: how a SCEP CA sends certificates (RFC 8894 §3.4). */
export function degenerateSignedData(certificates: readonly Uint8Array[]): Uint8Array {
  const signed = new SignedData({
    version: 1,
    digestAlgorithms: new DigestAlgorithmIdentifiers([]),
    encapContentInfo: new EncapsulatedContentInfo({ eContentType: CMS.data }),
    certificates: certificateSet(certificates),
    signerInfos: new SignerInfos([]),
  });
  return wrapContentInfo(CMS.signedData, der(signed));
}

async function certRep(options: FakeCaOptions, step: Exclude<Step, { status: 'HTTP' }>, request: SignedData): Promise<Uint8Array> {
  const info = request.signerInfos[0]!;
  const attrs = info.signedAttrs ?? [];
  const signerCertificate = new x509.X509Certificate(der(request.certificates![0]!.certificate));
  const signer = options.signWith ?? options.ra ?? options.ca;
  const issuer = options.issueWith ?? options.ca;
  let content: Uint8Array = new Uint8Array(0);
  if (step.status === 'SUCCESS') {
    const issued = await x509.X509CertificateGenerator.create(
      {
        subject: signerCertificate.subject,
        issuer: issuer.certificate.subject,
        publicKey: signerCertificate.publicKey,
        signingKey: issuer.keys.privateKey,
        signingAlgorithm: RSA,
        extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])],
      },
      crypto,
    );
    content = envelope(degenerateSignedData([new Uint8Array(issued.rawData)]), signerCertificate, 'aes-128-cbc');
  }
  const requestNonce = readOctets(singleValue(attrs, SCEP_ATTRIBUTE.senderNonce)!);
  const transactionId = readText(singleValue(attrs, SCEP_ATTRIBUTE.transactionID)!);
  const status = { SUCCESS: '0', FAILURE: '2', PENDING: '3' }[step.status];
  const list = [
    new Attribute({ attrType: CMS.contentTypeAttribute, attrValues: [oidValue(CMS.data)] }),
    new Attribute({ attrType: CMS.messageDigestAttribute, attrValues: [octetsValue(new Uint8Array(createHash('sha256').update(content).digest()))] }),
    new Attribute({ attrType: SCEP_ATTRIBUTE.messageType, attrValues: [printableValue('3')] }),
    new Attribute({ attrType: SCEP_ATTRIBUTE.pkiStatus, attrValues: [printableValue(status)] }),
    new Attribute({ attrType: SCEP_ATTRIBUTE.transactionID, attrValues: [printableValue(options.tamper === 'transactionId' ? 'another' : transactionId)] }),
    new Attribute({ attrType: SCEP_ATTRIBUTE.senderNonce, attrValues: [octetsValue(new Uint8Array(randomBytes(16)))] }),
    new Attribute({
      attrType: SCEP_ATTRIBUTE.recipientNonce,
      attrValues: [octetsValue(options.tamper === 'recipientNonce' ? new Uint8Array(randomBytes(16)) : requestNonce)],
    }),
  ];
  if (step.status === 'FAILURE') {
    list.push(new Attribute({ attrType: SCEP_ATTRIBUTE.failInfo, attrValues: [printableValue(step.failInfo)] }));
    if (step.failInfoText !== undefined)
      list.push(new Attribute({ attrType: SCEP_ATTRIBUTE.failInfoText, attrValues: [AsnUtf8StringConverter.toASN(step.failInfoText).toBER(false)] }));
  }
  const attributes = derOrdered(list);
  const signature = new Uint8Array(sign('sha256', der(new UnprotectedAttributes(attributes)), signer.privateKey));
  if (options.tamper === 'signature') signature[10] = signature[10]! ^ 0xff;
  const digestAlgorithm = new DigestAlgorithmIdentifier({ algorithm: DIGEST_OID['SHA-256'] });
  const signed = new SignedData({
    version: 1,
    digestAlgorithms: new DigestAlgorithmIdentifiers([digestAlgorithm]),
    encapContentInfo: new EncapsulatedContentInfo({
      eContentType: CMS.data,
      eContent: content.length > 0 ? new EncapsulatedContent({ single: new OctetString(content) }) : undefined,
    }),
    certificates: certificateSet([new Uint8Array(signer.certificate.rawData)]),
    signerInfos: new SignerInfos([
      new SignerInfo({
        version: 1,
        sid: new SignerIdentifier({ issuerAndSerialNumber: issuerAndSerial(new Uint8Array(signer.certificate.rawData)) }),
        digestAlgorithm,
        signedAttrs: attributes,
        signatureAlgorithm: new SignatureAlgorithmIdentifier({ algorithm: SHA256_WITH_RSA, parameters: null }),
        signature: new OctetString(signature),
      }),
    ]),
  });
  return wrapContentInfo(CMS.signedData, der(signed));
}

/** Starts the fake CA on a free 127.0.0.1 port; each PKIOperation takes the next step (the last one repeats). */
export async function startFakeCa(options: FakeCaOptions): Promise<FakeCa> {
  const seen: SeenRequest[] = [];
  const operations: string[] = [];
  const caCert = new Uint8Array(options.ca.certificate.rawData);
  const caCerts = options.caCerts?.map((c) => new Uint8Array(c.rawData));
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const operation = url.searchParams.get('operation');
        operations.push(url.pathname === '/scep' ? String(operation) : `${url.pathname} ${String(operation)}`);
        if (options.redirectFrom !== undefined && url.pathname === options.redirectFrom) {
          res.writeHead(307, { location: `/scep${url.search}` }).end();
        } else if (operation === 'GetCACaps') {
          res.writeHead(200, { 'content-type': 'text/plain' }).end(options.caps ?? 'SCEPStandard\nPOSTPKIOperation\nSHA-256\nAES\n');
        } else if (operation === 'GetCACert' && caCerts !== undefined) {
          res.writeHead(200, { 'content-type': MEDIA_TYPE.caRaCert }).end(degenerateSignedData(caCerts));
        } else if (operation === 'GetCACert' && options.ra === undefined) {
          res.writeHead(200, { 'content-type': MEDIA_TYPE.caCert }).end(caCert);
        } else if (operation === 'GetCACert') {
          res.writeHead(200, { 'content-type': MEDIA_TYPE.caRaCert }).end(degenerateSignedData([caCert, new Uint8Array(options.ra!.certificate.rawData)]));
        } else if (operation === 'PKIOperation') {
          const body =
            req.method === 'POST' ? new Uint8Array(Buffer.concat(chunks)) : new Uint8Array(Buffer.from(url.searchParams.get('message') ?? '', 'base64'));
          const request = AsnConvert.parse(unwrapContentInfo(body, CMS.signedData), SignedData);
          const attrs = request.signerInfos[0]!.signedAttrs ?? [];
          seen.push({
            ...describeRequest(request),
            messageType: readText(singleValue(attrs, SCEP_ATTRIBUTE.messageType)!),
            transactionId: readText(singleValue(attrs, SCEP_ATTRIBUTE.transactionID)!),
            senderNonce: Buffer.from(readOctets(singleValue(attrs, SCEP_ATTRIBUTE.senderNonce)!)).toString('hex'),
          });
          const step = options.steps[Math.min(seen.length, options.steps.length) - 1]!;
          if (step.status === 'HTTP') res.writeHead(step.code, { 'content-type': 'text/plain' }).end(step.body);
          else res.writeHead(200, { 'content-type': MEDIA_TYPE.pkiMessage }).end(await certRep(options, step, request));
        } else {
          res.writeHead(404).end();
        }
      })().catch((e: unknown) => res.writeHead(500).end(String(e)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/scep`,
    seen,
    operations,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
