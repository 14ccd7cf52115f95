// One error in the user's words: what happened, what to do, the tries left.
// role="alert", so it is announced as it appears.
import type { ErrorCode } from '../../../electron/ipc/error-codes.ts';
import { attemptsLeftText, wordsFor } from '../errors/messages.ts';
import { Icon } from './Icon.tsx';

export interface ErrorNoticeProps {
  readonly code: ErrorCode;
  readonly retries?: number | undefined;
  readonly detail?: string | undefined;
  /** What to do, where a flow's way out differs from the table's (renewal: "then choose Try again"). */
  readonly action?: string | undefined;
}

const PUK_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['PUK_INCORRECT', 'PUK_BLOCKED']);

export function ErrorNotice({ code, retries, detail, action }: ErrorNoticeProps) {
  const words = wordsFor(code);
  return (
    <div role="alert" className="notice notice-error">
      <Icon name="alert" />
      <div>
        <p className="notice-title">{words.title}</p>
        <p>{action ?? words.action}</p>
        {retries !== undefined && retries > 0 ? <p className="notice-retries">{attemptsLeftText(retries, PUK_CODES.has(code) ? 'PUK' : 'PIN')}</p> : null}
        {words.showDetail === true && detail !== undefined && detail !== '' ? <p className="notice-detail">Details: {detail}</p> : null}
      </div>
    </div>
  );
}
