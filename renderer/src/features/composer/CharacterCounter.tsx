import { useTranslation } from 'react-i18next';
import { textRoom } from '../../../../shared/domain/message-text';

/**
 * Room left in a reply, in characters and only near Instagram's limit (the rule and why it is
 * conservative: shared/domain/message-text.ts). Always rendered, empty when there is plenty of
 * room, so the text box's aria-describedby (`id`) never points at nothing.
 */
export function CharacterCounter({ id, text }: { id: string; text: string }) {
  const { t } = useTranslation();
  const room = textRoom(text);
  return (
    <p
      id={id}
      className={room.state === 'over' ? 'composer__counter is-over' : 'composer__counter'}
    >
      {room.state === 'near' && t('composer.charactersLeft', { count: room.left })}
      {room.state === 'over' && t('composer.charactersOver', { count: room.over })}
    </p>
  );
}
