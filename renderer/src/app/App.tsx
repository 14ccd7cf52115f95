// The page: a header (with the in-page tray view in the web shell), the
// renewal banner, and one screen: the pairing wizard while it runs, else the
// renewal flow while it is open, the interrupted pairing, the paired key, or home.
import { useEffect } from 'react';
import logoUrl from '../../../assets/icon.svg';
import { PairedKeyScreen } from '../key/PairedKeyScreen.tsx';
import { RenewalBanner } from '../key/RenewalBanner.tsx';
import { ResumePairing } from '../key/ResumePairing.tsx';
import { RenewalFlow } from '../renewal/RenewalFlow.tsx';
import { useRenewalStore } from '../stores/renewal-store.ts';
import { useStatusStore } from '../stores/status-store.ts';
import { useTrayStore } from '../stores/tray-store.ts';
import { useWizardStore } from '../stores/wizard-store.ts';
import { TrayView } from '../tray/TrayView.tsx';
import { HomeStep } from '../wizard/steps/HomeStep.tsx';
import { Wizard } from '../wizard/Wizard.tsx';
import { connectLiveUpdates } from './live-updates.ts';
import { StatusProblems } from './StatusProblems.tsx';

function Screen() {
  const step = useWizardStore((s) => s.step);
  const status = useStatusStore((s) => s.status);
  const renewing = useRenewalStore((s) => s.open);
  if (step !== 'idle') return <Wizard step={step} />;
  if (status === null) return null;
  const pairing = status.pairing;
  if (pairing === null) return <HomeStep />;
  if (pairing.certificate === null) return <ResumePairing pairing={pairing} />;
  if (renewing) return <RenewalFlow serial={pairing.serial} />;
  return <PairedKeyScreen pairing={pairing} />;
}

/** The desktop app has a real tray (electron/main/system-tray.ts); its page is served from app://. */
const hasSystemTray = (): boolean => window.location.protocol === 'app:';

export function App() {
  const loading = useStatusStore((s) => s.loading && s.status === null);
  const renewing = useRenewalStore((s) => s.open);
  useEffect(() => {
    const stop = connectLiveUpdates();
    void useStatusStore.getState().refresh();
    void useTrayStore.getState().refresh();
    return stop;
  }, []);
  return (
    <div className="app">
      <header className="app-header">
        <img src={logoUrl} alt="" width={28} height={28} />
        <span className="app-name">Workforce Access</span>
        {hasSystemTray() ? null : <TrayView />}
      </header>
      <main className="app-main">
        {renewing ? null : <RenewalBanner />}
        <StatusProblems />
        {loading ? (
          <p role="status" className="busy">
            <span className="spinner" aria-hidden="true" />
            Loading…
          </p>
        ) : null}
        <Screen />
      </main>
    </div>
  );
}
