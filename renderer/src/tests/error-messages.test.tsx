// Every error code has its words (what happened, what to do), shown as an
// alert that axe finds nothing serious in; the documented sentences are kept
// word for word.
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../electron/ipc/error-codes.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { ERROR_MESSAGES } from '../errors/messages.ts';
import { expectNoSeriousAxeViolations } from '../test/axe.ts';

const codes = Object.keys(ERROR_MESSAGES) as ErrorCode[];

describe('error words', () => {
  it.each(codes)('%s: an alert that says what happened and what to do', async (code) => {
    const words = ERROR_MESSAGES[code];
    expect(words.title.length).toBeGreaterThan(5);
    expect(words.action.length).toBeGreaterThan(10);
    render(
      <main>
        <ErrorNotice code={code} retries={2} detail="the CA said no" />
      </main>,
    );
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain(words.title);
    expect(alert.textContent).toContain(words.action);
    expect(alert.textContent).toContain(code.startsWith('PUK') ? '2 PUK attempts left' : '2 PIN attempts left');
    expect(alert.textContent?.includes('Details: the CA said no')).toBe(words.showDetail === true);
    await expectNoSeriousAxeViolations();
  });

  it('keeps the documented messages word for word', () => {
    expect(ERROR_MESSAGES.PIN_TOO_WEAK.title).toBe('Try a stronger combination');
    expect(ERROR_MESSAGES.PIN_MISMATCH.title).toBe('PINs do not match');
    expect(ERROR_MESSAGES.PIN_SAME_AS_CURRENT.title).toBe('Please use a different PIN');
    expect(ERROR_MESSAGES.PIN_BLOCKED.title).toBe('Too many failed attempts');
    expect(ERROR_MESSAGES.SMART_CARD_BLOCKED.title).toBe('The smart card is blocked');
    expect(ERROR_MESSAGES.NO_VALID_CERTIFICATE.title).toBe('No valid certificates were found on this smart card');
    expect(ERROR_MESSAGES.REVOCATION_UNKNOWN.title).toBe(
      'The revocation status of the domain controller certificate used for smart card authentication could not be determined.',
    );
    expect(ERROR_MESSAGES.NO_KEY.title).toBe("Your security key isn't plugged in");
    expect(`${ERROR_MESSAGES.ENROLLMENT_UNREACHABLE.title} ${ERROR_MESSAGES.ENROLLMENT_UNREACHABLE.action}`).toMatch(/company network.*VPN/s);
  });

  it('a blocked PIN or card says the administrator must reset the key', () => {
    expect(ERROR_MESSAGES.PIN_BLOCKED.action).toMatch(/administrator must reset/);
    expect(ERROR_MESSAGES.SMART_CARD_BLOCKED.action).toMatch(/administrator must reset/);
  });

  it('shows no tries left line when there are none to show', () => {
    render(<ErrorNotice code="PIN_BLOCKED" retries={0} />);
    expect(screen.getByRole('alert').textContent).not.toMatch(/attempts? left/);
  });
});
