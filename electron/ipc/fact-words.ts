// The words for the facts an error carries (the step the key was at, the part
// of its answer that could not be read, why a certificate cannot be used…):
// each Record is exhaustive over its fact type, so a new fact value does not
// compile until it has its words. Used by error-messages.ts.
import type { CardStep, FirmwareFeature, InputProblem, PcscStep, ResponsePart } from '../../native/errors.ts';
import type {
  CertificateCheck,
  IdentityProblem,
  StorageReason,
  LocalCaProblem,
  NoCertificateReason,
  PinMismatchFound,
  PinMismatchReason,
  RejectReason,
  UnreachableReason,
} from './error-facts.ts';

export const CARD_STEP_WORDS: Readonly<Record<CardStep | PcscStep, string>> = {
  'select-piv': 'opening the PIV application',
  'read-version': 'reading the firmware version',
  'read-serial': 'reading the serial number',
  'select-otp': 'opening the OTP application to read the serial number',
  'read-pin-tries': 'reading the PIN tries left',
  'read-pin-details': 'reading the PIN details',
  'read-puk-details': 'reading the PUK details',
  'verify-pin': 'verifying the PIN',
  'change-pin': 'changing the PIN',
  'change-puk': 'changing the PUK',
  'unblock-pin': 'unblocking the PIN',
  'set-tries': 'setting the PIN and PUK tries',
  'generate-key': 'creating a key pair on the key',
  sign: 'signing with the key',
  decrypt: 'decrypting with the key',
  'key-agreement': 'agreeing a key with the key',
  attest: 'attesting the key',
  'read-key-details': 'reading key details',
  'read-data': 'reading data from the key',
  'write-data': 'writing data to the key',
  'write-certificate': 'writing the new certificate',
  reset: 'resetting the PIV application',
  'block-pin': 'blocking the PIN before the reset',
  'block-puk': 'blocking the PUK before the reset',
  'read-management-key-details': 'reading the management key details',
  'authenticate-management-key': 'authenticating with the management key',
  'set-management-key': 'setting the management key',
  start: 'starting',
  'list-readers': 'listing readers',
  connect: 'connecting',
  transmit: 'talking to the key',
  'watch-readers': 'watching readers',
};

export const FEATURE_WORDS: Readonly<Record<FirmwareFeature, string>> = {
  metadata: 'Reading PIN, PUK and key details',
  aesManagementKey: 'An AES management key',
  moveDeleteKey: 'Moving or deleting a key',
  rsa3072And4096: 'An RSA 3072 or 4096 key',
  serialInPiv: 'Reading the serial number in PIV',
  attestation: 'Attestation',
  verifyReset: 'Checking a reset',
  piv: 'The PIV smart-card application',
};

export const RESPONSE_PART_WORDS: Readonly<Record<ResponsePart, string>> = {
  'status-word': 'an answer without a status word',
  'too-much-data': 'more data than any PIV object holds',
  'pin-details': 'malformed PIN details',
  serial: 'a malformed serial number',
  'firmware-version': 'a malformed firmware version',
  'device-info': 'malformed device information',
  'data-object': 'a data read without data',
  'certificate-object': 'a certificate object that holds no certificate',
  'compressed-certificate': 'a compressed certificate that cannot be read',
  certificate: 'a certificate that cannot be read',
  'public-key': 'a public key that is missing or not valid',
  'rsa-key-size': 'an RSA key of the wrong size',
  'ec-point': 'a malformed EC point',
  'ecdsa-signature': 'a malformed ECDSA signature',
  attestation: 'an attestation that is not a certificate',
  'key-type': 'an unknown key type',
  'pivman-data': 'PIVMAN data in an unknown format',
  'management-key-type': 'an unknown management key type',
  'management-key-challenge': 'a malformed management key challenge',
  'tlv-truncated': 'a truncated data object',
  'tlv-tag-too-long': 'a data object tag that is too long',
  'tlv-bad-length': 'a data object with a bad length',
  'tlv-overrun': 'a data object that runs past the end',
  'tlv-missing-tag': 'an answer without a data object it must hold',
  'tlv-wrong-template': 'an answer in an unexpected template',
};

export const INPUT_PROBLEM_WORDS: Readonly<Record<InputProblem, string>> = {
  'tries-range': 'tries must be a whole number from 1 to 255',
  'secret-length': 'a PIN or PUK must be 1 to 8 characters long',
  'rsa-key-too-short': 'the RSA key is too short for this hash',
  'object-too-large': 'the data is larger than the key stores',
  'signature-input-size': 'the signature input has the wrong size',
  'decrypt-needs-rsa': 'only RSA keys decrypt (use ECDH with an EC key)',
  'ecdh-needs-ec': 'ECDH needs an EC key',
  'object-too-long': 'a data object is too long for the card',
  'management-key-length': 'the management key has the wrong length',
};

