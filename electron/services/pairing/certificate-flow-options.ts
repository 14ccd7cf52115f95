// What pairing and renewal both work with: they write the same pairing
// records, on the same key under its lock, with certificates from the same CA.
import type { AuditLog } from '../audit/audit-log.ts';
import type { EnrollmentBackend, EnrollmentIdentity } from '../enrollment/backend.ts';
import type { KeyLock } from '../key-lock.ts';
import type { KeyService } from '../keys/key-service.ts';
import type { Policy } from '../policy/policy-schema.ts';
import type { JsonStore } from '../store/json-store.ts';
import type { PairingState } from './pairing-store.ts';

export interface CertificateFlowOptions {
  readonly store: JsonStore<PairingState>;
  readonly keys: KeyService;
  readonly lock: KeyLock;
  readonly enrollment: EnrollmentBackend;
  readonly policy: Policy;
  readonly identity: EnrollmentIdentity;
  readonly audit: AuditLog;
  readonly now: () => Date;
}
