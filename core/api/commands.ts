import { isUniqueViolation } from "../../db/errors.ts";
import { audit } from "../audit/audit.ts";
import { arg } from "../commands/args.ts";
import { defineCommand } from "../commands/types.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { APPROVERS } from "../roles.ts";
import { newKey } from "./credentials.ts";
import { utcMinute } from "../dates.ts";

const name = arg.text({ positional: true, help: "apikey.arg.name", example: "shop", max: 60 });

export const apikeyCreate = defineCommand({
  name: "apikey create",
  summary: "apikey.create.summary",
  roles: APPROVERS,
  examples: ["apikey create shop"],
  args: { name },
  async handler(ctx, a) {
    const { actor, t } = ctx;
    const issued = newKey(ctx.ids.uuid());
    await ctx.db
      .$transaction(async (tx) => {
        await tx.apiCredential.create({ data: { id: issued.id, workspaceId: actor.workspace.id, name: a.name, sealedSecret: ctx.vault.seal(issued.secret), createdAt: ctx.clock.now() } });
        await audit(tx, ctx.clock, { workspaceId: actor.workspace.id, actorMemberId: actor.memberId, action: "apikey.created", entityType: "apikey", entityId: issued.id, data: { name: a.name } });
      })
      .catch((err: unknown) => {
        if (isUniqueViolation(err)) throw new ConflictError("apikey.name_taken", { name: a.name }, `apikey revoke ${a.name}`);
        throw err;
      });
    // The key is a password to the workspace's API: only the admin who asked sees it, once.
    return {
      tone: "success",
      ephemeral: true,
      title: t("apikey.created.title", { name: a.name }),
      text: t("apikey.created.text", { key: issued.key, id: issued.id, secret: issued.secret }),
    };
  },
});

export const apikeyList = defineCommand({
  name: "apikey list",
  aliases: ["apikeys"],
  summary: "apikey.list.summary",
  roles: APPROVERS,
  examples: ["apikey list"],
  args: {},
  async handler(ctx) {
    const { t } = ctx;
    const keys = await ctx.db.apiCredential.findMany({ where: { workspaceId: ctx.actor.workspace.id }, orderBy: { createdAt: "asc" } });
    if (keys.length === 0) return { tone: "info", text: t("apikey.none") };
    return {
      title: t("apikey.list.title", { count: keys.length }),
      table: {
        columns: [t("apikey.col.name"), t("apikey.col.created"), t("apikey.col.state")],
        rows: keys.map((k) => [k.name, utcMinute(k.createdAt), k.revokedAt ? t("apikey.revoked_at", { at: utcMinute(k.revokedAt) }) : t("apikey.active")]),
      },
    };
  },
});

export const apikeyRevoke = defineCommand({
  name: "apikey revoke",
  summary: "apikey.revoke.summary",
  roles: APPROVERS,
  examples: ["apikey revoke shop"],
  args: { name },
  async handler(ctx, a) {
    const { actor, t } = ctx;
    const now = ctx.clock.now();
    const key = await ctx.db.apiCredential.findUnique({ where: { workspaceId_name: { workspaceId: actor.workspace.id, name: a.name } } });
    if (!key) throw new NotFoundError("apikey.not_found", { name: a.name }, "apikey list");
    await ctx.db.$transaction(async (tx) => {
      await tx.apiCredential.updateMany({ where: { id: key.id, revokedAt: null }, data: { revokedAt: now } });
      await audit(tx, ctx.clock, { workspaceId: actor.workspace.id, actorMemberId: actor.memberId, action: "apikey.revoked", entityType: "apikey", entityId: key.id, data: { name: a.name } });
    });
    return { tone: "success", text: t("apikey.revoked", { name: a.name }) };
  },
});