/** Completes "No valid certificates were found on this smart card: …". */
export const NO_CERTIFICATE_WORDS: Readonly<Record<NoCertificateReason, string>> = {
  missing: '',
  unreadable: 'the certificate cannot be read',
  'not-valid-now': 'the certificate has expired or is not valid yet',
  'key-missing': 'the key for the certificate is missing',
  'key-mismatch': 'the key on the card does not match its certificate',
  'not-company-ca': "the certificate was not issued by your company's CA",
  revoked: 'the certificate was revoked',
  'unknown-key-type': 'its key type is not one a YubiKey PIV slot holds',
  'slot-empty': 'slot 9a is empty. Pair the key again',
  'slot-has-no-key': 'slot 9a holds no key. Pair the key again',
  'slot-unreadable': 'the certificate in slot 9a cannot be read. Pair the key again',
  'slot-key-changed': 'the key in slot 9a is not the one paired on this computer (it was changed by another tool). Remove the pairing and pair the key again',
};

export const UNREACHABLE_WORDS: Readonly<Record<UnreachableReason, string>> = {
  network: 'The certificate enrollment service cannot be reached. Connect to the company network or VPN, then try again.',
  'company-network': "The company network can't be reached. Connect to the company VPN, then try again.",
  'url-scheme': "The policy's scepUrl must be an http:// or https:// address. Tell your administrator.",
  'http-not-allowed':
    'The policy\'s scepUrl is a plain http:// address, which this app uses only when the policy says "allowHttp": true. Tell your administrator.',
  'no-ca-certificate':
    "The enrollment service did not send its CA certificate. Check the policy's scepUrl, or connect to the company network or VPN and try again.",
};

const TELL_ADMIN = 'Tell your administrator.';

export const REJECT_WORDS: Readonly<Record<RejectReason, string>> = {
  'ca-refused': `The certificate authority refused the request. ${TELL_ADMIN}`,
  'service-error': `The enrollment service could not process the request. ${TELL_ADMIN}`,
  'bad-algorithm': `The certificate authority does not accept the algorithms this request uses. ${TELL_ADMIN}`,
  'bad-message-check': "The certificate authority could not verify the request's signature. Try again; if it happens again, tell your administrator.",
  'bad-request':
    'The certificate authority refused the request. Check the enrollment challenge password, or ask your administrator whether your account may enroll.',
  'bad-time': "The certificate authority refused the request's time. Check that this computer's clock is right, then try again.",
  'bad-cert-id': `The certificate authority could not find the certificate this request refers to. ${TELL_ADMIN}`,
  'several-ras': `The enrollment service presents more than one RA certificate to encrypt requests to, and the policy does not say which one to trust. ${TELL_ADMIN}`,
  'several-cas': `The enrollment service presents more than one issuing CA and no RA certificate, so it is not clear which CA the requests are for. ${TELL_ADMIN}`,
  'ra-not-rsa': `The enrollment service's certificate has no RSA key, and SCEP encrypts requests to the service with RSA. ${TELL_ADMIN}`,
  'only-single-des': `The enrollment service offers only outdated encryption (single DES), which this app does not use. ${TELL_ADMIN}`,
  'no-sha256': `The enrollment service does not offer SHA-256 signatures, which this app needs. ${TELL_ADMIN}`,
  'scep-needs-rsa':
    "Enrollment through SCEP needs an RSA key on the security key, and this one is an ECC key. Ask your administrator to set the policy's key algorithm to RSA2048.",
  'local-key-kind':
    'The local certificate authority refused the request: the key on the security key is of a kind or size it does not certify (RSA 2048 or more, ECC P-256 or P-384). Generate the key again with the algorithm of the policy.',
  'local-identity': 'The local certificate authority refused the request: the user name cannot go into a certificate.',
  'local-request-unreadable': 'The local certificate authority refused the request: the certificate request cannot be read.',
  'local-request-signature':
    "The local certificate authority refused the request: the certificate request's signature does not verify. Try again; if it keeps failing, reset the security key.",
  'local-name-constraints':
    "The local certificate authority refused the request: the user name is outside the only domain this CA may issue for (its name constraints). If the policy's identity.upnSuffix changed, move the local CA's folder aside so that a new CA is created for it.",
};

