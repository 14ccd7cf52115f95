// The facts each error code's words need, per code: a throw site passes the
// code and these facts, and electron/ipc/error-messages.ts turns them into the
// words the app and the CLI show. A fact a code's words need is required here,
// so a throw site cannot forget it. No Node built-ins: the renderer imports this.
import type { NativeErrorFacts } from '../../native/errors.ts';
import type { ErrorCode } from './error-codes.ts';
import type { PinRuleId } from './pin-rules.ts';

/** Why the certificate on the key cannot be used to sign in. */
export type NoCertificateReason =
  | 'missing'
  | 'unreadable'
  | 'not-valid-now'
  | 'key-missing'
  | 'key-mismatch'
  | 'not-company-ca'
  | 'revoked'
  | 'unknown-key-type'
  | 'slot-empty'
  | 'slot-has-no-key'
  | 'slot-unreadable'
  | 'slot-key-changed';

/** Why a pairing no longer matches the key. */
export type StaleReason = 'no-certificate' | 'other-certificate';

/** Why the enrollment service could not be used. */
export type UnreachableReason = 'network' | 'company-network' | 'url-scheme' | 'http-not-allowed' | 'no-ca-certificate';

/** Why a certificate authority refused, or the app refused to go on with it. */
export type RejectReason =
  | 'ca-refused'
  | 'service-error'
  | 'bad-algorithm'
  | 'bad-message-check'
  | 'bad-request'
  | 'bad-time'
  | 'bad-cert-id'
  | 'several-ras'
  | 'several-cas'
  | 'ra-not-rsa'
  | 'only-single-des'
  | 'no-sha256'
  | 'scep-needs-rsa'
  | 'local-key-kind'
  | 'local-identity'
  | 'local-request-unreadable'
  | 'local-request-signature'
  | 'local-name-constraints';

/** Which check an issued certificate failed. */
export type CertificateCheck =
  | 'answer-unverified'
  | 'ca-unreadable'
  | 'unreadable'
  | 'other-key'
  | 'not-yet-valid'
  | 'expired'
  | 'eku-unreadable'
  | 'eku-missing'
  | 'san-unreadable'
  | 'no-upn'
  | 'wrong-upn'
  | 'chain-not-ca'
  | 'chain-signature'
  | 'ca-not-valid-now';

/** Which pin the certificate service did not match. */
export type PinMismatchReason = 'no-ca-certificate' | 'ca' | 'ca-not-authority' | 'ra' | 'answer-signer' | 'not-trusted';

/** An operating-system error by its errno code (else its text), on `part` of the path when not the whole. */
export interface SystemReason {
  readonly kind: 'system';
  readonly errno?: string;
  readonly error?: string;
  readonly part?: string;
}

/** Why a folder or file in the data folder cannot be used (an operating-system error by its errno code, or what was found). */
export type StorageReason =
  | SystemReason
  | { readonly kind: 'file-not-folder'; readonly part?: string }
  | { readonly kind: 'folder-not-file' }
  | { readonly kind: 'not-regular-file' }
  | { readonly kind: 'system-area'; readonly area: string }
  | { readonly kind: 'special-file-system'; readonly fileSystem: string }
  | { readonly kind: 'create-timeout'; readonly seconds: number }
  | { readonly kind: 'not-writable'; readonly errno?: string; readonly error?: string }
  | { readonly kind: 'no-schema-version' }
  | { readonly kind: 'other-schema-version'; readonly found: number; readonly expected: number }
  | { readonly kind: 'invalid-content'; readonly issues: string }
  | { readonly kind: 'not-json'; readonly error: string }
  | { readonly kind: 'unknown' };

/** Why a user name cannot go into a certificate. */
export interface IdentityProblem {
  readonly problem: 'empty' | 'forbidden-characters' | 'too-long' | 'not-a-upn';
  readonly userName?: string;
  readonly upn?: string;
}

/** What was found instead of the pinned CA. */
export type PinMismatchFound =
  { readonly presented: readonly string[] } | { readonly missingIssuer: string } | { readonly chainEnd: string } | { readonly chainTooLong: true };

/** What is wrong in the local CA's folder. */
export type LocalCaProblem =
  'missing' | 'unreadable' | 'not-a-key' | 'not-p256' | 'not-a-certificate' | 'key-mismatch' | 'not-a-ca' | 'not-json' | 'not-a-revocation-list';

