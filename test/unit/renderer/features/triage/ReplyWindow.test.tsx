import { cleanup, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { REPLY_WINDOW_MS } from '../../../../../shared/domain/reply-windows';
import { ReplyWindow } from '../../../../../renderer/src/features/triage/ReplyWindow';
import { createI18n } from '../../../../../renderer/src/i18n';
import { HOUR, MINUTE, NOW, makeConversation } from '../../fixtures';

/** A conversation whose reply window closes `left` ms from now. */
const closingIn = (left: number) =>
  makeConversation({ lastInboundAt: NOW - REPLY_WINDOW_MS + left });

function renderWindow(
  left: number,
  variant: 'full' | 'pill' | 'header',
  language = 'en',
): HTMLElement | null {
  render(
    <I18nextProvider i18n={createI18n(language)}>
      <ReplyWindow conversation={closingIn(left)} variant={variant} />
    </I18nextProvider>,
  );
  return screen.queryByTestId('reply-window');
}

/** What a sighted user reads: the text not hidden from view. */
const shown = (pill: HTMLElement) =>
  [...pill.querySelectorAll('[aria-hidden="true"]')].map((part) => part.textContent).join('');

describe('ReplyWindow', () => {
  it('in the list, says "2 h left" in short, and the whole time to screen readers and on hover', () => {
    const pill = renderWindow(2 * HOUR + 10 * MINUTE, 'pill');
    expect(pill).not.toBeNull();
    expect(shown(pill!)).toBe('2 h left');
    expect(pill).toHaveTextContent('2 h 10 min left to reply');
    expect(pill).toHaveAttribute('title', '2 h 10 min left to reply');
    expect(pill).toHaveClass('reply-window--pill', 'is-ending');
  });

  it('says minutes only under an hour, in red under 30 minutes', () => {
    const pill = renderWindow(25 * MINUTE, 'pill');
    expect(shown(pill!)).toBe('25 min left');
    expect(pill).toHaveClass('is-urgent');
  });

  it('rounds hours down, never promising time that is not there', () => {
    expect(shown(renderWindow(2 * HOUR + 59 * MINUTE, 'pill')!)).toBe('2 h left');
  });

  it('stays out of the list while the window is long, but not out of the thread header', () => {
    expect(renderWindow(20 * HOUR, 'pill')).toBeNull();
    const header = renderWindow(20 * HOUR, 'header');
    expect(shown(header!)).toBe('20 h left');
    expect(header).toHaveClass('reply-window--pill');
    expect(header).not.toHaveClass('is-ending');
  });

  it('the header says when the window has closed', () => {
    expect(renderWindow(0, 'header')).toHaveTextContent('Reply window closed');
  });

  it('keeps the whole wording in the customer panel', () => {
    const full = renderWindow(2 * HOUR + 10 * MINUTE, 'full');
    expect(full).toHaveTextContent(/^2 h 10 min left to reply$/);
    expect(full).not.toHaveAttribute('title');
  });

  it.each([
    ['de', 'Noch 2 Std.', 'Noch 45 Min.'],
    ['es', 'Quedan 2 h', 'Quedan 45 min'],
    ['pt-BR', 'Faltam 2 h', 'Faltam 45 min'],
  ])('says it in short in %s', (language, hours, minutes) => {
    expect(shown(renderWindow(2 * HOUR + 10 * MINUTE, 'pill', language)!)).toBe(hours);
    cleanup();
    expect(shown(renderWindow(45 * MINUTE, 'pill', language)!)).toBe(minutes);
  });
});
