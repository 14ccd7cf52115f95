// MOVE KEY / DELETE KEY (Yubico extension, INS F6, firmware 5.7.0+; yubikit
// piv.py move_key/delete_key, ykpiv_move_key). Move: P1 = destination,
// P2 = source. Delete: P1 = FF, P2 = slot. Needs the management key. The key
// keeps its algorithm, policies and origin; certificates are objects and stay.
import { CardStatus, SW } from '../sw.ts';
import type { PivHandler } from './context.ts';
import { isKeySlot, isOperationSlot, requireManagementKey, requireSlot } from './slots.ts';

/** P1 of DELETE KEY (yubikit delete_key sends INS F6 P1 FF). */
const P1_DELETE = 0xff;

export const moveOrDeleteKey: PivHandler = (command, ctx) => {
  // Firmware before 5.7 has no such instruction (yubikit require_version 5.7.0).
  if (!ctx.profile.moveDeleteKey) throw new CardStatus(SW.INS_NOT_SUPPORTED);
  const keys = ctx.state.keys;

  if (command.p1 === P1_DELETE) {
    // Any key can be deleted, the attestation key included (yesdk DeleteKeyCommand).
    const slot = requireSlot(command.p2, isKeySlot);
    requireManagementKey(ctx);
    // An empty slot is 6A88; ykman: "No key stored in slot".
    if (keys[slot] === undefined) throw new CardStatus(SW.REFERENCE_NOT_FOUND);
    Reflect.deleteProperty(keys, slot);
    ctx.changed();
    return new Uint8Array(0);
  }

  // F9 can be neither source nor destination of a move (yesdk MoveKeyCommand).
  const source = requireSlot(command.p2, isOperationSlot);
  const destination = requireSlot(command.p1, isOperationSlot);
  requireManagementKey(ctx);
  const record = keys[source];
  // ykman `piv keys move`: 6A88 = "No key in SOURCE slot", 6A80 = "DEST slot is not empty".
  if (record === undefined) throw new CardStatus(SW.REFERENCE_NOT_FOUND);
  if (keys[destination] !== undefined) throw new CardStatus(SW.INCORRECT_DATA);
  keys[destination] = record;
  Reflect.deleteProperty(keys, source);
  ctx.changed();
  return new Uint8Array(0);
};
