import { describe, expect, it } from 'vitest';
import { previewText } from '../../../../../renderer/src/features/conversations/preview-text';
import { createI18n } from '../../../../../renderer/src/i18n';

describe('previewText', () => {
  it('names the core’s bracketed tokens in the UI language', () => {
    const de = createI18n('de').t;
    const pt = createI18n('pt-BR').t;
    // The tokens previewOf (main/core/archive/preview.ts) writes; its own test pins them.
    expect(previewText('[image]', de)).toBe('Bild');
    expect(previewText('[image]', pt)).toBe(pt('attachment.image'));
    expect(previewText('[unsent]', de)).toBe(de('thread.unsent'));
    expect(previewText('[ig_reel]', de)).toBe(de('attachment.reel'));
    expect(previewText('[ephemeral]', de)).toBe('Einmal ansehbares Medium');
    expect(previewText('[story reply]', de)).toBe(de('story.reply'));
    expect(previewText('[story_mention]', de)).toBe(de('story.mention'));
    expect(previewText('[unsupported]', de)).toBe('Nicht unterstützte Nachricht');
    // A type Inlet does not know yet still reads as a message, not as "[new_type]".
    expect(previewText('[brand_new_type]', de)).toBe('Nicht unterstützte Nachricht');
  });

  it('shows a customer’s own text as it is, and says when there is none', () => {
    const en = createI18n('en').t;
    expect(previewText('Size M? [asking for a friend]', en)).toBe('Size M? [asking for a friend]');
    expect(previewText('', en)).toBe(en('conversations.noPreview'));
  });
});
