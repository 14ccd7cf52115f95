// Everything `wfa key info` shows about one key, read without spending a PIN try.
import { NativeError } from '../errors.ts';
import type { CardConnection } from '../pcsc/transport.ts';
import { SLOT } from '../piv/constants.ts';
import { readCertificate } from '../piv/objects.ts';
import { PivSession } from '../piv/session.ts';
import { readWholeCertificate } from '../x509.ts';
import { productName, readDeviceInfo } from './device-info.ts';
import { type ManagementKeyState, managementKeyState } from './pivman.ts';
import { versionText } from './version.ts';

export interface SlotCertificate {
  readonly subject: string;
  /** ISO 8601. */
  readonly notAfter: string;
  /** Hex, as X.509 tools print it. */
  readonly serial: string;
}

export interface KeyInfo {
  readonly reader: string;
  readonly serial: number;
  readonly firmware: string;
  readonly model: string;
  readonly pinRetries: number | null;
  readonly pukRetries: number | null;
  readonly managementKey: ManagementKeyState;
  readonly slots: Readonly<Record<string, SlotCertificate>>;
}

const CERTIFICATE_SLOTS = [SLOT.AUTHENTICATION, SLOT.SIGNATURE, SLOT.KEY_MANAGEMENT, SLOT.CARD_AUTHENTICATION];

export function describeCertificate(der: Uint8Array): SlotCertificate {
  try {
    const cert = readWholeCertificate(der);
    return { subject: cert.subject, notAfter: cert.notAfter.toISOString(), serial: cert.serialNumber.toLowerCase() };
  } catch (e) {
    throw new NativeError('INVALID_RESPONSE', 'A certificate on the key cannot be read.', { cause: e });
  }
}

export async function readKeyInfo(connection: CardConnection): Promise<KeyInfo> {
  const device = await readDeviceInfo(connection);
  const session = await PivSession.open(connection);
  const slots: Record<string, SlotCertificate> = {};
  for (const slot of CERTIFICATE_SLOTS) {
    const der = await readCertificate(session, slot);
    if (der !== null) slots[slot.toString(16)] = describeCertificate(der);
  }
  return {
    reader: connection.reader,
    serial: await session.serial(),
    firmware: versionText(session.version),
    model: productName(session.version, device),
    pinRetries: await session.pinRetries(),
    pukRetries: await session.pukRetries(),
    managementKey: await managementKeyState(session),
    slots,
  };
}
