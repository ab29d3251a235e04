// Stopping without cutting anyone off: stop accepting, let the requests in flight finish (up
// to a bound), then close what is left. A container platform sends SIGTERM, then SIGKILL.
import type { Server, ServerResponse } from 'node:http';

export interface Drain {
  /** Requests started and not yet answered. */
  inFlight(): number;
  /** Stops accepting; resolves when every request is answered, or after `graceMs` with those still open cut off. */
  close(graceMs: number): Promise<{ unfinished: number }>;
}

export function drainable(server: Server): Drain {
  const open = new Set<ServerResponse>();
  let draining = false;
  let settle: (() => void) | undefined;
  // Before the server's own handler, so a request is counted before anything answers it.
  server.prependListener('request', (_request, response: ServerResponse) => {
    open.add(response);
    if (draining && !response.headersSent) response.setHeader('connection', 'close');
    response.once('close', () => {
      open.delete(response);
      if (!draining) return;
      // Its keep-alive connection is idle now; closing it lets server.close finish.
      setImmediate(() => server.closeIdleConnections());
      if (open.size === 0) settle?.();
    });
  });
  return {
    inFlight: () => open.size,
    close: async (graceMs) => {
      draining = true;
      // Answers still being written tell their clients not to send another request on this connection.
      for (const response of open) if (!response.headersSent) response.setHeader('connection', 'close');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => {
          settle = resolve;
          if (open.size === 0) resolve();
        }),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
      ]);
      clearTimeout(timer);
      const unfinished = open.size;
      server.closeAllConnections();
      await closed;
      return { unfinished };
    },
  };
}
