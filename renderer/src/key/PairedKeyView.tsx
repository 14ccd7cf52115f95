// The paired key: model, serial, certificate expiry and days left, whether it
// is plugged in (live), and what can be done with it: "Change PIN" (edit
// icon), "Remove security key" (trash icon), "Check sign-in".
import type { PairingView } from '../../../electron/ipc/contract.ts';
import { Icon } from '../components/Icon.tsx';
import { KeyDetails } from '../components/KeyDetails.tsx';
import { KeyProvenance } from './KeyProvenance.tsx';
import { StepHeading } from '../components/StepHeading.tsx';
import { attemptsLeftText } from '../errors/messages.ts';
import { useNoticeStore } from '../stores/notice-store.ts';
import { findKey, useKeys, useReminder } from '../stores/status-store.ts';

export interface PairedKeyViewProps {
  readonly pairing: PairingView;
  readonly onChangePin: () => void;
  readonly onRemove: () => void;
  readonly onCheckSignIn: () => void;
}

export function PairedKeyView({ pairing, onChangePin, onRemove, onCheckSignIn }: PairedKeyViewProps) {
  const keys = useKeys();
  const reminder = useReminder();
  const notice = useNoticeStore((s) => s.notice);
  const key = findKey(keys, pairing.serial);
  const others = keys.filter((k) => k.serial !== pairing.serial);
  return (
    <section className="card">
      <div role="status" className="live-status">
        {notice === null ? null : <p className="notice notice-ok">{notice}</p>}
      </div>
      <div className="card-title-row">
        <StepHeading>Your security key</StepHeading>
        <span className={key === undefined ? 'badge badge-off' : 'badge badge-on'}>{key === undefined ? 'Not plugged in' : 'Plugged in'}</span>
      </div>
      <KeyDetails pairing={pairing} daysLeft={reminder?.daysLeft} fallbackModel={key?.model} />
      <KeyProvenance attestation={pairing.attestationDetail} />
      <div role="status" className="live-status">
        {key?.pinRetries === null || key === undefined ? null : <p className="muted">{attemptsLeftText(key.pinRetries)}</p>}
        {others.length > 0 ? (
          <p className="notice notice-info">
            Another security key is plugged in (serial {others.map((k) => k.serial).join(', ')}). It is not the one paired with this computer.
          </p>
        ) : null}
      </div>
      <div className="actions">
        <button type="button" className="button" onClick={onChangePin}>
          <Icon name="edit" />
          Change PIN
        </button>
        <button type="button" className="button" onClick={onCheckSignIn}>
          <Icon name="check" />
          Check sign-in
        </button>
        <button type="button" className="button button-danger" onClick={onRemove}>
          <Icon name="trash" />
          Remove security key
        </button>
      </div>
    </section>
  );
}
