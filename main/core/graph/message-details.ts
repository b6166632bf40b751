import type { GraphClient } from './graph-client';
import { GraphError } from './graph-errors';
import type { GraphMessage } from './graph-schemas';

/** Only the 20 newest messages of a thread can be read in detail (docs/platform.md#conversation-messages). */
export const DETAIL_LIMIT = 20;

/** A node that says who sent it and when: enough to store or match. */
export function hasDetail(node: GraphMessage): node is GraphMessage & { createdTime: number } {
  return node.from !== null && node.createdTime !== null;
}

/**
 * Whether a conversation's `messages{…}` expansion brings bodies or only ids is in conflict
 * (docs/platform.md#conversation-messages): among the 20 readable newest, a node that came back
 * with ids only is read on its own (`GET /{mid}`), one call at a time through `paced`. Nodes the
 * caller already knows, or that `wanted` rejects, are not read. A message Graph will not give
 * (deleted, too old) stays as it came.
 */
export async function withDetails(
  graph: Pick<GraphClient, 'getMessage'>,
  token: string,
  nodes: readonly GraphMessage[],
  options: {
    paced: <T>(call: () => Promise<T>) => Promise<T>;
    wanted: (node: GraphMessage) => boolean;
  },
): Promise<GraphMessage[]> {
  const out: GraphMessage[] = [];
  for (const [index, node] of nodes.entries()) {
    if (index >= DETAIL_LIMIT || hasDetail(node) || !options.wanted(node)) {
      out.push(node);
      continue;
    }
    try {
      out.push(await options.paced(() => graph.getMessage(token, node.id)));
    } catch (error) {
      // Only "this message cannot be read" is the message's own fate; a refused login or a
      // throttle stops the whole read, as any other call's would.
      if (!(error instanceof GraphError) || error.failure.kind !== 'permanent') throw error;
      out.push(node);
    }
  }
  return out;
}
