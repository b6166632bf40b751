import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { sendFailure, untranslated } from '../../../../../shared/domain/failure-reason';
import type { Message } from '../../../../../shared/domain/schemas';
import { SEND_ERROR_KEYS } from '../../../../../shared/domain/send-errors';
import { Thread } from '../../../../../renderer/src/features/thread/Thread';
import { SUPPORTED_LANGUAGES, createI18n } from '../../../../../renderer/src/i18n';
import { FakeInboxClient } from '../../fake-client';
import { HOUR, NOW, makeConversation, makeMessage } from '../../fixtures';
import { renderWithStore } from '../../render-app';
import { storeWith } from '../../store-with';

const jane = makeConversation();
const ENGLISH_551 =
  'This person isn’t available right now: they may have blocked the account or deactivated theirs.';

function outgoing(overrides: Partial<Message>): Message {
  return makeMessage({
    id: 'x',
    conversationId: jane.id,
    direction: 'out',
    text: 'Shall I reserve one?',
    at: NOW - HOUR,
    status: 'failed',
    error: untranslated(ENGLISH_551),
    ...overrides,
  });
}

async function renderIn(language: string, message: Message) {
  const { store } = await storeWith(
    new FakeInboxClient({ conversations: [jane], messages: [message] }),
    jane.id,
  );
  renderWithStore(<Thread />, store, language);
  return screen.getByTestId('message');
}

describe('a send failure’s reason in the owner’s language', () => {
  it('shows the German sentence for a known key, not the core’s English', async () => {
    const bubble = await renderIn(
      'de',
      outgoing({ error: sendFailure(ENGLISH_551, 'recipientUnavailable') }),
    );
    expect(bubble).toHaveTextContent(
      'Nicht gesendet: Diese Person ist gerade nicht erreichbar: Sie hat das Konto vielleicht blockiert oder ihres deaktiviert.',
    );
    expect(bubble).not.toHaveTextContent('isn’t available');
  });

  it('fills in the variables and keeps Instagram’s own words after the sentence', async () => {
    const bubble = await renderIn(
      'de',
      outgoing({
        error: sendFailure(
          'Instagram refused the request (error 98765). Instagram said: “Try another way”',
          'refusedCode',
          { code: 98765, metaWords: 'Try another way' },
        ),
      }),
    );
    expect(bubble).toHaveTextContent(
      'Instagram hat die Anfrage abgelehnt (Fehler 98765). Instagram sagte: „Try another way“',
    );
  });

  it('a held message names its reason in German too', async () => {
    const bubble = await renderIn(
      'de',
      outgoing({
        status: 'queued',
        error: sendFailure('Connect the account again.', 'tokenInvalid'),
      }),
    );
    expect(bubble).toHaveTextContent(
      'Wartet: Instagram akzeptiert den Zugriff von Inlet auf dieses Konto nicht mehr.',
    );
  });

  it('shows the stored text when the row has no key (written before keys existed)', async () => {
    const bubble = await renderIn('de', outgoing({ error: untranslated(ENGLISH_551) }));
    expect(bubble).toHaveTextContent(`Nicht gesendet: ${ENGLISH_551}`);
  });

  it('every key the core can store has a sentence in every language', () => {
    for (const language of SUPPORTED_LANGUAGES) {
      const { t, exists } = createI18n(language);
      for (const key of SEND_ERROR_KEYS) {
        expect(exists(`sendError.${key}`, { fallbackLng: [] }), `${language} ${key}`).toBe(true);
        expect(t(`sendError.${key}`)).not.toBe(`sendError.${key}`);
      }
    }
  });
});
