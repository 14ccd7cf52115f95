// The one message table: each error code's full sentence, built from its words
// (error-words.ts) and the facts the throw site passed (error-facts.ts). The
// CLI prints it, logs keep it, and toAppError puts it in AppError.message; the
// renderer shows the same code's title and action. Throw sites write no English.
import type { AppError } from './contract.ts';
import type { ErrorCode } from './error-codes.ts';
import type { ErrorFacts, StaleReason } from './error-facts.ts';
import { ERROR_MESSAGES, PIN_FIELD_WORDS } from './error-words.ts';
import {
  CARD_STEP_WORDS,
  certificateCheckWords,
  FEATURE_WORDS,
  identityWords,
  INPUT_PROBLEM_WORDS,
  LOCAL_CA_PROBLEM_WORDS,
  NO_CERTIFICATE_WORDS,
  pinMismatchWords,
  rejectWords,
  RESPONSE_PART_WORDS,
  storageReasonWords,
  UNREACHABLE_WORDS,
} from './fact-words.ts';
import { PIN_MAX_LENGTH, PIN_MIN_LENGTH } from './pin-limits.ts';
import { pinRuleReason } from './pin-rule-words.ts';

type Sentences = { readonly [C in ErrorCode]: (facts: ErrorFacts[C]) => string };

const action = (code: ErrorCode): string => ERROR_MESSAGES[code].action;
const tries = (n: number): string => (n === 1 ? '1 try' : `${n} tries`);
const at = (step: keyof typeof CARD_STEP_WORDS | undefined): string => (step === undefined ? '' : ` (while ${CARD_STEP_WORDS[step]})`);
const inReader = (reader: string | undefined): string => (reader === undefined ? '' : ` (reader "${reader}")`);
const hex = (id: number): string => id.toString(16).toUpperCase();
const PAIR_AGAIN = 'Pair the key again (in the app, or with "wfa pair").';
const UNBLOCK = 'or, if you have its PUK, unblock it with "wfa key unblock-pin"';

/** Why a pairing no longer matches the key plugged in. */
function staleWords(serial: number, reason: StaleReason): string {
  return reason === 'no-certificate'
    ? `security key ${serial} has no certificate any more (it was reset or changed by another program)`
    : `the certificate on security key ${serial} is not the one paired on this computer (it was replaced by another program)`;
}

