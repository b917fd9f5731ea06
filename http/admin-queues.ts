import { timingSafeEqual } from "node:crypto";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { FastifyAdapter } from "@bull-board/fastify";
import type { FastifyInstance } from "fastify";
import type { Queues } from "../jobs/queues.ts";

export const ADMIN_QUEUES_PATH = "/admin/queues";

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** True when the request carries the admin token as a Bearer token or as the Basic-auth password (what a browser prompts for). */
export function hasAdminToken(authorization: string | undefined, token: string): boolean {
  if (!authorization) return false;
  const [scheme, value = ""] = authorization.split(" ");
  if (scheme?.toLowerCase() === "bearer") return sameSecret(value, token);
  if (scheme?.toLowerCase() === "basic") {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    return sameSecret(decoded.slice(decoded.indexOf(":") + 1), token);
  }
  return false;
}

/** bull-board at /admin/queues, in its own plugin scope so the token check guards only it. */
export async function mountQueueDashboard(app: FastifyInstance, queues: Queues, token: string): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook("onRequest", async (req, reply) => {
      if (!hasAdminToken(req.headers.authorization, token)) {
        await reply.code(401).header("www-authenticate", 'Basic realm="Clout queues"').send({ error: "unauthorized", message: "Send ADMIN_TOKEN as a Bearer token or as the Basic-auth password." });
      }
    });
    const serverAdapter = new FastifyAdapter();
    serverAdapter.setBasePath(ADMIN_QUEUES_PATH);
    createBullBoard({ queues: Object.values(queues).map((q) => new BullMQAdapter(q)), serverAdapter });
    await scope.register(serverAdapter.registerPlugin(), { prefix: ADMIN_QUEUES_PATH });
  });
}
