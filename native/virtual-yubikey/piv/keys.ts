// PLACEHOLDER: being written by a helper session; replace entirely.
import type { PivHandler } from './context.ts';
import { CardStatus, SW } from '../sw.ts';
const notYet: PivHandler = () => { throw new CardStatus(SW.INS_NOT_SUPPORTED); };
export const attest: PivHandler = notYet;
export const generateKeyPair: PivHandler = notYet;
export const importKey: PivHandler = notYet;
export const moveOrDeleteKey: PivHandler = notYet;
export const privateKeyOperation: PivHandler = notYet;
