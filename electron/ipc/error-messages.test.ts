// The one message table: every code has words, the facts a throw site passes
// appear in them (the key's serial, the reader, the tries left, the file), and
// the sentences users know stay word for word.
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from './error-codes.ts';
import type { ErrorFacts } from './error-facts.ts';
import { messageFor } from './error-messages.ts';
import { ERROR_MESSAGES } from './error-words.ts';
import { CARD_STEP_WORDS } from './fact-words.ts';

/** One set of facts per code: a code added without facts here does not compile. */
const SAMPLES: { readonly [C in ErrorCode]: ErrorFacts[C] } = {
  PIN_INCORRECT: { step: 'verify-pin', retries: 2 },
  PIN_BLOCKED: { step: 'verify-pin', serial: 23000001 },
  PUK_INCORRECT: { step: 'unblock-pin', retries: 1 },
  PUK_BLOCKED: { step: 'unblock-pin' },
  MGMT_AUTH_FAILED: { step: 'authenticate-management-key' },
  SECURITY_STATUS: { step: 'write-data' },
  NOT_FOUND: { step: 'read-data' },
  NOT_SUPPORTED_BY_FIRMWARE: { feature: 'metadata', needs: '5.3.0', has: '4.3.7' },
  INVALID_INPUT: { problem: 'object-too-large', size: 4000, limit: 3052 },
  CARD_ERROR: { step: 'reset' },
  CARD_REMOVED: { step: 'transmit', reader: 'Virtual PCD 00 01' },
  NO_KEY: { serial: 23000001 },
  MULTIPLE_KEYS: { keys: ['23000001 in "Virtual PCD 00 00"', '23000002 in "Virtual PCD 00 01"'] },
  READER_NOT_FOUND: { reader: 'Nope', readers: ['Virtual PCD 00 00'] },
  READER_IN_USE: { reader: 'Virtual PCD 00 01' },
  PCSC_UNAVAILABLE: { problem: 'failed', step: 'connect', reader: 'Virtual PCD 00 01', pcscCode: '0x80100001' },
  INVALID_RESPONSE: { part: 'ec-point' },
  ROCA_VULNERABLE: { advice: 'use-ecc' },
  ENROLLMENT_UNREACHABLE: { reason: 'network' },
  ENROLLMENT_REJECTED: { reason: 'local-name-constraints', upn: 'alice@other.example', domain: 'corp.example', folder: '/data/local-ca' },
  ENROLLMENT_PENDING: {},
  ENROLLMENT_PASSWORD_REQUIRED: {},
  CA_PIN_MISMATCH: { reason: 'not-trusted', pin: 'sha256:00ff', pinSource: 'policy', found: { presented: ['"CN=B CA" (pin sha256:11ee)'] } },
  CERTIFICATE_INVALID: { check: 'wrong-upn', upn: 'alice@corp.example', found: ['bob@corp.example'] },
  LOCAL_CA_DAMAGED: { folder: '/data/local-ca', problem: 'key-mismatch', file: 'ca-cert.pem', keyFile: 'ca-key.pem' },
  LOCAL_CA_KEY_EXPOSED: { keyFile: '/data/local-ca/ca-key.pem', mode: '644' },
  POLICY_INVALID: { file: '/etc/wfa/policy.json', problems: ['key.algorithm: must be RSA2048, ECCP256 or ECCP384'] },
  PIN_TOO_WEAK: { rule: 'length', length: 5, digitsOnly: false },
  PIN_MISMATCH: {},
  PIN_SAME_AS_CURRENT: {},
  PIN_FORMAT: { secret: 'PUK', problem: 'length', length: 9 },
  INVALID_REQUEST: { problem: 'invalid-input' },
  INTERNAL: { error: 'boom' },
  SMART_CARD_BLOCKED: { serial: 23000001, context: 'check' },
  NO_VALID_CERTIFICATE: { reason: 'revoked' },
  REVOCATION_UNKNOWN: {},
  NOT_PAIRED: { context: 'pin-change', keptAs: '/data/pairing.json.unreadable-1' },
  OTHER_KEY: { flow: 'renew', found: 23000002, wanted: 23000001 },
  ALREADY_PAIRED: { serial: 23000001 },
  UNSUPPORTED_KEY: {},
  PAIRING_INTERRUPTED: { serial: 23000001, stage: 'setting-pin' },
  PIN_CHANGE_INTERRUPTED: { serial: 23000001, sentAt: '2026-11-26T10:00:00.000Z' },
  ATTESTATION_FAILED: { why: 'untrusted-root: the chain ends at an unknown root' },
  SNOOZE_NOT_ALLOWED: { stage: 'final' },
  PAIRING_STALE: { serial: 23000001, reason: 'no-certificate', context: 'status' },
  IDENTITY_INVALID: { problem: 'not-a-upn', upn: 'alice@' },
  LAST_PIN_TRY: { serial: 23000001 },
  DATA_DIR_UNUSABLE: { path: '/proc/wfa', reason: { kind: 'system-area', area: '/proc' } },
  STORE_UNREADABLE: { path: '/data/pairing.json', reason: { kind: 'system', errno: 'EACCES' } },
};

