// The organisation policy file (design.md, "Organisation policy"): field names
// are fixed, other tools and administrators write them. Unknown fields and
// bad values are errors that name the field.
import { z } from 'zod';
import type { KeyAlgorithmName } from '../../../native/piv/constants.ts';

const sha256Pin = z
  .string()
  .regex(/^sha256:[0-9a-fA-F]{64}$/, 'must be "sha256:" followed by 64 hex digits (SHA-256 of the CA certificate\'s SubjectPublicKeyInfo)')
  .transform((s) => s.toLowerCase());

const enrollmentSchema = z
  .strictObject({
    backend: z.enum(['local', 'scep']).default('local'),
    scepUrl: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
    challenge: z.string().min(1).optional(),
    caPin: sha256Pin.optional(),
    /** The RA certificate requests are encrypted to, pinned the same way as caPin. */
    raPin: sha256Pin.optional(),
    /** Plain http:// SCEP (as NDES often runs): requests and answers travel unprotected by TLS (README, "SCEP over http"). */
    allowHttp: z.boolean().default(false),
    timeoutSeconds: z.number().int().min(1).max(300).default(20),
  })
  .superRefine((e, ctx) => {
    if (e.backend !== 'scep') return;
    if (e.scepUrl === undefined) ctx.addIssue({ code: 'custom', path: ['scepUrl'], message: 'is required when backend is "scep"' });
    if (e.caPin === undefined) ctx.addIssue({ code: 'custom', path: ['caPin'], message: 'is required when backend is "scep"' });
    if (e.scepUrl?.startsWith('http:') === true && !e.allowHttp) {
      ctx.addIssue({
        code: 'custom',
        path: ['scepUrl'],
        message: 'is a plain http:// URL: use https://, or set "allowHttp": true if the service only runs on http (README, "SCEP over http")',
      });
    }
  });

/** One PEM certificate: a root trusted for PIV attestation besides Yubico's (an organisation's own, or a test card's). */
const pemCertificate = z
  .string()
  .regex(/^\s*-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----\s*$/, 'must be one PEM certificate (-----BEGIN CERTIFICATE----- …)');

const attestationSchema = z.strictObject({
  /** true: pairing refuses a key whose attestation fails; false: the result is recorded and shown. */
  require: z.boolean().default(false),
  extraRoots: z.array(pemCertificate).default([]),
});

/** The key algorithms a policy may ask for, and a pairing record may hold: those every supported YubiKey makes and Windows smart-card logon takes. */
export const PAIRING_KEY_ALGORITHMS = ['RSA2048', 'ECCP256', 'ECCP384'] as const satisfies readonly KeyAlgorithmName[];

export const EKU_NAMES = ['clientAuth', 'smartcardLogon', 'serverAuth', 'emailProtection', 'codeSigning'] as const;

export const policySchema = z
  .strictObject({
    enrollment: enrollmentSchema.default({ backend: 'local', allowHttp: false, timeoutSeconds: 20 }),
    identity: z
      .strictObject({
        upnSuffix: z
          .string()
          .regex(/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/, 'must be a domain name such as example.com'),
      })
      .default({ upnSuffix: 'workforce.local' }),
    certificate: z
      .strictObject({
        validityDays: z.number().int().min(1).max(3650).default(365),
        requiredEku: z.array(z.enum(EKU_NAMES)).min(1).default(['clientAuth', 'smartcardLogon']),
        requireUpn: z.boolean().default(true),
      })
      .default({ validityDays: 365, requiredEku: ['clientAuth', 'smartcardLogon'], requireUpn: true }),
    key: z.strictObject({ algorithm: z.enum(PAIRING_KEY_ALGORITHMS).default('RSA2048') }).default({ algorithm: 'RSA2048' }),
    pin: z.strictObject({ digitsOnly: z.boolean().default(false) }).default({ digitsOnly: false }),
    puk: z.strictObject({ mode: z.enum(['random', 'keep']).default('random') }).default({ mode: 'random' }),
    renewal: z
      .strictObject({
        noticeDays: z.number().int().min(1).max(365).default(30),
        urgentDays: z.number().int().min(1).max(365).default(7),
        finalDays: z.number().int().min(1).max(365).default(1),
      })
      .refine((r) => r.noticeDays >= r.urgentDays && r.urgentDays >= r.finalDays, {
        message: 'noticeDays ≥ urgentDays ≥ finalDays must hold',
      })
      .default({ noticeDays: 30, urgentDays: 7, finalDays: 1 }),
    attestation: attestationSchema.default({ require: false, extraRoots: [] }),
  })
  .superRefine((p, ctx) => {
    // A SCEP CA encrypts its answer to the requester's key, which RFC 8894 does by RSA key transport only.
    if (p.enrollment.backend === 'scep' && p.key.algorithm !== 'RSA2048') {
      ctx.addIssue({
        code: 'custom',
        path: ['key', 'algorithm'],
        message: 'must be "RSA2048" when enrollment.backend is "scep" (SCEP encrypts the certificate to an RSA key)',
      });
    }
  });

export type Policy = z.output<typeof policySchema>;
export type EkuName = (typeof EKU_NAMES)[number];
