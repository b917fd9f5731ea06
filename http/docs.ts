import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";

/** OpenAPI generated from the routes' own schemas, served at /docs (JSON at /docs/json). */
export async function mountDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: { title: "Clout API", version: "1", description: "Chat-ops for influencer marketing: webhooks, the public API and operations endpoints." },
      tags: [
        { name: "operations", description: "Health and metrics" },
        { name: "public API", description: "Called by a brand's shop or point of sale with an API key (`apikey create` in chat)" },
      ],
      components: {
        securitySchemes: {
          apiKey: { type: "http", scheme: "bearer", description: "The whole key from `apikey create`: `Authorization: Bearer clout_…`" },
          signature: {
            type: "apiKey",
            in: "header",
            name: "X-Clout-Signature",
            description:
              "Instead of sending the key: `X-Clout-Key` (the key id), `X-Clout-Timestamp` (Unix seconds, within 5 minutes) and `X-Clout-Signature: v1=<hex HMAC-SHA256 of \"<timestamp>.<body>\" with the key's secret>`.",
          },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
}
