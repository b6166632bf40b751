import { signBody } from '../../../main/sandbox/signing';

/** How a delivery is signed: by the app secret, as Meta does, or with a given (forged) header. */
export type Signing = { appSecret: string } | { signature: string | undefined };

/**
 * POSTs a webhook body to Inlet's listener the way Meta delivers it: these exact bytes, with
 * `X-Hub-Signature-256` over them (docs/platform.md#signatures). Resolves with the HTTP status, or
 * 0 when the connection died before an answer (the delivery was not acknowledged).
 */
export async function deliverWebhook(url: string, body: string, signing: Signing): Promise<number> {
  const signature = 'appSecret' in signing ? signBody(body, signing.appSecret) : signing.signature;
  try {
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers: {
        'Content-Type': 'application/json',
        ...(signature === undefined ? {} : { 'X-Hub-Signature-256': signature }),
      },
    });
    return response.status;
  } catch {
    return 0;
  }
}
