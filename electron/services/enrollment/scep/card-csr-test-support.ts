// Test support (not shipped code): a CardCsr from a key generated on an
// in-process virtual YubiKey, as the pairing flow builds it (see
// native/piv/session.test.ts for the same steps).
import * as x509 from '../../../../native/x509.ts';
import { VirtualTransport } from '../../../../native/virtual-yubikey/virtual-transport.ts';
import { cardKeyPair } from '../../../../native/piv/card-signer.ts';
import { DEFAULT_MANAGEMENT_KEY, type KeyAlgorithmName, SLOT } from '../../../../native/piv/constants.ts';
import { generateKey } from '../../../../native/piv/keys.ts';
import { secretFromText } from '../../../../native/piv/secrets.ts';
import { PivSession } from '../../../../native/piv/session.ts';
import { createVirtualYubiKey } from '../../../../native/virtual-yubikey/index.ts';
import { authenticateManagementKey, managementKeyAlgorithm } from '../../../../native/yubikey/management-key.ts';
import type { CardCsr } from '../backend.ts';
import { cardRsaDecrypt } from './card-decrypt.ts';

export interface CardRequest {
  readonly csr: CardCsr;
  /** The slot's public key, SubjectPublicKeyInfo DER. */
  readonly publicKeySpki: Uint8Array;
}

/** Generates a key in slot 9a of a fresh virtual YubiKey 5.4.3 and signs a CSR for `subject` on it. */
export async function cardCsr(algorithm: KeyAlgorithmName, subject = 'CN=alice'): Promise<CardRequest> {
  const transport = new VirtualTransport();
  transport.insert('Virtual PCD 00 00', createVirtualYubiKey({ profile: 'yk5.4.3', serial: 12345678 }));
  const session = await PivSession.open(await transport.connect('Virtual PCD 00 00', 'exclusive'));
  await authenticateManagementKey(session, await managementKeyAlgorithm(session), Uint8Array.from(DEFAULT_MANAGEMENT_KEY));
  const publicKey = await generateKey(session, { slot: SLOT.AUTHENTICATION, algorithm });
  await session.verifyPin(secretFromText('123456'));
  const pair = await cardKeyPair(session, SLOT.AUTHENTICATION, algorithm, publicKey);
  const request = await x509.Pkcs10CertificateRequestGenerator.create(
    {
      name: subject,
      keys: pair.keys,
      signingAlgorithm: pair.signingAlgorithm,
      extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])],
    },
    pair.crypto,
  );
  return {
    csr: {
      csrDer: new Uint8Array(request.rawData),
      keys: pair.keys,
      crypto: pair.crypto,
      signingAlgorithm: pair.signingAlgorithm,
      decrypt: cardRsaDecrypt(session, SLOT.AUTHENTICATION, algorithm),
    },
    publicKeySpki: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
  };
}
