// Home when nothing is paired: one way in, "Start Pairing".
import { Icon } from '../../components/Icon.tsx';
import { StepHeading } from '../../components/StepHeading.tsx';
import { useErrorStore } from '../../stores/error-store.ts';
import { useNoticeStore } from '../../stores/notice-store.ts';
import { useWizardStore } from '../../stores/wizard-store.ts';

export function HomeStep() {
  const notice = useNoticeStore((s) => s.notice);
  const start = (): void => {
    useNoticeStore.getState().clear();
    useErrorStore.getState().clear();
    useWizardStore.getState().goTo('choose');
  };
  return (
    <section className="card">
      <div role="status" className="live-status">
        {notice === null ? null : <p className="notice notice-ok">{notice}</p>}
      </div>
      <StepHeading>Sign in without a password</StepHeading>
      <p>Pair your security key with this computer. Then you sign in to Windows with the key and its PIN.</p>
      <div className="actions">
        <button type="button" className="button button-primary" onClick={start}>
          <Icon name="key" />
          Start Pairing
        </button>
      </div>
    </section>
  );
}
