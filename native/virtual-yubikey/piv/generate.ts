// GENERATE ASYMMETRIC KEY PAIR (INS 47, P1 00, P2 slot; SP 800-73-4 Part 2
// §3.3.2). Data `AC { 80 01 alg [AA 01 pin policy] [AB 01 touch policy] }`
// (Yubico adds AA/AB); response `7F49 { public key }`.
import { CardStatus, SW } from '../sw.ts';
import { findTlv, parseTemplate, tlv } from '../tlv.ts';
import { requireAlgorithm } from './algorithms.ts';
import type { PivHandler } from './context.ts';
import { generatePrivateKey, keyRecord } from './key-factory.ts';
import { publicKeyTlvs } from './public-key.ts';
import { isKeySlot, requireManagementKey, requireSlot, resolvePolicies, TAG_PIN_POLICY, TAG_TOUCH_POLICY } from './slots.ts';

/** Control reference template and the algorithm tag in it (SP 800-73-4 Part 2 Table 10). */
const TAG_CONTROL_REFERENCE = 0xac;
const TAG_ALGORITHM = 0x80;
/** Public key data object (SP 800-73-4 Part 2 Table 10). */
const TAG_PUBLIC_KEY = 0x7f49;
const KNOWN_TAGS = new Set([TAG_ALGORITHM, TAG_PIN_POLICY, TAG_TOUCH_POLICY]);

/**
 * Replaces whatever key the slot held. On a profile in the ROCA range (4.2.0 ≤
 * v < 4.3.5) a real key still generates RSA (with the weak generator): yubikit
 * and ykpiv refuse on the host side, so the card does not.
 */
export const generateKeyPair: PivHandler = (command, ctx) => {
  const slot = requireSlot(command.p2, isKeySlot);
  requireManagementKey(ctx);
  const inner = parseTemplate(command.data, TAG_CONTROL_REFERENCE);
  if (!inner.every((t) => KNOWN_TAGS.has(t.tag))) throw new CardStatus(SW.INCORRECT_DATA);
  const algorithmId = findTlv(inner, TAG_ALGORITHM);
  if (algorithmId?.length !== 1) throw new CardStatus(SW.INCORRECT_DATA);
  const alg = requireAlgorithm(algorithmId[0]!, ctx.profile);
  const policies = resolvePolicies(command.p2, findTlv(inner, TAG_PIN_POLICY), findTlv(inner, TAG_TOUCH_POLICY));

  const record = keyRecord(alg, generatePrivateKey(alg), policies, 'generated');
  ctx.state.keys[slot] = record;
  ctx.changed();
  return tlv(TAG_PUBLIC_KEY, publicKeyTlvs(record));
};
