// EnrollmentBackend over SCEP (RFC 8894) to an enterprise CA: Microsoft NDES
// in front of AD CS, or any SCEP CA (tests run micromdm/scep's scepserver).
// Order of a transaction: GetCACaps, GetCACert, the pin check (nothing is
// sent before it passes), PKCSReq, then CertPoll while the CA says PENDING.
import { setTimeout as sleep } from 'node:timers/promises';
import * as x509 from '../../../../native/x509.ts';
import type { CardCsr, EnrollmentBackend, EnrollmentIdentity, IssuedCertificate, ReachabilityReport } from '../backend.ts';
import { EnrollmentError } from '../enrollment-error.ts';
import { isRsaSpki, issuedBy, parseCaCertAnswer, spkiPin } from './scep-ca.ts';
import { CHALLENGE_PASSWORD_OID, MESSAGE_TYPE } from './scep-constants.ts';
import { type ScepCapabilities, ScepHttp } from './scep-http.ts';
import { createRequestSigner, digestName, envelope, issuerAndSubject, type RequestSigner, signPkiMessage, transactionIdFor } from './scep-message.ts';
import { type CertRep, readCertRep, rejection, untrustedAnswer } from './scep-response.ts';
import { type CaBundle, checkCaBundle } from './scep-trust.ts';

export interface ScepBackendOptions {
  readonly url: string;
  /** The enrollment challenge password (policy, or asked from the user); goes only into the encrypted CSR. */
  readonly challenge?: string;
  /** 'sha256:<hex>' of the CA certificate's SubjectPublicKeyInfo DER (design.md, "Organisation policy"). */
  readonly caPin: string;
  /** The same for the RA certificate requests are encrypted to (policy enrollment.raPin). */
  readonly raPin?: string | undefined;
  /** Plain http:// only when the policy says so (enrollment.allowHttp; README, "SCEP over http"). */
  readonly allowHttp?: boolean;
  /** Each HTTP request's limit, and how long a PENDING request is polled. */
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch;
  /** Time between CertPoll requests while the CA says PENDING; default 5 s. */
  readonly pollIntervalMs?: number;
}

const DEFAULT_POLL_INTERVAL_MS = 5_000;

/** PKCS #9 extensionRequest, RFC 2985 §5.4.2: @peculiar/x509 rebuilds it from `extensions`. */
const EXTENSION_REQUEST_OID = '1.2.840.113549.1.9.14';

interface Discovery {
  readonly caps: ScepCapabilities;
  readonly bundle: CaBundle;
}

export class ScepBackend implements EnrollmentBackend {
  readonly kind = 'scep' as const;
  private readonly http: ScepHttp;

  constructor(private readonly options: ScepBackendOptions) {
    this.http = new ScepHttp({
      url: options.url,
      timeoutMs: options.timeoutMs,
      allowHttp: options.allowHttp ?? false,
      fetch: options.fetch ?? globalThis.fetch,
    });
  }

  /** GetCACaps and GetCACert, then the pin check: the first thing every operation does. */
  private async discover(): Promise<Discovery> {
    const caps = await this.http.getCaCaps();
    const certificates = parseCaCertAnswer(await this.http.getCaCert(), this.http.serviceName);
    const bundle = await checkCaBundle(certificates, { caPin: this.options.caPin, raPin: this.options.raPin }, this.http.serviceName);
    return { caps, bundle };
  }

  async checkReachable(): Promise<ReachabilityReport> {
    const { caps, bundle } = await this.discover();
    const details = [
      `SCEP service: ${this.http.serviceName}`,
      `Capabilities (GetCACaps): ${caps.list.length > 0 ? capsText(caps) : '(none)'}`,
      `CA: ${bundle.pinned.subject}, valid until ${bundle.pinned.notAfter.toISOString()}`,
      `CA pin: matches the policy (${spkiPin(bundle.pinned)})`,
    ];
    if (bundle.recipient !== bundle.pinned)
      details.push(
        `Requests are encrypted to: ${bundle.recipient.subject} (${spkiPin(bundle.recipient)}${this.options.raPin === undefined ? '' : ", matches the policy's raPin"})`,
      );
    const cipher = requestCipher(caps);
    details.push(
      cipher === undefined ? 'Request encryption: the service offers neither AES nor triple DES; enrollment will be refused' : `Request encryption: ${cipher}`,
    );
    details.push(`PKIOperation: ${caps.post ? 'POST' : 'GET'}`);
    return { reachable: true, details };
  }

