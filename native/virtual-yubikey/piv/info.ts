// PLACEHOLDER: being written by a helper session; replace entirely.
import type { PivHandler } from './context.ts';
import { CardStatus, SW } from '../sw.ts';
const notYet: PivHandler = () => { throw new CardStatus(SW.INS_NOT_SUPPORTED); };
export const getMetadata: PivHandler = notYet;
export const getSerial: PivHandler = notYet;
export const getVersion: PivHandler = notYet;
