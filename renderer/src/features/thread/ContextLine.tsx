import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { MessageContext } from '../../../../shared/domain/schemas';

/** Why a message arrived: a button tap, a quick reply, an ad or an ig.me link. */
export function ContextLine({ context }: { context: MessageContext }) {
  const { t } = useTranslation();
  return <p className="message__context">{contextText(context, t)}</p>;
}

function contextText(context: MessageContext, t: TFunction): string {
  switch (context.kind) {
    case 'quick_reply':
      return t('context.quickReply', { payload: context.payload });
    case 'postback':
      if (context.title !== null && context.title !== '') {
        return t('context.postback', { title: context.title });
      }
      return context.payload === null || context.payload === ''
        ? t('context.postbackUnknown')
        : t('context.postbackPayload', { payload: context.payload });
    case 'referral': {
      const isAd = context.adId !== null || context.adTitle !== null || context.source === 'ADS';
      if (isAd) {
        return context.adTitle === null || context.adTitle === ''
          ? t('context.adUntitled')
          : t('context.ad', { title: context.adTitle });
      }
      return context.ref === null || context.ref === ''
        ? t('context.linkNoRef')
        : t('context.link', { ref: context.ref });
    }
    case 'gap':
      return t('context.gap');
  }
}
