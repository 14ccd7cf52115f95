// Test helpers: a CSR built and signed on the in-process virtual card, as the
// pairing flow builds it (native/piv/card-signer.ts), and a temp data folder.
import type { KeyObject } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualTransport } from '../../../native/virtual-yubikey/virtual-transport.ts';
import { cardKeyPair } from '../../../native/piv/card-signer.ts';
import { DEFAULT_MANAGEMENT_KEY, type KeyAlgorithmName, SLOT } from '../../../native/piv/constants.ts';
import { generateKey } from '../../../native/piv/keys.ts';
import { secretFromText } from '../../../native/piv/secrets.ts';
import { PivSession } from '../../../native/piv/session.ts';
import { createVirtualYubiKey } from '../../../native/virtual-yubikey/index.ts';
import { authenticateManagementKey, managementKeyAlgorithm } from '../../../native/yubikey/management-key.ts';
import * as x509 from '../../../native/x509.ts';
import type { CardCsr } from './backend.ts';

export interface CardCsrFixture {
  readonly csr: CardCsr;
  /** The slot's public key, as generateKey returned it. */
  readonly publicKey: KeyObject;
}

/** A key generated in slot 9a of a fresh virtual YubiKey 5 and a CSR signed there. */
export async function cardCsrFixture(algorithm: KeyAlgorithmName = 'ECCP256'): Promise<CardCsrFixture> {
  const transport = new VirtualTransport();
  transport.insert('Virtual PCD 00 00', createVirtualYubiKey({ profile: 'yk5.4.3', serial: 20250001 }));
  const session = await PivSession.open(await transport.connect('Virtual PCD 00 00', 'exclusive'));
  await authenticateManagementKey(session, await managementKeyAlgorithm(session), Uint8Array.from(DEFAULT_MANAGEMENT_KEY));
  const publicKey = await generateKey(session, { slot: SLOT.AUTHENTICATION, algorithm });
  await session.verifyPin(secretFromText('123456'));
  const pair = await cardKeyPair(session, SLOT.AUTHENTICATION, algorithm, publicKey);
  const request = await x509.Pkcs10CertificateRequestGenerator.create(
    { name: 'CN=ignored by the CA', keys: pair.keys, signingAlgorithm: pair.signingAlgorithm },
    pair.crypto,
  );
  return { csr: { csrDer: new Uint8Array(request.rawData), keys: pair.keys, crypto: pair.crypto, signingAlgorithm: pair.signingAlgorithm }, publicKey };
}

export async function tempDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'wfa-enroll-'));
}
