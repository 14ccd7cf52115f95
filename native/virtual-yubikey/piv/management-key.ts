// PLACEHOLDER: being written by a helper session; replace entirely.
import type { PivHandler } from './context.ts';
import { CardStatus, SW } from '../sw.ts';
const notYet: PivHandler = () => { throw new CardStatus(SW.INS_NOT_SUPPORTED); };
export const authenticateManagementKey: PivHandler = notYet;
export const setManagementKey: PivHandler = notYet;
