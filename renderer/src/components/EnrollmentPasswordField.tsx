// The enrollment password (SCEP challenge) an administrator gives the user,
// asked only when the company's certificate service wants one and the policy
// does not hold it. Kept in the form's state like a PIN.
import { FIELD_NEEDED_WORDS } from '../../../electron/ipc/pin-rule-words.ts';
import { PinField } from './PinField.tsx';

/** RFC 2985 §5.4.1 allows a challenge password of up to 255 characters. */
const ENROLLMENT_PASSWORD_MAX_LENGTH = 255;

export const ENROLLMENT_PASSWORD_MISSING = FIELD_NEEDED_WORDS.enrollmentPassword;

export function EnrollmentPasswordField(props: { readonly value: string; readonly onChange: (value: string) => void; readonly error: string | null }) {
  return (
    <PinField
      label="Enrollment password"
      hint="Your company's certificate service asks for it. Your administrator gave it to you with your security key."
      value={props.value}
      onChange={props.onChange}
      error={props.error}
      maxLength={ENROLLMENT_PASSWORD_MAX_LENGTH}
    />
  );
}