export const PIN_MISMATCH_WORDS: Readonly<Record<PinMismatchReason, string>> = {
  'no-ca-certificate': "The certificate authority sent no CA certificate, so it cannot be trusted. Check the service's configuration.",
  ca: "The enrollment service's CA is not the one your organisation's policy names, so nothing was sent to it. Tell your administrator.",
  'ca-not-authority': `The certificate the policy pins is not a certificate authority, so nothing was sent to the enrollment service. ${TELL_ADMIN}`,
  ra: "The enrollment service's RA certificate is not the one your organisation's policy names, so nothing was sent to it. Tell your administrator.",
  'answer-signer': "The enrollment service's answer is not signed by the CA your organisation's policy names, so it was not used. Tell your administrator.",
  'not-trusted': '',
};

function foundWords(found: PinMismatchFound | undefined): string {
  if (found === undefined) return 'the service sent no CA certificate';
  if ('presented' in found) return found.presented.length === 0 ? 'the service sent no CA certificate' : `the service presented ${found.presented.join(', ')}`;
  if ('missingIssuer' in found) return `the certificate was issued by "${found.missingIssuer}", whose certificate the service did not present`;
  if ('chainEnd' in found) return `the certificate's chain ends at ${found.chainEnd}`;
  return "the certificate's chain is longer than any this app follows";
}

/** An operating-system error in words a user can act on, by its errno code. */
const ERRNO_WORDS: Readonly<Record<string, string>> = {
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the disk is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk is full',
  ENOENT: 'it does not exist and cannot be created there',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'its path loops through symbolic links',
  EEXIST: 'something else is in the way',
  ENOTEMPTY: 'something else is in the way',
};

const errnoWords = (errno: string | undefined, error: string | undefined): string =>
  errno === undefined ? (error ?? 'unknown error') : (ERRNO_WORDS[errno] ?? `the system answered ${errno}`);

/** Why a folder or file in the data folder cannot be used, in words. */
export function storageReasonWords(r: StorageReason): string {
  switch (r.kind) {
    case 'system':
      return `${r.part === undefined ? '' : `${r.part}: `}${errnoWords(r.errno, r.error)}`;
    case 'file-not-folder':
      return r.part === undefined ? 'it is a file, not a folder' : `${r.part} is a file, not a folder`;
    case 'folder-not-file':
      return 'it is a folder, not a file';
    case 'not-regular-file':
      return 'it is not a regular file';
    case 'system-area':
      return `it is in ${r.area}, a system area that holds no user files`;
    case 'special-file-system':
      return `it is on the ${r.fileSystem} system file system, which holds no user files`;
    case 'create-timeout':
      return `creating it did not finish within ${r.seconds} seconds`;
    case 'not-writable':
      return `nothing can be written in it (${errnoWords(r.errno, r.error)})`;
    case 'no-schema-version':
      return 'no schema version';
    case 'other-schema-version':
      return `schema version ${r.found} is not ${r.expected} (written by another version of the app)`;
    case 'invalid-content':
      return `invalid content: ${r.issues}`;
    case 'not-json':
      return `not valid JSON (${r.error})`;
    case 'unknown':
      return 'it could not be read';
  }
}

/** Why a user name cannot go into a certificate, in words. */
export function identityWords(f: IdentityProblem): string {
  switch (f.problem) {
    case 'empty':
      return 'the user name is empty';
    case 'forbidden-characters':
      return `the user name "${f.userName ?? ''}" has characters a user logon name cannot have (spaces, commas, = + ; : " / \\ [ ] | * ? < > @ or control characters)`;
    case 'too-long':
      return 'the user name is longer than 64 characters';
    case 'not-a-upn':
      return `"${f.upn ?? ''}" is not a user principal name (user@domain)`;
  }
}

/** CA_PIN_MISMATCH in words, naming what the service presented and the pin expected where they are known. */
export function pinMismatchWords(f: { reason: PinMismatchReason; pin?: string; pinSource?: 'policy' | 'local'; found?: PinMismatchFound }): string {
  if (f.reason !== 'not-trusted') return PIN_MISMATCH_WORDS[f.reason];
  const found = foundWords(f.found);
  const expected = f.pinSource === 'local' ? `the local CA's own certificate has pin ${f.pin ?? '?'}` : `the policy's enrollment.caPin is ${f.pin ?? '?'}`;
  return (
    `The certificate authority is not the one this app trusts: ${found}, but ${expected}. ${NOTHING_WRITTEN} ` +
    "Ask your administrator to compare the policy's enrollment.caPin with the company CA (npm run wfa -- enroll-test shows the pin the service presents): another server may be answering in its place."
  );
}

