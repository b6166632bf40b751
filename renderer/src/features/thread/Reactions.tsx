import { useTranslation } from 'react-i18next';
import type { Reaction } from '../../../../shared/domain/schemas';
import { Chip } from '../../components/Chip';

/** Emoji chips on the bubble's corner; each says who reacted, for screen readers too. */
export function Reactions({ reactions }: { reactions: readonly Reaction[] }) {
  const { t } = useTranslation();
  return (
    <ul className="reactions" aria-label={t('reactions.label')}>
      {reactions.map((reaction, index) => (
        <li key={`${reaction.by}-${index}`}>
          <Chip className={`reaction reaction--${reaction.by}`}>
            <span role="img" aria-label={t(`reactions.${reaction.by}`, { emoji: reaction.emoji })}>
              {reaction.emoji}
            </span>
          </Chip>
        </li>
      ))}
    </ul>
  );
}