/** Where a flow was when it found another key than the one it works on. */
export type OtherKeyFlow = 'select' | 'deregister' | 'pairing' | 'finish-pairing' | 'renewing' | 'renew';

/** What the user was doing when no pairing was found. */
export type NotPairedContext = 'key' | 'pin-change' | 'snooze' | 'removed-meanwhile' | 'no-interrupted-pairing' | 'deregister' | 'renew';

interface AppErrorFacts {
  // The company's certificate service.
  ENROLLMENT_UNREACHABLE: { readonly reason: UnreachableReason };
  ENROLLMENT_REJECTED: {
    readonly reason: RejectReason;
    readonly identity?: IdentityProblem;
    readonly upn?: string;
    readonly domain?: string;
    readonly folder?: string;
  };
  ENROLLMENT_PENDING: Record<string, never>;
  ENROLLMENT_PASSWORD_REQUIRED: Record<string, never>;
  CA_PIN_MISMATCH: { readonly reason: PinMismatchReason; readonly pin?: string; readonly pinSource?: 'policy' | 'local'; readonly found?: PinMismatchFound };
  CERTIFICATE_INVALID: {
    readonly check: CertificateCheck;
    readonly ca?: string;
    readonly date?: string;
    readonly missing?: readonly string[];
    readonly upn?: string;
    readonly found?: readonly string[];
    readonly issuer?: string;
    readonly which?: 'certificate' | 'CA certificate' | 'local CA certificate';
  };
  LOCAL_CA_DAMAGED: { readonly folder: string; readonly problem: LocalCaProblem; readonly file?: string; readonly why?: string; readonly keyFile?: string };
  LOCAL_CA_KEY_EXPOSED: { readonly keyFile: string; readonly mode: string };
  POLICY_INVALID: { readonly file: string | null; readonly problems: readonly string[] };
  // The PIN rules.
  PIN_TOO_WEAK: { readonly rule: PinRuleId; readonly length: number; readonly digitsOnly: boolean };
  PIN_MISMATCH: Record<string, never>;
  PIN_SAME_AS_CURRENT: Record<string, never>;
  PIN_FORMAT: { readonly secret: 'PIN' | 'PUK'; readonly problem: 'length' | 'characters'; readonly length: number };
  // The app.
  INVALID_REQUEST: { readonly problem: 'unknown-channel' | 'invalid-input' };
  INTERNAL: { readonly error: string } | { readonly problem: 'handler-failed' | 'bridge-lost' };
  SMART_CARD_BLOCKED: { readonly serial: number; readonly context: 'check' | 'status' };
  NO_VALID_CERTIFICATE: { readonly reason: NoCertificateReason };
  REVOCATION_UNKNOWN: Record<string, never>;
  NOT_PAIRED: { readonly context: NotPairedContext; readonly keptAs?: string };
  OTHER_KEY: { readonly flow: OtherKeyFlow; readonly found: number; readonly wanted: number };
  ALREADY_PAIRED: { readonly serial: number };
  UNSUPPORTED_KEY: Record<string, never>;
  PAIRING_INTERRUPTED: { readonly serial?: number; readonly stage: 'pin-changed' | 'setting-pin' | 'finishing' };
  PIN_CHANGE_INTERRUPTED: { readonly serial: number; readonly sentAt: string };
  ATTESTATION_FAILED: { readonly why: string };
  SNOOZE_NOT_ALLOWED: { readonly stage: string };
  PAIRING_STALE: { readonly serial: number; readonly reason: StaleReason; readonly context: 'check' | 'status' | 'pin-change' };
  IDENTITY_INVALID: IdentityProblem;
  LAST_PIN_TRY: { readonly serial: number; readonly secret?: 'PUK' };
  // This computer.
  DATA_DIR_UNUSABLE: { readonly path: string; readonly reason: StorageReason };
  STORE_UNREADABLE: { readonly path: string; readonly reason: StorageReason; readonly keptAs?: string };
}

export type ErrorFacts = NativeErrorFacts & AppErrorFacts;

/** The facts of one code. */
export type FactsOf<C extends ErrorCode> = ErrorFacts[C];

/** Every code has facts (a code added to error-codes.ts without them does not compile). */
export type MissingFacts = Exclude<ErrorCode, keyof ErrorFacts>;
const everyCodeHasFacts: MissingFacts extends never ? true : false = true;
void everyCodeHasFacts;
