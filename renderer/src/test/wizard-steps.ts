// Walks the wizard as a user would, for the tests of later steps.
import { screen } from '@testing-library/react';
import type userEvent from '@testing-library/user-event';

type User = ReturnType<typeof userEvent.setup>;

/** Home → "Start Pairing" → "Security key" → (checks pass) → the temporary-PIN step. */
export async function goToTemporaryPin(user: User): Promise<void> {
  await user.click(screen.getByRole('button', { name: 'Start Pairing' }));
  await user.click(screen.getByRole('button', { name: 'Security key' }));
  await screen.findByRole('heading', { level: 1, name: 'Enter your temporary PIN' });
}

/** ... → the temporary PIN typed → "Next" → the new-PIN step. */
export async function goToNewPin(user: User, temporaryPin = '246801'): Promise<void> {
  await goToTemporaryPin(user);
  await user.type(screen.getByLabelText('Temporary PIN'), temporaryPin);
  await user.click(screen.getByRole('button', { name: 'Next' }));
  await screen.findByRole('heading', { level: 1, name: 'Choose your new PIN' });
}

/** Types the new PIN twice and presses FINISH. */
export async function finishWith(user: User, newPin: string, confirmation = newPin): Promise<void> {
  if (newPin !== '') await user.type(screen.getByLabelText('New PIN'), newPin);
  if (confirmation !== '') await user.type(screen.getByLabelText('Confirm New PIN'), confirmation);
  await user.click(screen.getByRole('button', { name: 'Finish' }));
}
