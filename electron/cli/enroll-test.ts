// `wfa enroll-test [--config FILE] [--data-dir DIR] [--json]`: runs the checks
// a policy's enrollment depends on (the policy itself, reachability of the
// service, its CA certificates and the pin) and prints what it found, so an
// administrator can test a policy before deploying it. Nothing is enrolled.
import * as x509 from '../../native/x509.ts';
import type { ErrorFacts } from '../ipc/error-facts.ts';
import { checkCaPin, spkiPin } from '../services/enrollment/certificate-checks.ts';
import { createEnrollmentBackend } from '../services/enrollment/create-backend.ts';
import { EnrollmentError } from '../services/enrollment/enrollment-error.ts';
import { LocalCaError, LocalCaKeyExposedError } from '../services/enrollment/local-ca-store.ts';
import { loadPolicy, PolicyError } from '../services/policy/policy-loader.ts';
import type { Policy } from '../services/policy/policy-schema.ts';
import { EXIT_OK, EXIT_USER_ERROR } from './cli-errors.ts';

export interface EnrollTestOptions {
  /** --config FILE; else WFA_POLICY from env; else the built-in defaults. */
  readonly config: string | undefined;
  readonly dataDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now?: () => Date;
  readonly fetch?: typeof fetch;
}

export interface Finding {
  readonly check: 'policy' | 'reachability' | 'ca-certificates' | 'ca-pin';
  readonly ok: boolean;
  readonly details: readonly string[];
}

export interface EnrollTestOutcome {
  readonly exit: number;
  /** One JSON object: the report, or {"error": {…, "found": […]}}. */
  readonly json: unknown;
  /** For standard output: what was found. */
  readonly text: string;
  /** For standard error: the failure, if any. */
  readonly errorText?: string;
}

function policyDetails(policy: Policy, source: string | null): string[] {
  const e = policy.enrollment;
  const lines = [`source: ${source ?? 'built-in defaults (no --config, no WFA_POLICY)'}`, `backend: ${e.backend}`];
  if (e.backend === 'scep') {
    // The challenge is a secret: say whether it is set, never what it is.
    lines.push(
      `scepUrl: ${e.scepUrl ?? '(none)'}`,
      `challenge: ${e.challenge === undefined ? 'asked from the user' : 'set in the policy'}`,
      `raPin: ${e.raPin ?? '(none)'}`,
      `allowHttp: ${String(e.allowHttp)}`,
      `timeoutSeconds: ${e.timeoutSeconds}`,
    );
  } else {
    lines.push(`validityDays: ${policy.certificate.validityDays}`);
  }
  lines.push(
    `caPin: ${e.caPin ?? '(none)'}`,
    `upnSuffix: ${policy.identity.upnSuffix}`,
    `requiredEku: ${policy.certificate.requiredEku.join(', ')}`,
    `requireUpn: ${String(policy.certificate.requireUpn)}`,
    `key algorithm: ${policy.key.algorithm}`,
  );
  return lines;
}

function describeCa(der: Uint8Array, now: Date): { line: string; expired: ErrorFacts['CERTIFICATE_INVALID'] | null } {
  const cert = new x509.X509Certificate(der);
  const valid = now >= cert.notBefore && now <= cert.notAfter;
  const line = `${cert.subject}: valid ${cert.notBefore.toISOString()} to ${cert.notAfter.toISOString()}${valid ? '' : ' (NOT VALID NOW)'}, pin ${spkiPin(der)}`;
  return {
    line,
    expired: valid ? null : { check: 'ca-not-valid-now', ca: cert.subject, date: `${cert.notBefore.toISOString()} to ${cert.notAfter.toISOString()}` },
  };
}

async function runChecks(options: EnrollTestOptions, found: Finding[]): Promise<void> {
  const { policy, source } = await loadPolicy({ configFlag: options.config, env: options.env });
  found.push({ check: 'policy', ok: true, details: policyDetails(policy, source) });

  const backend = createEnrollmentBackend(policy, { dataDir: options.dataDir, now: options.now, fetch: options.fetch });
  let reach;
  try {
    reach = await backend.checkReachable();
  } catch (e) {
    const detail = e instanceof EnrollmentError && e.detail !== undefined ? [e.detail] : [];
    found.push({ check: 'reachability', ok: false, details: [e instanceof Error ? e.message : String(e), ...detail] });
    throw e;
  }
  found.push({ check: 'reachability', ok: reach.reachable, details: reach.details });
  if (!reach.reachable) throw new EnrollmentError('ENROLLMENT_UNREACHABLE', { reason: 'network' }, { detail: reach.details.join('; ') });

  const now = (options.now ?? (() => new Date()))();
  const certs = await backend.caCertificates();
  const described = certs.map((der) => describeCa(der, now));
  const expired = described.find((d) => d.expired !== null);
  found.push({
    check: 'ca-certificates',
    ok: certs.length > 0 && expired === undefined,
    details: described.length > 0 ? described.map((d) => d.line) : ['(none sent)'],
  });

  const pin = policy.enrollment.caPin;
  if (pin !== undefined) {
    try {
      const match = checkCaPin(certs, pin);
      found.push({ check: 'ca-pin', ok: true, details: [`${pin} matches ${new x509.X509Certificate(match).subject}`] });
    } catch (e) {
      found.push({ check: 'ca-pin', ok: false, details: [`${pin} matches none of the CA certificates above`] });
      throw e;
    }
  } else if (certs[0] !== undefined) {
    // Only the local CA runs without a pin (the schema requires one for SCEP).
    found.push({
      check: 'ca-pin',
      ok: true,
      details: [`no caPin in the policy: the local CA's own certificate is trusted (to pin it, set enrollment.caPin to ${spkiPin(certs[0])})`],
    });
  } else {
    throw new EnrollmentError('CA_PIN_MISMATCH', { reason: 'no-ca-certificate' });
  }
  if (expired?.expired) throw new EnrollmentError('CERTIFICATE_INVALID', expired.expired);
}

function render(found: readonly Finding[]): string {
  return found.map((f) => [`${f.ok ? 'ok  ' : 'FAIL'} ${f.check}`, ...f.details.map((d) => `       ${d}`)].join('\n')).join('\n');
}

interface FailureReport {
  readonly code: string;
  readonly message: string;
  readonly problems?: readonly string[];
  readonly detail?: string;
}

/** The documented codes of the failures an administrator can act on; anything else is rethrown. */
function failureReport(error: unknown): FailureReport | null {
  if (error instanceof PolicyError) return { code: error.code, message: error.message, problems: error.problems };
  if (error instanceof EnrollmentError)
    return error.detail === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, detail: error.detail };
  if (error instanceof LocalCaError) return { code: error.code, message: error.message };
  if (error instanceof LocalCaKeyExposedError) return { code: error.code, message: error.message, detail: error.detail };
  return null;
}

/** Exit 0 when every check passed, 3 (with the failure's code) when one failed. */
export async function enrollTest(options: EnrollTestOptions): Promise<EnrollTestOutcome> {
  const found: Finding[] = [];
  try {
    await runChecks(options, found);
  } catch (error) {
    const report = failureReport(error);
    if (report === null) throw error;
    return {
      exit: EXIT_USER_ERROR,
      json: { error: { ...report, found } },
      text: render(found),
      errorText: `${report.code}: ${report.message}${report.detail === undefined ? '' : ` (${report.detail})`}`,
    };
  }
  return { exit: EXIT_OK, json: { ok: true, found }, text: `${render(found)}\nThe policy's enrollment checks passed.` };
}