  async caCertificates(): Promise<readonly Uint8Array[]> {
    const { bundle } = await this.discover();
    return bundle.cas.map((c) => new Uint8Array(c.rawData));
  }

  // The identity is already in the CSR the caller built (subject, UPN): a SCEP CA decides from that.
  // Here it only names the request an administrator may have to approve.
  async enroll(csr: CardCsr, identity: EnrollmentIdentity): Promise<IssuedCertificate> {
    requireRsaKey(csr);
    const { caps, bundle } = await this.discover();
    const cipher = requestCipher(caps);
    if (cipher === undefined) {
      throw new EnrollmentError(
        'ENROLLMENT_REJECTED',
        { reason: 'only-single-des' },
        {
          detail: `${this.http.serviceName}: GetCACaps lists neither AES nor DES3 (${capsText(caps) || 'nothing'})`,
        },
      );
    }
    if (digestName(csr) !== 'SHA-256' || !caps.sha256) {
      throw new EnrollmentError(
        'ENROLLMENT_REJECTED',
        { reason: 'no-sha256' },
        {
          detail: `${this.http.serviceName}: GetCACaps lists ${capsText(caps) || 'nothing'}`,
        },
      );
    }
    const request = await this.withChallenge(csr);
    const signer = await createRequestSigner(request);
    const transactionId = transactionIdFor(request.csrDer);
    const send = async (messageType: (typeof MESSAGE_TYPE)['PKCSReq' | 'CertPoll'], content: Uint8Array): Promise<CertRep> => {
      const message = await signPkiMessage({ messageType, transactionId, envelopeDer: envelope(content, bundle.recipient, cipher), signer });
      const answer = await this.http.pkiOperation(message.der, caps.post);
      return readCertRep(answer, { transactionId, senderNonce: message.senderNonce, bundle, signer, serviceName: this.http.serviceName });
    };

    let rep = await send(MESSAGE_TYPE.PKCSReq, request.csrDer);
    const deadline = Date.now() + this.options.timeoutMs;
    const poll = issuerAndSubject(new Uint8Array(bundle.issuer.rawData), request.csrDer);
    while (rep.status === 'PENDING' && Date.now() < deadline) {
      await sleep(Math.min(this.options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS, Math.max(0, deadline - Date.now())));
      // CertPoll, RFC 8894 §3.3.3: same transaction, same signer, a fresh nonce.
      rep = await send(MESSAGE_TYPE.CertPoll, poll);
    }
    if (rep.status === 'PENDING') {
      throw new EnrollmentError(
        'ENROLLMENT_PENDING',
        {},
        {
          detail: `${this.http.serviceName}: the request for ${identity.upn} (transaction ${transactionId}) is still pending after ${Math.round(this.options.timeoutMs / 1000)} s`,
        },
      );
    }
    if (rep.status === 'FAILURE') throw rejection(rep, this.http.serviceName);
    return this.issued(rep.certificates, request, bundle, signer);
  }

  /** SCEP (RFC 8894) defines no revocation request: revocation is done at the CA itself. */
  async revoke(): Promise<boolean> {
    return false;
  }

  /**
   * The CSR with the challenge password (RFC 8894 §3.3.1, carried as PKCS #9
   * challengePassword, RFC 2985 §5.4.1): when a challenge is configured, the
   * CSR is made again on the card with the same subject, extensions and key.
   */
  private async withChallenge(csr: CardCsr): Promise<CardCsr> {
    // The user's enrollment password, else the policy's: a CA may give each user a one-time password.
    const challenge = csr.challenge ?? this.options.challenge;
    if (challenge === undefined) return csr;
    const original = new x509.Pkcs10CertificateRequest(csr.csrDer);
    const rebuilt = await x509.Pkcs10CertificateRequestGenerator.create(
      {
        name: original.subjectName,
        keys: csr.keys,
        signingAlgorithm: csr.signingAlgorithm,
        extensions: original.extensions,
        attributes: [
          ...original.attributes.filter((a) => a.type !== CHALLENGE_PASSWORD_OID && a.type !== EXTENSION_REQUEST_OID),
          new x509.ChallengePasswordAttribute(challenge),
        ],
      },
      csr.crypto,
    );
    return { ...csr, csrDer: new Uint8Array(rebuilt.rawData) };
  }

