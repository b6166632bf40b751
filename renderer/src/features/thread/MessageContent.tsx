import { useTranslation } from 'react-i18next';
import type { Message } from '../../../../shared/domain/schemas';
import { AttachmentView } from './AttachmentView';
import { Placeholder } from './attachments/Placeholder';
import { MessageText } from './MessageText';
import { StoryPreview } from './StoryPreview';

/** What is inside a bubble: the story it answers, its text, its attachments. */
export function MessageContent({ message }: { message: Message }) {
  const { t } = useTranslation();
  if (message.isDeleted) {
    // The owner should know something was there, not what.
    return (
      <p className="message__unsent" title={t('thread.unsentHint')}>
        {t('thread.unsent')}
      </p>
    );
  }
  const { story } = message;
  // Instagram reports a mention both as `story` and as a story_mention attachment: draw it once.
  const attachments =
    story === null
      ? message.attachments
      : message.attachments.filter((attachment) => attachment.type !== 'story_mention');
  const storyUrl =
    story?.url ?? message.attachments.find((a) => a.type === 'story_mention')?.url ?? null;

  return (
    <>
      {story !== null && (
        <StoryPreview
          kind={story.kind}
          url={storyUrl}
          archivedUrl={story.archivedUrl}
          direction={message.direction}
        />
      )}
      {message.text !== null && message.text !== '' && <MessageText text={message.text} />}
      {attachments.map((attachment, index) => (
        // Attachments have no id of their own and never reorder within a message.
        <AttachmentView key={index} attachment={attachment} direction={message.direction} />
      ))}
      {message.isUnsupported && <Placeholder text={t('attachment.unsupported')} />}
    </>
  );
}
