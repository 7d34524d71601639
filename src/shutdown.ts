/**
 * Graceful stop of the server on SIGTERM / SIGINT (docs/operations.md, Health): app.close() stops
 * accepting (the HTTP server closes; a request on a kept-alive connection meanwhile gets 503), lets
 * the requests in flight finish (an acknowledged command is durable), then the shutdown hooks stop
 * the projections (flushing documents and checkpoints) and close the stores. Exit 0 when that is done; exit 1 when it fails or takes longer than the deadline.
 */
import type { INestApplication } from '@nestjs/common';

export function stopOnSignals(app: INestApplication, deadlineMs: number, log: (line: string) => void = (line) => console.log(line)): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      log(`${signal} again: still stopping (exits within ${deadlineMs} ms of the first signal)`);
      return;
    }
    stopping = true;
    log(`${signal}: stopping (no new requests; finishing those in flight, then projections and stores)`);
    const started = Date.now();
    const deadline = setTimeout(() => {
      console.error(`shutdown did not finish within ${deadlineMs} ms (SHUTDOWN_TIMEOUT_MS): exiting anyway`);
      process.exit(1);
    }, deadlineMs);
    deadline.unref();
    // server.close() closes the connections idle at that moment; one a client kept alive and that
    // finishes a request afterwards would hold the close for the keep-alive timeout (72 s), so idle
    // ones are closed until the server is.
    const server = app.getHttpServer() as { closeIdleConnections?: () => void };
    const idle = setInterval(() => server.closeIdleConnections?.(), 50);
    idle.unref();
    app.close().then(
      () => {
        clearInterval(idle);
        log(`stopped in ${Date.now() - started} ms`);
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
