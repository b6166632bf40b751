import { z } from 'zod';

/**
 * The headless shell carries the IPC contract over one WebSocket. Frames are JSON; the server
 * validates `input` against the contract exactly as the Electron shell does.
 */
export const ClientFrameSchema = z.object({
  type: z.literal('invoke'),
  id: z.number().int().nonnegative(),
  channel: z.string(),
  input: z.unknown().optional(),
});
export type ClientFrame = z.infer<typeof ClientFrameSchema>;

export type ServerEventFrame = { type: 'event'; channel: string; payload: unknown };
export type ServerFrame =
  | { type: 'result'; id: number; result: unknown }
  | ServerEventFrame
  /** Events emitted together (a burst), in order: applied in one task, so in one render. */
  | { type: 'events'; frames: ServerEventFrame[] };

/** Query parameter carrying the per-run access token of `inlet serve`. */
export const HEADLESS_TOKEN_PARAM = 'token';
export const HEADLESS_WS_PATH = '/ipc';
