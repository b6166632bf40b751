/**
 * Byte-exact webhook bodies as Meta writes them (platform §2.3, Appendix A): compact JSON, `/`
 * escaped as `\/`, non-ASCII as lowercase `\uXXXX` with surrogate pairs.
 */
export const IG_ID = '17841405309211844';
export const CUSTOMER_ID = '1284973601758392';

export function metaJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(
      /[\u007f-\uffff]/g,
      (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
}

export function textMessageBody(options: {
  mid: string;
  text: string;
  at?: number;
  echo?: boolean;
}): string {
  const at = options.at ?? 1773842751091;
  const [sender, recipient] = options.echo ? [IG_ID, CUSTOMER_ID] : [CUSTOMER_ID, IG_ID];
  return metaJson({
    object: 'instagram',
    entry: [
      {
        time: at + 200,
        id: IG_ID,
        messaging: [
          {
            sender: { id: sender },
            recipient: { id: recipient },
            timestamp: at,
            message: {
              mid: options.mid,
              text: options.text,
              ...(options.echo ? { is_echo: true } : {}),
            },
          },
        ],
      },
    ],
  });
}
