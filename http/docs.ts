import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";

/** OpenAPI generated from the routes' own schemas, served at /docs (JSON at /docs/json). */
export async function mountDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: { title: "Clout API", version: "1", description: "Chat-ops for influencer marketing: webhooks, the public API and operations endpoints." },
      tags: [{ name: "operations", description: "Health and metrics" }],
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
}
