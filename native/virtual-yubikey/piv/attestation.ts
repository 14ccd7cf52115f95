// PLACEHOLDER: being written by a helper session; replace entirely.
import type { CardState } from '../state.ts';
export function provisionAttestationKey(state: CardState): void {
  void state;
}
