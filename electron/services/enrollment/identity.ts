// The user a certificate is for: checked before a key is touched (pairing),
// and again by the local CA. A user name goes into the certificate's subject
// and its user principal name (UPN, user@domain); characters that Active
// Directory refuses in a logon name, or that read as more of a name, are out.
import type { IdentityProblem } from '../../ipc/error-facts.ts';
import type { EnrollmentIdentity } from './backend.ts';

/** Characters Active Directory does not allow in a user logon name, plus control characters and spaces. */
const FORBIDDEN = /[\p{Cc}\s"/\\[\]:;|=,+*?<>@]/u;

/** Why `identity` cannot be certified, or null (the words: the message table). */
export function identityProblem(identity: EnrollmentIdentity): IdentityProblem | null {
  if (identity.userName === '') return { problem: 'empty' };
  if (FORBIDDEN.test(identity.userName)) return { problem: 'forbidden-characters', userName: identity.userName };
  if ([...identity.userName].length > 64) return { problem: 'too-long', userName: identity.userName };
  if (!/^[^@\p{Cc}\s]+@[^@\p{Cc}\s]+$/u.test(identity.upn)) return { problem: 'not-a-upn', upn: identity.upn };
  return null;
}
