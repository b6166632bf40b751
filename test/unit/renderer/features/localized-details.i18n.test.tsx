import { act, render, screen, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { BridgeError, unwrap } from '../../../../renderer/src/bridge';
import { ErrorMessage } from '../../../../renderer/src/components/ErrorMessage';
import { createI18n } from '../../../../renderer/src/i18n';
import { toUiError } from '../../../../renderer/src/store/ui-error';
import { PRIVATE_REPLY_WINDOW_MS } from '../../../../shared/domain/reply-windows';
import type { IpcFailure } from '../../../../shared/ipc/result';
import { FakeInboxClient } from '../fake-client';
import { makeComment, makeSettings, SHOP, statusWithCafeToReconnect } from '../fixtures';
import { renderApp } from '../render-app';

/**
 * Main's sentences outside a send (refused commands, account reasons, the login's outcome, the
 * redirect URI's problem, a comment's refusal) arrive as a key with variables next to the English
 * text: the owner reads them in their language, and only an unknown key falls back to English.
 */

function renderError(language: string, error: Parameters<typeof ErrorMessage>[0]['error']) {
  return render(
    <I18nextProvider i18n={createI18n(language)}>
      <ErrorMessage title="—" error={error} />
    </I18nextProvider>,
  );
}

describe('main’s error details in the owner’s language', () => {
  it('a refused attachment reads in Portuguese, with its size filled in, and nothing marked English', async () => {
    const refused = await unwrap(
      Promise.resolve({
        ok: false as const,
        code: 'INVALID_INPUT' as const,
        message: 'Instagram accepts images of at most 8 MB.',
        detail: { key: 'errorDetail.imageTooLarge' as const, vars: { megabytes: 8 } },
      }),
    ).catch((error: unknown) => toUiError(error));
    const { container } = renderError('pt-BR', refused as ReturnType<typeof toUiError>);
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('O Instagram aceita imagens de no máximo 8 MB.');
    expect(alert).not.toHaveTextContent('at most');
    expect(container.querySelector('[lang="en"]')).toBeNull();
  });

  it('a closed reply window reads in German', () => {
    const { container } = renderError('de', {
      code: 'OUTSIDE_WINDOW',
      message: 'Instagram only allows replies within 24 hours of the customer’s last message.',
      detail: { key: 'errorDetail.replyWindowClosed', vars: null },
    });
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Instagram erlaubt Antworten nur innerhalb von 24 Stunden',
    );
    expect(container.querySelector('[lang="en"]')).toBeNull();
  });

  it('a taken saved-reply shortcut reads in Spanish, naming the shortcut', () => {
    renderError('es', {
      code: 'INVALID_INPUT',
      message: 'Another saved reply already uses the shortcut /gracias.',
      detail: { key: 'errorDetail.shortcutTaken', vars: { shortcut: 'gracias' } },
    });
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Otra respuesta guardada ya usa el atajo /gracias.',
    );
  });

  it('a Graph refusal keeps Instagram’s own words after the translated sentence', () => {
    renderError('de', {
      code: 'GRAPH_ERROR',
      message: 'Instagram refused the request (error 98765). Instagram said: “Try another way”',
      detail: { key: 'sendError.refusedCode', vars: { code: 98765, metaWords: 'Try another way' } },
    });
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Instagram hat die Anfrage abgelehnt (Fehler 98765). Instagram sagte: „Try another way“',
    );
  });

  it('an unknown key (a newer main) leaves main’s English text, marked as English', async () => {
    const error = await unwrap(
      Promise.resolve({
        ok: false as const,
        code: 'INVALID_INPUT' as const,
        message: 'Something only a newer Inlet says.',
        detail: { key: 'errorDetail.somethingNew', vars: null },
      } as unknown as IpcFailure),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BridgeError);
    expect((error as BridgeError).detail).toBeNull();
    const { container } = renderError('pt-BR', toUiError(error));
    expect(container.querySelector('[lang="en"]')).toHaveTextContent(
      'Something only a newer Inlet says.',
    );
  });
});

describe('Settings and comments in the owner’s language', () => {
  function client() {
    const fake = new FakeInboxClient({
      status: statusWithCafeToReconnect({
        text: 'Instagram no longer accepts Inlet’s access to this account. Connect the account again.',
        detail: { key: 'sendError.tokenInvalid', vars: null },
      }),
    });
    fake.data.settings = makeSettings({
      redirectUri: null,
      redirectUriProblem: {
        text: 'Instagram only sends the login back to an https address…',
        detail: { key: 'errorDetail.noTunnel', vars: null },
      },
    });
    return fake;
  }

  it('German: the account’s reason, the redirect URI’s problem and a wrong-account login', async () => {
    const fake = client();
    const { t } = createI18n('de');
    const view = renderApp(fake, 'de');
    const strip = await screen.findByTestId('rail');
    await view.user.click(
      within(strip).getByRole('button', { name: new RegExp(t('settings.open')) }),
    );
    const dialog = await screen.findByRole('dialog', { name: t('settings.title') });
    const cafe = within(dialog).getAllByTestId('account')[1]!;
    expect(cafe).toHaveTextContent(
      'Instagram akzeptiert den Zugriff von Inlet auf dieses Konto nicht mehr.',
    );
    expect(dialog).toHaveTextContent('Instagram schickt die Anmeldung nur an eine https-Adresse');
    expect(dialog).not.toHaveTextContent('only sends the login back');

    await view.user.click(
      within(cafe).getByRole('button', { name: t('settings.accounts.reconnect') }),
    );
    act(() =>
      fake.emit('accounts:connectFinished', {
        ok: false,
        code: 'wrong-account',
        reason: {
          text: 'You logged in as @lisbon.ceramics, which is now connected too; …',
          detail: { key: 'errorDetail.loginWrongAccount', vars: { username: 'lisbon.ceramics' } },
        },
      }),
    );
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('Du hast dich als @lisbon.ceramics angemeldet');
    expect(dialog.querySelector('[lang="en"]')).toBeNull();
  });

  it('Portuguese: Instagram’s refusal of a private reply', async () => {
    const fake = client();
    const at = Date.now() - 60_000;
    fake.data.comments = [
      makeComment({
        accountId: SHOP,
        mediaId: null,
        at,
        privateReply: {
          state: 'refused',
          allowedUntil: at + PRIVATE_REPLY_WINDOW_MS,
          sentAt: null,
          conversationId: null,
          refusal: {
            text: 'A private reply to this comment is no longer possible: only one is allowed…',
            detail: { key: 'sendError.privateReplyUnavailable', vars: null },
          },
        },
      }),
    ];
    const { t } = createI18n('pt-BR');
    const view = renderApp(fake, 'pt-BR');
    await view.user.click(await screen.findByRole('button', { name: t('comments.open') }));
    const comment = await screen.findByText('Price?');
    const item = comment.closest('li')!;
    expect(item).toHaveTextContent(t('sendError.privateReplyUnavailable'));
    expect(item).not.toHaveTextContent('only one is allowed');
    expect(item.querySelector('[lang="en"]')).toBeNull();
  });
});