  /** The issued certificate must hold the card's key and chain to the pinned CA; the chain goes up to it. */
  private async issued(certificates: readonly Uint8Array[], request: CardCsr, bundle: CaBundle, signer: RequestSigner): Promise<IssuedCertificate> {
    const wanted = Buffer.from(new x509.Pkcs10CertificateRequest(request.csrDer).publicKey.rawData);
    let parsed: x509.X509Certificate[];
    try {
      parsed = certificates.map((c) => x509.readWholeCertificate(c));
    } catch (e) {
      throw untrustedAnswer(this.http.serviceName, 'a certificate in the answer cannot be read', e);
    }
    const leaf = parsed.find((c) => Buffer.from(c.publicKey.rawData).equals(wanted) && !Buffer.from(c.rawData).equals(signer.certificateDer));
    if (leaf === undefined) throw untrustedAnswer(this.http.serviceName, "the CA returned no certificate for this security key's public key");
    const chain: x509.X509Certificate[] = [];
    const pinnedKey = spkiPin(bundle.pinned);
    for (let child = leaf; spkiPin(child) !== pinnedKey;) {
      let parent: x509.X509Certificate | undefined;
      for (const candidate of bundle.cas) {
        if (!chain.includes(candidate) && (await issuedBy(child, candidate))) {
          parent = candidate;
          break;
        }
      }
      if (parent === undefined)
        throw untrustedAnswer(
          this.http.serviceName,
          `the issued certificate (issuer ${child.issuer}) does not chain to the pinned CA ${bundle.pinned.subject}`,
        );
      chain.push(parent);
      child = parent;
    }
    return { certificate: new Uint8Array(leaf.rawData), chain: chain.map((c) => new Uint8Array(c.rawData)) };
  }
}

/** The capabilities as the service listed them, printable and short: `detail` is shown to users and administrators. */
function capsText(caps: ScepCapabilities): string {
  const text = caps.list.join(', ').replace(/[^\x20-\x7e]+/g, '?');
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** AES-128-CBC in preference to triple DES when offered (RFC 8894 §3.5.2 "AES", "DES3"); never single DES. */
function requestCipher(caps: ScepCapabilities): 'aes-128-cbc' | 'des-ede3-cbc' | undefined {
  if (caps.aes) return 'aes-128-cbc';
  if (caps.tripleDes) return 'des-ede3-cbc';
  return undefined;
}

/**
 * SCEP needs an RSA key on the card: the CA encrypts its answer to the
 * requester's key by RSA key transport (RFC 8894 §3.3.2.1, RFC 3370 §4.2.1).
 * micromdm/scep 2.1.0 can do nothing else (go.mozilla.org/pkcs7 encrypts to
 * RSA recipients only, and its signer copies the CSR's signature algorithm,
 * which an RSA CA key cannot use for an ECDSA CSR). An EC key is refused
 * before anything is sent: the policy must use RSA2048 with SCEP.
 */
function requireRsaKey(csr: CardCsr): void {
  const publicKey = new x509.Pkcs10CertificateRequest(csr.csrDer).publicKey;
  if (!isRsaSpki(publicKey.rawData)) {
    const algorithm = publicKey.algorithm.name;
    throw new EnrollmentError(
      'ENROLLMENT_REJECTED',
      { reason: 'scep-needs-rsa' },
      {
        detail: `SCEP (RFC 8894) returns the certificate encrypted to the requester's key by RSA key transport; a ${algorithm} key cannot receive it`,
      },
    );
  }
  if (csr.decrypt === undefined) throw new Error('CardCsr.decrypt is required for SCEP: build it with scep/card-decrypt.ts cardRsaDecrypt');
}
