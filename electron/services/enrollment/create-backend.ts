// The enrollment backend a policy asks for: the local CA (default) or SCEP.
import type { Policy } from '../policy/policy-schema.ts';
import { PolicyError } from '../policy/policy-loader.ts';
import type { EnrollmentBackend } from './backend.ts';
import { LocalCa } from './local-ca.ts';
import { ScepBackend } from './scep/scep-backend.ts';

export interface BackendContext {
  /** The app's data folder (the local CA lives in its `local-ca` subfolder). */
  readonly dataDir: string;
  /** Test-only clock injection (local CA). */
  readonly now?: () => Date;
  /** Test-only HTTP injection (SCEP). */
  readonly fetch?: typeof fetch;
}

export function createEnrollmentBackend(policy: Policy, context: BackendContext): EnrollmentBackend {
  const enrollment = policy.enrollment;
  if (enrollment.backend === 'local') {
    return new LocalCa({ dataDir: context.dataDir, validityDays: policy.certificate.validityDays, upnSuffix: policy.identity.upnSuffix, now: context.now });
  }
  // The schema requires both for "scep"; a Policy built by hand could still lack them.
  if (enrollment.scepUrl === undefined || enrollment.caPin === undefined) {
    const missing = [
      enrollment.scepUrl === undefined ? 'enrollment.scepUrl: is required when backend is "scep"' : null,
      enrollment.caPin === undefined ? 'enrollment.caPin: is required when backend is "scep"' : null,
    ];
    throw new PolicyError(
      null,
      missing.filter((p): p is string => p !== null),
    );
  }
  return new ScepBackend({
    url: enrollment.scepUrl,
    challenge: enrollment.challenge,
    caPin: enrollment.caPin,
    raPin: enrollment.raPin,
    allowHttp: enrollment.allowHttp,
    timeoutMs: enrollment.timeoutSeconds * 1000,
    fetch: context.fetch,
  });
}
