// What the status itself reports: it could not be read (with "Try again"),
// or the pairing record was unreadable and kept aside (told once, as the
// main process asks).
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { useStatusStore } from '../stores/status-store.ts';

export function StatusProblems() {
  const loadError = useStatusStore((s) => s.loadError);
  const storeProblem = useStatusStore((s) => s.status?.storeProblem ?? null);
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
      {storeProblem === null ? null : (
        <p role="status" className="notice notice-info">
          {storeProblem}
        </p>
      )}
    </>
  );
}
