import { Copy, Ellipsis, Heart, HeartOff, Reply, Webhook } from 'lucide-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../../../shared/domain/schemas';
import { IconButton } from '../../components/Button';
import { Menu, MenuItem } from '../../components/Menu';
import { showToast } from '../../components/Toast';
import { useApp } from '../../store/use-app';
import { useDeveloperIfAny } from '../developer/developer-client';

const ICON = { size: 16, strokeWidth: 1.5, 'aria-hidden': true } as const;

type Action = 'react' | 'reply' | 'copy' | 'webhook';

/**
 * What the owner can do with one message: react with ❤️ (or take it back) and quote it in a reply
 * (only for messages that are on Instagram), copy its text, and, for developers, see the webhook
 * that brought it.
 */
function useMessageActions(message: Message) {
  const { t } = useTranslation();
  const toggleReaction = useApp((state) => state.toggleReaction);
  const setReplyTarget = useApp((state) => state.setReplyTarget);
  const developer = useDeveloperIfAny();
  const hasMine = message.reactions.some((reaction) => reaction.by === 'business');
  const isOnInstagram = message.mid !== null;
  const text = message.text ?? '';

  const available: Action[] = [];
  if (isOnInstagram) available.push('react', 'reply');
  if (text !== '') available.push('copy');
  if (developer?.isEnabled === true && isOnInstagram) available.push('webhook');

  const run = (action: Action) => {
    switch (action) {
      case 'react':
        return void toggleReaction(message.id);
      case 'reply':
        setReplyTarget(message.conversationId, message.id);
        // On the next frame: a menu that just closed gives focus back to its trigger first.
        return requestAnimationFrame(() =>
          document.querySelector<HTMLTextAreaElement>('.composer textarea')?.focus(),
        );
      case 'copy':
        return void navigator.clipboard.writeText(text).then(
          () => showToast(t('thread.copied')),
          () => showToast(t('thread.copyFailed')),
        );
      case 'webhook':
        return developer?.viewWebhook({
          messageId: message.id,
          conversationId: message.conversationId,
        });
    }
  };
  return { available, run, hasMine };
}

/**
 * The actions as a small toolbar that shows on hover or focus (thread.css), and the same actions as
 * a menu: the toolbar's "more", a right-click, or `.` on a focused message open it.
 */
export function MessageActions({
  message,
  isMenuOpen,
  onMenuOpenChange,
}: {
  message: Message;
  isMenuOpen: boolean;
  onMenuOpenChange: (isOpen: boolean) => void;
}) {
  const { t } = useTranslation();
  const error = useApp((state) => state.reactionErrors[message.id]);
  const { available, run, hasMine } = useMessageActions(message);
  const has = (action: Action) => available.includes(action);
  const reactLabel = hasMine ? t('sending.unreact') : t('sending.react');
  const label: Record<Action, string> = {
    react: reactLabel,
    reply: t('sending.reply'),
    copy: t('thread.copyText'),
    webhook: t('developer.viewWebhook'),
  };
  const icon: Record<Action, ReactNode> = {
    react: hasMine ? <HeartOff {...ICON} /> : <Heart {...ICON} />,
    reply: <Reply {...ICON} />,
    copy: <Copy {...ICON} />,
    webhook: <Webhook {...ICON} />,
  };

  return (
    <>
      {available.length > 0 && (
        <div className="message__toolbar" role="group" aria-label={t('thread.messageActions')}>
          {has('react') && (
            <IconButton
              label={reactLabel}
              aria-pressed={hasMine}
              icon={icon.react}
              onPress={() => run('react')}
            />
          )}
          {has('reply') && (
            <IconButton label={label.reply} icon={icon.reply} onPress={() => run('reply')} />
          )}
          {has('copy') && (
            <IconButton label={label.copy} icon={icon.copy} onPress={() => run('copy')} />
          )}
          <Menu
            isOpen={isMenuOpen}
            onOpenChange={onMenuOpenChange}
            onAction={(key) => run(key as Action)}
            trigger={<IconButton label={t('thread.moreActions')} icon={<Ellipsis {...ICON} />} />}
          >
            {available.map((action) => (
              <MenuItem key={action} id={action} icon={icon[action]}>
                {label[action]}
              </MenuItem>
            ))}
          </Menu>
        </div>
      )}
      {error !== undefined && (
        <span role="alert" className="delivery delivery--failed">
          {t('sending.reactionFailed', { reason: error.message })}
        </span>
      )}
    </>
  );
}