const codes = Object.keys(ERROR_MESSAGES) as ErrorCode[];

/** The facts a user acts on, whenever a code carries them: each must be in the sentence. */
const NAMED_FACTS = [
  'serial',
  'reader',
  'retries',
  'path',
  'keptAs',
  'upn',
  'keyFile',
  'folder',
  'file',
  'found',
  'wanted',
  'pin',
  'domain',
  'needs',
  'has',
  'sentAt',
] as const;

describe('the message table', () => {
  it.each(codes)('%s has words: a title, what to do, and a sentence from its facts', (code) => {
    expect(ERROR_MESSAGES[code].title.length).toBeGreaterThan(0);
    expect(ERROR_MESSAGES[code].action.length).toBeGreaterThan(0);
    const sentence = messageFor(code, SAMPLES[code]);
    expect(sentence).toMatch(/^\S.*[.)]$/s);
    expect(sentence).not.toMatch(/undefined|\[object Object\]/);
  });

  it.each(codes)('%s names the facts it was given', (code) => {
    const facts = SAMPLES[code] as Record<string, unknown>;
    const sentence = messageFor(code, SAMPLES[code]);
    for (const name of NAMED_FACTS) {
      const value = facts[name];
      if (typeof value === 'string' || typeof value === 'number') expect(sentence, `${code}: ${name}`).toContain(String(value));
    }
    const step = facts.step;
    if (typeof step === 'string' && step in CARD_STEP_WORDS) expect(sentence).toContain(CARD_STEP_WORDS[step as keyof typeof CARD_STEP_WORDS]);
  });

  it('names every reader, key and problem of a list', () => {
    expect(messageFor('MULTIPLE_KEYS', SAMPLES.MULTIPLE_KEYS)).toMatch(
      /23000001 in "Virtual PCD 00 00", 23000002 in "Virtual PCD 00 01".*--reader NAME or --serial N/,
    );
    expect(messageFor('READER_NOT_FOUND', SAMPLES.READER_NOT_FOUND)).toBe('There is no reader called "Nope". Readers: "Virtual PCD 00 00".');
    expect(messageFor('NO_KEY', { serial: 999, pluggedIn: [23000001, 23000002] })).toMatch(/999 is not plugged in.*23000001, 23000002/);
    expect(messageFor('POLICY_INVALID', SAMPLES.POLICY_INVALID)).toContain('  - key.algorithm: must be RSA2048');
    expect(messageFor('CA_PIN_MISMATCH', SAMPLES.CA_PIN_MISMATCH)).toContain('"CN=B CA" (pin sha256:11ee)');
  });

  it('keeps the sentences users know word for word (design.md)', () => {
    expect(messageFor('PIN_TOO_WEAK', SAMPLES.PIN_TOO_WEAK)).toBe('Try a stronger combination: the PIN must be 6 to 8 characters long (it has 5).');
    expect(messageFor('PIN_MISMATCH', {})).toMatch(/^PINs do not match/);
    expect(messageFor('PIN_SAME_AS_CURRENT', {})).toMatch(/^Please use a different PIN/);
    expect(messageFor('PIN_BLOCKED', SAMPLES.PIN_BLOCKED)).toMatch(/^Too many failed attempts/);
    expect(messageFor('SMART_CARD_BLOCKED', SAMPLES.SMART_CARD_BLOCKED)).toMatch(/^The smart card is blocked\. .*administrator must reset/);
    expect(messageFor('NO_VALID_CERTIFICATE', { reason: 'missing' })).toBe('No valid certificates were found on this smart card.');
    expect(messageFor('REVOCATION_UNKNOWN', {})).toMatch(
      /^The revocation status of the domain controller certificate used for smart card authentication could not be determined\./,
    );
    expect(messageFor('ENROLLMENT_UNREACHABLE', { reason: 'network' })).toMatch(/company network.*VPN/);
    expect(messageFor('NO_KEY', {})).toMatch(/^Your security key isn't plugged in\./);
  });
});
