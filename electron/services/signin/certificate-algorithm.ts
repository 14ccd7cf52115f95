import { createPublicKey } from 'node:crypto';
import type { KeyAlgorithmName } from '../../../native/piv/constants.ts';
import type * as x509 from '../../../native/x509.ts';
import { ServiceError } from '../app-error.ts';

/** The PIV algorithm of a certificate's public key (RSA by modulus size, EC by curve). */
export function algorithmOfCertificate(cert: x509.X509Certificate): KeyAlgorithmName {
  const key = createPublicKey({ key: Buffer.from(cert.publicKey.rawData), format: 'der', type: 'spki' });
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'rsa') {
    const bits = details?.modulusLength;
    if (bits === 1024) return 'RSA1024';
    if (bits === 2048) return 'RSA2048';
    if (bits === 3072) return 'RSA3072';
    if (bits === 4096) return 'RSA4096';
  }
  if (key.asymmetricKeyType === 'ec') {
    if (details?.namedCurve === 'prime256v1') return 'ECCP256';
    if (details?.namedCurve === 'secp384r1') return 'ECCP384';
  }
  throw new ServiceError('NO_VALID_CERTIFICATE', { reason: 'unknown-key-type' });
}
