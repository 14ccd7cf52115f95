// What the status itself reports: it could not be read (with "Try again"),
// and the problems the main process reports until the user acts (a pairing
// record kept aside, a pairing the key no longer matches, a blocked PIN, an
// unusable data folder): each in the table's words, with the specifics.
import type { StatusProblem } from '../../../electron/ipc/contract.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { wordsFor } from '../errors/messages.ts';
import { useErrorStore } from '../stores/error-store.ts';
import { useNoticeStore } from '../stores/notice-store.ts';
import { useStatusStore } from '../stores/status-store.ts';
import { useWizardStore } from '../stores/wizard-store.ts';

const NO_PROBLEMS: readonly StatusProblem[] = [];

/** A pairing the key no longer matches is fixed by pairing again: the wizard replaces the stale record. */
function pairAgain(): void {
  useNoticeStore.getState().clear();
  useErrorStore.getState().clear();
  useWizardStore.getState().goTo('choose');
}

export function StatusProblems() {
  const loadError = useStatusStore((s) => s.loadError);
  const problems = useStatusStore((s) => s.status?.problems ?? NO_PROBLEMS);
  return (
    <>
      {loadError === null ? null : (
        <div className="card">
          <ErrorNotice code={loadError.code} retries={loadError.retries} detail={loadError.detail} />
          <div className="actions">
            <button type="button" className="button button-primary" onClick={() => void useStatusStore.getState().refresh()}>
              Try again
            </button>
          </div>
        </div>
      )}
      {problems.map((problem) => (
        <div key={`${problem.code}:${problem.detail ?? ''}`} role="status" className="notice notice-info">
          <p className="notice-title">{wordsFor(problem.code).title}</p>
          <p>{problem.message}</p>
          {problem.code === 'PAIRING_STALE' ? (
            <div className="actions">
              <button type="button" className="button button-primary" onClick={pairAgain}>
                Pair again
              </button>
            </div>
          ) : null}
        </div>
      ))}
    </>
  );
}
