import { AppError } from '../errors';
import type { Database } from '../archive/database';
import type { HandlersFor } from '../ipc/dispatch';
import { DeliveryView } from './delivery-view';

/** The `developer:*` commands: the delivery journal and the refused ring, read-only. */
export function developerHandlers(db: Database) {
  const view = new DeliveryView(db);
  return {
    'developer:listDeliveries': async (input) => ({ deliveries: view.list(input) }),
    'developer:getDelivery': async ({ id }) => {
      const found = view.get(id);
      if (!found) throw new AppError('NOT_FOUND', `No delivery ${id} is kept.`);
      return {
        delivery: found.record,
        bodyBase64: Buffer.from(found.body).toString('base64'),
        headers: found.headers,
      };
    },
  } satisfies HandlersFor<'developer'>;
}
