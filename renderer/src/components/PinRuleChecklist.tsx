// The PIN rules, ticked live as the user types (electron/ipc/pin-rules.ts is
// the same module the main process enforces). Not a live region: announcing
// every keystroke would drown the user; the message under the field is.
import { useId } from 'react';
import { evaluatePinRules, type PinRuleInput } from '../../../electron/ipc/pin-rules.ts';
import { Icon } from './Icon.tsx';

export function PinRuleChecklist(props: PinRuleInput) {
  const headingId = useId();
  const rules = evaluatePinRules(props);
  return (
    <div className="rules">
      <p id={headingId} className="rules-heading">
        Your new PIN must be:
      </p>
      <ul aria-labelledby={headingId}>
        {rules.map((rule) => (
          <li key={rule.id} className={rule.ok ? 'rule rule-ok' : 'rule'}>
            <Icon name={rule.ok ? 'check' : 'info'} />
            <span>{rule.label}</span>
            <span className="visually-hidden">{rule.ok ? ' (met)' : ' (not met yet)'}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
