// The facts of a paired key: model, serial, certificate expiry and days left.
import type { PairingView } from '../../../electron/ipc/contract.ts';
import { daysText, daysUntil, formatDate } from './format.ts';

export interface KeyDetailsProps {
  readonly pairing: PairingView;
  /** The days left as the main process counts them (the reminder), when known. */
  readonly daysLeft?: number | undefined;
  readonly fallbackModel?: string | undefined;
}

export function KeyDetails({ pairing, daysLeft, fallbackModel }: KeyDetailsProps) {
  const notAfter = pairing.certificate?.notAfter;
  const days = daysLeft ?? (notAfter === undefined ? undefined : daysUntil(notAfter));
  return (
    <dl className="details">
      <div>
        <dt>Model</dt>
        <dd>{pairing.model ?? fallbackModel ?? 'YubiKey'}</dd>
      </div>
      <div>
        <dt>Serial number</dt>
        <dd>{pairing.serial}</dd>
      </div>
      {notAfter === undefined ? null : (
        <div>
          <dt>Certificate expires</dt>
          <dd>
            {formatDate(notAfter)} <span className="muted">({daysText(days ?? 0)})</span>
          </dd>
        </div>
      )}
    </dl>
  );
}