const SENTENCES: Sentences = {
  // ---- The key and its PIN ----
  PIN_INCORRECT: (f) => `The PIN is incorrect: ${tries(f.retries)} left${at(f.step)}. ${action('PIN_INCORRECT')}`,
  PIN_BLOCKED: (f) =>
    `Too many failed attempts: the PIN of ${f.serial === undefined ? 'this security key' : `security key ${f.serial}`} is blocked${at(f.step)}. ${ERROR_MESSAGES.PUK_BLOCKED.action}`,
  PUK_INCORRECT: (f) => `The PUK is incorrect: ${tries(f.retries)} left${at(f.step)}. ${action('PUK_INCORRECT')}`,
  PUK_BLOCKED: (f) => `The PUK of this security key is blocked${at(f.step)}. ${action('PUK_BLOCKED')}`,
  MGMT_AUTH_FAILED: (f) => `The security key did not accept the management key${at(f.step)}. ${action('MGMT_AUTH_FAILED')}`,
  SECURITY_STATUS: (f) => `The security key needs the PIN or management key first${at(f.step)}. ${action('SECURITY_STATUS')}`,
  NOT_FOUND: (f) =>
    f.step === 'attest'
      ? `There is no key made on the security key in this slot to attest (an empty slot, or an imported key). ${action('NOT_FOUND')}`
      : `Nothing is stored there on the security key${at(f.step)}. ${action('NOT_FOUND')}`,
  NOT_SUPPORTED_BY_FIRMWARE: (f) => {
    if ('step' in f) return `This security key's firmware does not support this${at(f.step)}. ${action('NOT_SUPPORTED_BY_FIRMWARE')}`;
    if (f.feature === 'piv') return `This card or key has no PIV smart-card application. ${action('NOT_SUPPORTED_BY_FIRMWARE')}`;
    return `${FEATURE_WORDS[f.feature]} needs firmware ${f.needs ?? 'a newer firmware'} or later; this key has ${f.has ?? 'an older one'}. ${action('NOT_SUPPORTED_BY_FIRMWARE')}`;
  },
  INVALID_INPUT: (f) =>
    `The security key cannot take what the app was about to send${f.secret === undefined ? '' : ` (the ${f.secret})`}: ${INPUT_PROBLEM_WORDS[f.problem]}${f.size === undefined ? '' : ` (${f.size}; limit ${f.limit ?? '?'})`}. ${action('INVALID_INPUT')}`,
  CARD_ERROR: (f) => {
    const secret = f.step === 'block-puk' ? 'PUK' : 'PIN';
    if (f.problem === 'accepted-wrong-secret') return `The key accepted a ${secret} that should be wrong; it was not reset. ${action('CARD_ERROR')}`;
    if (f.problem === 'never-blocked') return `The key's ${secret} never blocked; it was not reset. ${action('CARD_ERROR')}`;
    if (f.problem === 'not-kept') return `The security key did not keep the new certificate. ${action('CARD_ERROR')}`;
    return `The security key refused the command${at(f.step)}. ${action('CARD_ERROR')}`;
  },
  CARD_REMOVED: (f) =>
    `The security key was removed or stopped answering${f.step === undefined ? '' : ` while ${CARD_STEP_WORDS[f.step]}`}${inReader(f.reader)}. Plug it in again and retry.`,
  NO_KEY: (f) => {
    if (f.pluggedIn !== undefined)
      return `Security key ${f.serial ?? ''} is not plugged in${inReader(f.reader)}. Plugged in: ${f.pluggedIn.join(', ') || 'none'}. Plug it in and try again.`;
    if (f.unplugged === 'while-read') return `Security key ${f.serial ?? ''} was unplugged while it was read. Plug it in and try again.`;
    if (f.serial !== undefined) {
      return f.keepPlugged === 'reset'
        ? `Your security key isn't plugged in. Plug in key ${f.serial} and keep it plugged in while it is reset.`
        : `Your security key isn't plugged in. Plug in key ${f.serial} and try again.`;
    }
    if (f.paired !== undefined) return `Your paired security key (${f.paired}) isn't plugged in. Plug it in and try again.`;
    if (f.reader !== undefined) return `Your security key isn't plugged in: there is no security key in the reader "${f.reader}". Plug it in and try again.`;
    return "Your security key isn't plugged in. Plug it in and try again.";
  },
  MULTIPLE_KEYS: (f) => `More than one security key is plugged in (${f.keys.join(', ')}). Choose one with --reader NAME or --serial N, or unplug the others.`,
  READER_NOT_FOUND: (f) =>
    f.readers === undefined
      ? `The reader is gone${inReader(f.reader)}. Plug the key in again.`
      : `There is no reader called "${f.reader ?? ''}". Readers: ${f.readers.map((r) => `"${r}"`).join(', ') || 'none'}.`,
  READER_IN_USE: (f) =>
    `Another program is using the security key${inReader(f.reader)}. Close programs that use smart cards (for example gpg's scdaemon: run "gpgconf --kill scdaemon") and try again.`,
  PCSC_UNAVAILABLE: (f) => {
    if (f.problem === 'not-installed')
      return 'The smart-card support of this app is not installed correctly (the "smartcard" module did not load). Install the app again.';
    if (f.problem === 'not-running') return `The smart-card service is not running${inReader(f.reader)}. Start it (on Linux: pcscd) and try again.`;
    return `The smart-card service failed while ${f.step === undefined ? 'working' : CARD_STEP_WORDS[f.step]}${inReader(f.reader)} (${f.pcscCode ?? 'no code'}). ${action('PCSC_UNAVAILABLE')}`;
  },
  INVALID_RESPONSE: (f) => `The security key sent ${RESPONSE_PART_WORDS[f.part]}${f.id === undefined ? '' : ` (${hex(f.id)})`}. ${action('INVALID_RESPONSE')}`,
  ROCA_VULNERABLE: (f) =>
    f.advice === 'use-ecc'
      ? 'This YubiKey 4 has a firmware whose RSA keys can be broken (ROCA, Yubico advisory YSA-2017-01). Use an ECC key (ECCP256) instead, or ask for a replacement key.'
      : 'This YubiKey 4 cannot make safe RSA keys (ROCA, Yubico advisory YSA-2017-01). Ask your administrator for a replacement key, or for an ECC policy.',

  // ---- The company's certificate service ----
  ENROLLMENT_UNREACHABLE: (f) => UNREACHABLE_WORDS[f.reason],
  ENROLLMENT_REJECTED: (f) => rejectWords(f),
  ENROLLMENT_PENDING: () => 'The certificate authority has your request, but it must be approved before the certificate is issued. Try again later.',
  ENROLLMENT_PASSWORD_REQUIRED: () => "Your company's certificate service needs the enrollment password your administrator gave you. Enter it and try again.",
  CA_PIN_MISMATCH: (f) => pinMismatchWords(f),
  CERTIFICATE_INVALID: (f) => certificateCheckWords(f),
  LOCAL_CA_DAMAGED: (f) =>
    `The local certificate authority in ${f.folder} is damaged: ${f.file === undefined ? '' : `${f.file} `}${LOCAL_CA_PROBLEM_WORDS[f.problem]}${f.keyFile === undefined ? '' : ` in ${f.keyFile}`}${f.why === undefined ? '' : ` (${f.why})`}. It was left untouched. ` +
    'Restore the folder from a backup, or move it aside to create a new CA (certificates issued by the old CA will then have to be issued again).',
  LOCAL_CA_KEY_EXPOSED: (f) =>
    `The local certificate authority's key file ${f.keyFile} can be read by other users of this computer (mode ${f.mode}), so the app does not use it. ` +
    `Make it readable by you only (chmod 600 "${f.keyFile}"). If someone else may have copied it, move the folder aside instead so that a new CA is created, and pair the keys again.`,
  POLICY_INVALID: (f) =>
    `The organisation policy${f.file === null ? '' : ` in ${f.file}`} is not valid:\n${f.problems.map((p) => `  - ${p}`).join('\n')}\nAsk your administrator to correct it.`,

  // ---- The PIN rules ----
  PIN_TOO_WEAK: (f) => `${PIN_FIELD_WORDS.PIN_TOO_WEAK}: ${pinRuleReason(f.rule, f)}.`,
  PIN_MISMATCH: () => `${PIN_FIELD_WORDS.PIN_MISMATCH}: ${pinRuleReason('confirmationMatches')}.`,
  PIN_SAME_AS_CURRENT: () => `${PIN_FIELD_WORDS.PIN_SAME_AS_CURRENT}: ${pinRuleReason('differentFromCurrent')}.`,
  PIN_FORMAT: (f) =>
    f.problem === 'length'
      ? `The ${f.secret} must be ${PIN_MIN_LENGTH} to ${PIN_MAX_LENGTH} characters long (this one has ${f.length}). Nothing was sent to the key.`
      : `The ${f.secret} may contain letters, digits and symbols only (no accented or control characters). Nothing was sent to the key.`,

  // ---- The app ----
  INVALID_REQUEST: (f) => (f.problem === 'unknown-channel' ? 'Unknown request.' : 'The request was not valid.'),
  INTERNAL: (f) => {
    // A handler's own failure is not shown to the page (its text may reveal internals); it is logged.
    if ('problem' in f)
      return f.problem === 'bridge-lost'
        ? 'The connection to the app was lost. Reload the page.'
        : 'Something went wrong in the app. Try again; if it happens again, restart the app.';
    return `Something went wrong inside the app: ${f.error}. ${action('INTERNAL')}`;
  },
  SMART_CARD_BLOCKED: (f) =>
    f.context === 'status'
      ? `The PIN of security key ${f.serial} is blocked. Your administrator must reset the key (${UNBLOCK}); then pair it again.`
      : `The smart card is blocked. Too many wrong PINs were typed on security key ${f.serial}. Your administrator must reset the security key (${UNBLOCK}); then pair the key again.`,
  NO_VALID_CERTIFICATE: (f) => `${ERROR_MESSAGES.NO_VALID_CERTIFICATE.title}${f.reason === 'missing' ? '' : `: ${NO_CERTIFICATE_WORDS[f.reason]}`}.`,
  REVOCATION_UNKNOWN: () => `${ERROR_MESSAGES.REVOCATION_UNKNOWN.title} ${action('REVOCATION_UNKNOWN')}`,
  NOT_PAIRED: (f) => {
    switch (f.context) {
      case 'key':
        return 'No security key is paired on this computer. Pair one first.';
      case 'pin-change':
        return `No security key is paired on this computer.${f.keptAs === undefined ? '' : ` Your pairing record could not be read; it was kept as ${f.keptAs}.`} Pair your key first.`;
      case 'snooze':
        return 'No security key is paired on this computer: there is no reminder to snooze.';
      case 'removed-meanwhile':
        return 'The pairing was removed meanwhile.';
      case 'no-interrupted-pairing':
        return 'There is no interrupted pairing for this key.';
      case 'deregister':
        return 'No security key is paired on this computer; confirm to reset this key anyway.';
      case 'renew':
        return 'No security key is paired on this computer: pair one first.';
    }
  },
  OTHER_KEY: (f) => {
    switch (f.flow) {
      case 'select':
        return `Security key ${f.found} is not the paired key (${f.wanted}). Plug in key ${f.wanted}, or confirm that you mean key ${f.found}.`;
      case 'deregister':
        return `Security key ${f.found} is not the paired key (${f.wanted}). Plug in the paired key, or confirm that you want to reset key ${f.found}.`;
      case 'pairing':
      case 'renewing':
        return `This is not the key you were ${f.flow}: security key ${f.found} is in the reader, not key ${f.wanted}. Nothing was changed on key ${f.found}. Plug in key ${f.wanted} and try again.`;
      case 'finish-pairing':
        return `This is not the key you were pairing: security key ${f.found} is plugged in, not key ${f.wanted}. Plug in key ${f.wanted} to finish pairing it.`;
      case 'renew':
        return `Security key ${f.found} is plugged in, but the key paired on this computer is ${f.wanted}. Plug in key ${f.wanted} and try again.`;
    }
  },
  ALREADY_PAIRED: (f) => `Security key ${f.serial} is already paired on this computer. Remove it first.`,
  UNSUPPORTED_KEY: () => 'This security key is not a YubiKey 4 or 5. Use a supported key.',
  PAIRING_INTERRUPTED: (f) =>
    f.stage === 'setting-pin'
      ? `Pairing security key ${f.serial ?? ''} was interrupted while its PIN was being set. Pair it again; if its temporary PIN is refused, the PIN is already the new one you chose.`
      : 'Pairing this key was interrupted after its PIN was changed. Finish it with the PIN you chose.',
  PIN_CHANGE_INTERRUPTED: (f) =>
    `Changing the PIN of security key ${f.serial} was interrupted (${f.sentAt}): its PIN is now either your old PIN or the new one you chose. ` +
    'Run the sign-in check with the PIN you think it is (a refused PIN costs one attempt, and the right one gives it back), then change the PIN again if you want to.',
  ATTESTATION_FAILED: (f) =>
    `Your company requires proof that the sign-in key was made on the security key, and this key could not give it (${f.why}). No certificate was requested.`,
  SNOOZE_NOT_ALLOWED: (f) => {
    const why =
      f.stage === 'none'
        ? 'no renewal reminder is showing yet'
        : f.stage === 'expired'
          ? 'your certificate has expired'
          : 'your certificate expires within a day';
    return `The renewal reminder cannot be snoozed: ${why}. Renew the certificate now (plug in your security key and choose "Renew now").`;
  },
  PAIRING_STALE: (f) => {
    const stale = staleWords(f.serial, f.reason);
    if (f.context === 'check') return `${ERROR_MESSAGES.NO_VALID_CERTIFICATE.title}: ${stale}. ${PAIR_AGAIN}`;
    return `The pairing no longer matches the key: ${stale}.${f.context === 'pin-change' ? ' Its PIN was not changed.' : ''} ${PAIR_AGAIN}`;
  },
  IDENTITY_INVALID: (f) => `This user cannot get a sign-in certificate: ${identityWords(f)}. Nothing was changed on the key.`,
  LAST_PIN_TRY: (f) =>
    f.secret === 'PUK'
      ? `Only one PUK try is left on security key ${f.serial}: a wrong PUK blocks it for good. Continue only if you are sure (add --yes).`
      : `Only one PIN try is left on security key ${f.serial}: a wrong PIN now blocks it. Continue only if you are sure of the PIN (in the CLI: add --yes); otherwise ask your administrator.`,

  // ---- This computer ----
  DATA_DIR_UNUSABLE: (f) => `The app's data folder ${f.path} cannot be used: ${storageReasonWords(f.reason)}.`,
  STORE_UNREADABLE: (f) =>
    f.keptAs === undefined
      ? `The file ${f.path} in the app's data folder cannot be used: ${storageReasonWords(f.reason)}.`
      : `Your pairing record could not be read (${storageReasonWords(f.reason)}); it was kept as ${f.keptAs}. Pair your security key again; then the kept file can be deleted.`,
};

/** The sentence for an error: what happened, with its facts, and what to do. */
export function messageFor<C extends ErrorCode>(code: C, facts: ErrorFacts[C]): string {
  return (SENTENCES[code] as (facts: ErrorFacts[C]) => string)(facts);
}

/** INVALID_REQUEST in the table's words (the preload answers it too, so it lives here, without zod). */
export const invalidRequest = (problem: 'unknown-channel' | 'invalid-input'): AppError => ({
  code: 'INVALID_REQUEST',
  message: messageFor('INVALID_REQUEST', { problem }),
});
