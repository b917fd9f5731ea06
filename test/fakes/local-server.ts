import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What every fake API needs: a server on a free local port whose handler errors become a 500 with the error text. */
export async function listenLocally(handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/**
 * Tests wait for what a fake has seen (a call, a message) rather than sleeping:
 * `until` resolves with the first thing `find` returns, now or after a later
 * `notify()` (the fake calls it whenever it records something).
 */
export class Waiters {
  private readonly checks = new Set<() => void>();

  until<T>(find: () => T | undefined, timeoutMs: number, message: () => string): Promise<T> {
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const hit = find();
        if (hit === undefined) return;
        cleanup();
        resolve(hit);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(message()));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.checks.delete(check);
      };
      this.checks.add(check);
    });
  }

  notify(): void {
    for (const check of [...this.checks]) check();
  }
}

/** Stops at once: open keep-alive connections (an SDK's pool, a held long poll) are cut rather than waited for. */
export function closeNow(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
