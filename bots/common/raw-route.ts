import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/** Webhooks post at most this much; Slack and Discord stay far below. */
const BODY_LIMIT = 1_048_576;

/**
 * A POST route whose body stays the exact string that was sent, whatever its
 * content type: platform signatures cover the bytes, so nothing may parse or
 * re-serialise them before the signature is checked.
 */
export async function mountRawPost(server: FastifyInstance, path: string, handler: (raw: string, req: FastifyRequest, reply: FastifyReply) => Promise<unknown>): Promise<void> {
  await server.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "string", bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));
    scope.post(path, (req, reply) => handler(typeof req.body === "string" ? req.body : "", req, reply));
  });
}
