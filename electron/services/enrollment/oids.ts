// Object identifiers of the smart-card logon certificate profile, each with
// where it is defined. Shared by the local CA (which issues the profile) and
// the certificate checks (which insist on it before anything is written to a key).
import type { EkuName } from '../policy/policy-schema.ts';

/** id-kp-clientAuth, RFC 5280 §4.2.1.12. */
export const OID_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
/** id-kp-serverAuth, RFC 5280 §4.2.1.12. */
export const OID_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
/** id-kp-codeSigning, RFC 5280 §4.2.1.12. */
export const OID_CODE_SIGNING = '1.3.6.1.5.5.7.3.3';
/** id-kp-emailProtection, RFC 5280 §4.2.1.12. */
export const OID_EMAIL_PROTECTION = '1.3.6.1.5.5.7.3.4';
/** Where Microsoft defines the smart-card logon profile (EKU, UPN otherName, KU). */
export const SMART_CARD_LOGON_REQUIREMENTS =
  'https://learn.microsoft.com/en-us/previous-versions/windows/it-pro/windows-server-2008-r2-and-2008/ff404293(v=ws.10)';
/** szOID_KP_SMARTCARD_LOGON, "Smart Card Logon" EKU: SMART_CARD_LOGON_REQUIREMENTS, "Enhanced key usage". */
export const OID_SMARTCARD_LOGON = '1.3.6.1.4.1.311.20.2.2';
/**
 * szOID_NT_PRINCIPAL_NAME: the user principal name as an otherName of the SAN,
 * "an ASN1-encoded UTF8 string" (SMART_CARD_LOGON_REQUIREMENTS, "Subject alternative name").
 */
export const OID_UPN = '1.3.6.1.4.1.311.20.2.3';

/** The policy's EKU names (design.md, "Organisation policy") and their OIDs. */
export const EKU_OIDS: Readonly<Record<EkuName, string>> = {
  clientAuth: OID_CLIENT_AUTH,
  smartcardLogon: OID_SMARTCARD_LOGON,
  serverAuth: OID_SERVER_AUTH,
  emailProtection: OID_EMAIL_PROTECTION,
  codeSigning: OID_CODE_SIGNING,
};
