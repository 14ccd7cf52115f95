// The end of pairing: "Security Key paired" (the user guide's words), then the
// paired key.
import { KeyDetails } from '../../components/KeyDetails.tsx';
import { Icon } from '../../components/Icon.tsx';
import { StepHeading } from '../../components/StepHeading.tsx';
import { useNoticeStore } from '../../stores/notice-store.ts';
import { useReminder, useStatusStore } from '../../stores/status-store.ts';
import { cancelWizard } from '../pairing-flow.ts';

export function DoneStep() {
  const pairing = useStatusStore((s) => s.status?.pairing ?? null);
  const reminder = useReminder();
  const notice = useNoticeStore((s) => s.notice);
  return (
    <section className="card card-success">
      <div className="success-mark">
        <Icon name="shield" />
      </div>
      <StepHeading>Security Key paired</StepHeading>
      <p>From now on, sign in to this computer with your security key: plug it in, choose the smart-card option and type your PIN.</p>
      {notice === null ? null : (
        <p role="status" className="notice notice-info">
          {notice}
        </p>
      )}
      {pairing === null ? null : <KeyDetails pairing={pairing} daysLeft={reminder?.daysLeft} />}
      <div className="actions">
        <button type="button" className="button button-primary" onClick={cancelWizard}>
          Show my security key
        </button>
      </div>
    </section>
  );
}
