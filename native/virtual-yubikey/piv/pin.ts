// PLACEHOLDER: being written by a helper session; replace entirely.
import type { PivHandler } from './context.ts';
import { CardStatus, SW } from '../sw.ts';
const notYet: PivHandler = () => { throw new CardStatus(SW.INS_NOT_SUPPORTED); };
export const verify: PivHandler = notYet;
export const changeReferenceData: PivHandler = notYet;
export const resetRetryCounter: PivHandler = notYet;
export const setPinRetries: PivHandler = notYet;
export const resetPiv: PivHandler = notYet;
