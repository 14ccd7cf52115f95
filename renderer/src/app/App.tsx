// The page: a header, the renewal banner, and one screen: the pairing wizard
// while it runs, else the interrupted pairing, the paired key, or home.
import { useEffect } from 'react';
import logoUrl from '../../../assets/icon.svg';
import { PairedKeyScreen } from '../key/PairedKeyScreen.tsx';
import { RenewalBanner } from '../key/RenewalBanner.tsx';
import { ResumePairing } from '../key/ResumePairing.tsx';
import { useStatusStore } from '../stores/status-store.ts';
import { useWizardStore } from '../stores/wizard-store.ts';
import { HomeStep } from '../wizard/steps/HomeStep.tsx';
import { Wizard } from '../wizard/Wizard.tsx';
import { connectLiveUpdates } from './live-updates.ts';
import { StatusProblems } from './StatusProblems.tsx';

function Screen() {
  const step = useWizardStore((s) => s.step);
  const status = useStatusStore((s) => s.status);
  if (step !== 'idle') return <Wizard step={step} />;
  if (status === null) return null;
  const pairing = status.pairing;
  if (pairing === null) return <HomeStep />;
  if (pairing.certificate === null) return <ResumePairing pairing={pairing} />;
  return <PairedKeyScreen pairing={pairing} />;
}

export function App() {
  const loading = useStatusStore((s) => s.loading && s.status === null);
  useEffect(() => {
    const stop = connectLiveUpdates();
    void useStatusStore.getState().refresh();
    return stop;
  }, []);
  return (
    <div className="app">
      <header className="app-header">
        <img src={logoUrl} alt="" width={28} height={28} />
        <span className="app-name">Workforce Access</span>
      </header>
      <main className="app-main">
        <RenewalBanner />
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