/** ENROLLMENT_REJECTED in words, with the user name and domain where the local CA's reason names them. */
export function rejectWords(f: { reason: RejectReason; identity?: IdentityProblem; upn?: string; domain?: string; folder?: string }): string {
  if (f.reason === 'local-identity')
    return `The local certificate authority refused the request: ${f.identity === undefined ? 'the user name cannot go into a certificate' : identityWords(f.identity)}.`;
  if (f.reason === 'local-name-constraints') {
    return `The local certificate authority refused the request: "${f.upn ?? '?'}" is outside ${f.domain ?? '?'}, the only domain this CA may issue for (its name constraints). If the policy's identity.upnSuffix changed, move ${f.folder ?? "the local CA's folder"} aside so that a new CA is created for it.`;
  }
  return REJECT_WORDS[f.reason];
}

const NOTHING_WRITTEN = 'Nothing was written to the security key.';

/** Which check an issued certificate failed, with what to do; `ca` names a CA certificate when the check was on one. */
export function certificateCheckWords(f: {
  check: CertificateCheck;
  ca?: string;
  date?: string;
  missing?: readonly string[];
  upn?: string;
  found?: readonly string[];
  issuer?: string;
  which?: string;
}): string {
  const what = f.ca === undefined ? 'the certificate' : `the CA certificate "${f.ca}"`;
  const failed = (s: string): string => `The issued certificate failed a check and was not accepted: ${s} ${NOTHING_WRITTEN}`;
  const upnFix = 'Ask your administrator to issue certificates with the user principal name, or to set certificate.requireUpn to false in the policy.';
  switch (f.check) {
    case 'answer-unverified':
      return "The enrollment service's answer could not be verified, so nothing was written to your security key. Try again; if it happens again, tell your administrator.";
    case 'ca-unreadable':
      return `The certificate authority sent a CA certificate that cannot be read. ${NOTHING_WRITTEN} Contact your administrator.`;
    case 'ca-not-valid-now':
      return `The CA certificate "${f.ca ?? '?'}" is not valid now (valid ${f.date ?? '?'}). Renew the CA certificate, or check this computer's clock.`;
    case 'chain-not-ca':
      return failed(
        `the chain passes through "${f.ca ?? '?'}", which is not a certificate authority. Contact your administrator: the CA's chain is misconfigured.`,
      );
    case 'chain-signature':
      return failed(
        `the signature of "${f.ca ?? '?'}" does not verify with the key of its issuer "${f.issuer ?? '?'}". Contact your administrator: the response was damaged or did not come from the CA.`,
      );
    case 'unreadable':
      return failed(`the ${f.which ?? 'certificate'} cannot be read as an X.509 certificate. Contact your administrator.`);
    case 'other-key':
      return failed(
        'its public key is not the one generated on the security key. Try again; if it happens again, contact your administrator: the CA answered with a certificate for another key.',
      );
    case 'not-yet-valid':
      return failed(`${what} is not valid until ${f.date ?? '?'}. Check that this computer's date and time are right, then try again.`);
    case 'expired':
      return failed(`${what} expired on ${f.date ?? '?'}. Check this computer's date and time; if they are right, contact your administrator.`);
    case 'eku-unreadable':
      return failed('its extended key usage extension cannot be read. Contact your administrator.');
    case 'eku-missing':
      return failed(
        `it lacks the extended key usage the policy requires: ${(f.missing ?? []).join(', ')}. Ask your administrator to issue certificates from a template with these usages, or to change certificate.requiredEku in the policy.`,
      );
    case 'san-unreadable':
      return failed('its subject alternative name cannot be read. Contact your administrator.');
    case 'no-upn':
      return failed(`it has no user principal name (UPN) in its subject alternative name, and the policy requires ${f.upn ?? '?'}. ${upnFix}`);
    case 'wrong-upn':
      return failed(`its user principal name is ${(f.found ?? []).join(', ')}, not ${f.upn ?? '?'}. ${upnFix}`);
  }
}

export const LOCAL_CA_PROBLEM_WORDS: Readonly<Record<LocalCaProblem, string>> = {
  missing: 'there is no local CA yet',
  unreadable: 'cannot be read',
  'not-a-key': 'is not a readable private key',
  'not-p256': 'is not an ECDSA P-256 key',
  'not-a-certificate': 'is not a readable certificate',
  'key-mismatch': 'does not belong to the key',
  'not-a-ca': 'is not a CA certificate',
  'not-json': 'is not valid JSON',
  'not-a-revocation-list': 'is not a revocation list of this app',
};
