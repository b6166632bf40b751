import { classifyGraphFailure, GraphError } from '../../main/core/graph/graph-errors';

/** What the Graph client throws when Instagram refuses a send with `code` (and `subcode`). */
export const graphRefusal = (code: number, subcode?: number) =>
  new GraphError(
    classifyGraphFailure({
      httpStatus: 400,
      body: { error: { message: 'x', code, ...(subcode ? { error_subcode: subcode } : {}) } },
      requestSent: true,
    }),
    { operation: 'sendMessage', isIdempotent: false },
  );
