// The user a certificate is for: checked before a key is touched (pairing),
// and again by the local CA. A user name goes into the certificate's subject
// and its user principal name (UPN, user@domain); characters that Active
// Directory refuses in a logon name, or that read as more of a name, are out.
import type { EnrollmentIdentity } from './backend.ts';

/** Characters Active Directory does not allow in a user logon name, plus control characters and spaces. */
const FORBIDDEN = /[\p{Cc}\s"/\\[\]:;|=,+*?<>@]/u;

/** Why `identity` cannot be certified, or null. */
export function identityProblem(identity: EnrollmentIdentity): string | null {
  if (identity.userName === '') return 'the user name is empty';
  if (FORBIDDEN.test(identity.userName)) return `the user name "${identity.userName}" has characters a user logon name cannot have (spaces, commas, = + ; : " / \\ [ ] | * ? < > @ or control characters)`;
  if ([...identity.userName].length > 64) return 'the user name is longer than 64 characters';
  if (!/^[^@\p{Cc}\s]+@[^@\p{Cc}\s]+$/u.test(identity.upn)) return `"${identity.upn}" is not a user principal name (user@domain)`;
  return null;
}
