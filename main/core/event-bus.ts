import type { EventChannel, EventPayload } from '../../shared/ipc/contract';
import type { CoreEvents, EventListener } from './core-types';
import type { Logger } from './ports';

export type EventBus = CoreEvents & {
  emit<C extends EventChannel>(channel: C, payload: EventPayload<C>): void;
};

/** Typed pub/sub for core → shell events; a throwing listener never breaks the others. */
export function createEventBus(logger: Logger): EventBus {
  const listeners = new Map<EventChannel, Set<(payload: never) => void>>();
  return {
    on<C extends EventChannel>(channel: C, listener: EventListener<C>) {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener);
      return () => void set.delete(listener);
    },
    emit<C extends EventChannel>(channel: C, payload: EventPayload<C>) {
      for (const listener of listeners.get(channel) ?? []) {
        try {
          (listener as EventListener<C>)(payload);
        } catch (error) {
          logger.error('event listener failed', { channel, error: String(error) });
        }
      }
    },
  };
}
