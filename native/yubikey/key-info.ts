// What we know of one key, read without spending a PIN try. Identifying a key
// (the key list, every operation's start) reads each thing once: device info
// gives serial, firmware and model; GET METADATA gives tries and the management
// key's state. Certificates are read only where they are shown (`wfa key info`,
// `wfa status`).
import { NativeError } from '../errors.ts';
import type { CardConnection } from '../pcsc/transport.ts';
import { SLOT, type ManagementKeyAlgorithmName } from '../piv/constants.ts';
import { readCertificate } from '../piv/objects.ts';
import { PivSession } from '../piv/session.ts';
import { readWholeCertificate } from '../x509.ts';
import { productName, readDeviceInfo } from './device-info.ts';
import { managementKeyMetadata } from './management-key.ts';
import { type ManagementKeyState, managementKeyState, PIVMAN_FLAG_MGM_KEY_PROTECTED, readPivmanData } from './pivman.ts';
import { type FirmwareVersion, supports, versionText } from './version.ts';

export interface SlotCertificate {
  readonly subject: string;
  /** ISO 8601. */
  readonly notAfter: string;
  /** Hex, as X.509 tools print it. */
  readonly serial: string;
}

/** What the key list shows of a key. */
export interface KeyState {
  readonly reader: string;
  readonly serial: number;
  readonly firmware: string;
  readonly model: string;
  readonly pinRetries: number | null;
  readonly pukRetries: number | null;
  readonly managementKey: ManagementKeyState;
}

export interface KeyInfo extends KeyState {
  readonly slots: Readonly<Record<string, SlotCertificate>>;
}

/**
 * What an operation on the key needs to know before it starts, read once when
 * the key was identified and passed along, so the operation does not ask the
 * card again.
 */
export interface DeviceContext {
  readonly reader: string;
  readonly serial: number;
  readonly version: FirmwareVersion;
  readonly model: string;
  /** The reader's card event counter when the key was read (null: not known; then the serial is asked). */
  readonly insertion: number | null;
  readonly pinRetries: number | null;
  /** From GET METADATA 9B (5.3+); null before. */
  readonly managementKeyAlgorithm: ManagementKeyAlgorithmName | null;
}

export interface IdentifiedKey {
  readonly state: KeyState;
  readonly device: DeviceContext;
}

const CERTIFICATE_SLOTS = [SLOT.AUTHENTICATION, SLOT.SIGNATURE, SLOT.KEY_MANAGEMENT, SLOT.CARD_AUTHENTICATION];

export function describeCertificate(der: Uint8Array): SlotCertificate {
  try {
    const cert = readWholeCertificate(der);
    return { subject: cert.subject, notAfter: cert.notAfter.toISOString(), serial: cert.serialNumber.toLowerCase() };
  } catch (e) {
    throw new NativeError('INVALID_RESPONSE', { part: 'certificate' }, { cause: e });
  }
}

/**
 * Identifies the key: on a YubiKey 5.3+ six APDUs (SELECT management, READ
 * CONFIG, SELECT PIV, GET METADATA for PIN, PUK and management key), one more
 * (PIVMAN data) when the management key is not the factory one. Leaves the
 * session open on the connection for the caller.
 */
async function identify(connection: CardConnection): Promise<IdentifiedKey & { readonly session: PivSession }> {
  const device = await readDeviceInfo(connection);
  const session = await PivSession.open(connection, device?.version ?? undefined);
  const serial = device?.serial ?? (await session.serial());
  let pinRetries: number | null;
  let pukRetries: number | null = null;
  let managementKey: ManagementKeyState;
  let algorithm: ManagementKeyAlgorithmName | null = null;
  if (supports(session.version, 'metadata')) {
    pinRetries = (await session.referenceMetadata('pin')).remaining;
    pukRetries = (await session.referenceMetadata('puk')).remaining;
    const metadata = await managementKeyMetadata(session);
    algorithm = metadata?.algorithm ?? null;
    // The factory key is never "protected"; only another key needs the PIVMAN flag looked up.
    if (metadata?.isDefault === true) managementKey = 'default';
    else managementKey = ((await readPivmanData(session)).flags & PIVMAN_FLAG_MGM_KEY_PROTECTED) !== 0 ? 'protected' : 'unknown';
  } else {
    pinRetries = await session.pinRetries();
    managementKey = await managementKeyState(session);
  }
  const state: KeyState = {
    reader: connection.reader,
    serial,
    firmware: versionText(session.version),
    model: productName(session.version, device),
    pinRetries,
    pukRetries,
    managementKey,
  };
  return {
    state,
    device: {
      reader: connection.reader,
      serial,
      version: session.version,
      model: state.model,
      insertion: connection.insertion,
      pinRetries,
      managementKeyAlgorithm: algorithm,
    },
    session,
  };
}

export async function identifyKey(connection: CardConnection): Promise<IdentifiedKey> {
  const { state, device } = await identify(connection);
  return { state, device };
}

/** The certificates in the four PIV slots, by slot ("9a", …). */
export async function readSlotCertificates(session: PivSession): Promise<Record<string, SlotCertificate>> {
  const slots: Record<string, SlotCertificate> = {};
  for (const slot of CERTIFICATE_SLOTS) {
    const der = await readCertificate(session, slot);
    if (der !== null) slots[slot.toString(16)] = describeCertificate(der);
  }
  return slots;
}

/** Everything `wfa key info` shows: the key and its certificates, on one connection. */
export async function readKeyInfo(connection: CardConnection): Promise<KeyInfo> {
  const { state, session } = await identify(connection);
  return { ...state, slots: await readSlotCertificates(session) };
}
