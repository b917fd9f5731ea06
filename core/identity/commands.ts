import { isUniqueViolation } from "../../db/errors.ts";
import { audit } from "../audit/audit.ts";
import { arg, optional } from "../commands/args.ts";
import { defineCommand } from "../commands/types.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { issueLinkCode, LINK_CODE_MINUTES_FOR_SELF } from "./link-codes.ts";
import { bindTenant } from "./tenants.ts";

export const link = defineCommand({
  name: "link",
  summary: "link.summary",
  roles: "anyone",
  examples: ["link", "link K7M2QX"],
  args: { code: optional(arg.text({ positional: true, help: "link.arg.code", example: "K7M2QX", max: 32 })) },
  async handler(ctx, a) {
    const { t, caller, actor } = ctx;
    if (!a.code) {
      if (!actor) return { ephemeral: true, text: t("link.stranger", { platform: caller.platform }) };
      const code = await ctx.db.$transaction((tx) => issueLinkCode(tx, ctx, { workspaceId: actor.workspace.id, memberId: actor.memberId, minutes: LINK_CODE_MINUTES_FOR_SELF }));
      return { ephemeral: true, text: t("link.code", { code, minutes: LINK_CODE_MINUTES_FOR_SELF }) };
    }
    if (actor) throw new ConflictError("link.already", { name: actor.displayName, workspace: actor.workspace.name });
    const code = a.code.trim().toUpperCase();
    const now = ctx.clock.now();
    const member = await ctx.db
      .$transaction(async (tx) => {
      // Claiming the code and using it are one statement: a code works once, even when sent twice at once.
      const claimed = await tx.linkCode.updateMany({ where: { code, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
      if (claimed.count !== 1) throw new NotFoundError("link.bad_code", { code }, "link");
      const row = await tx.linkCode.findUniqueOrThrow({ where: { code }, include: { member: { include: { workspace: true } } } });
      await tx.identity.create({ data: { id: ctx.ids.uuid(), platform: caller.platform, externalId: caller.externalId, memberId: row.memberId, label: caller.displayName } });
      await bindTenant(tx, ctx.clock, caller, row.workspaceId);
      await audit(tx, ctx.clock, { workspaceId: row.workspaceId, actorMemberId: row.memberId, action: "identity.linked", entityType: "identity", entityId: `${caller.platform}:${caller.externalId}`, data: { platform: caller.platform } });
      return row.member;
    })
      .catch((err: unknown) => {
        // The same account sending two codes at once: the identity is unique, so one link wins.
        if (isUniqueViolation(err)) throw new ConflictError("link.already_other", {});
        throw err;
      });
    return { tone: "success", text: t("link.done", { name: member.displayName, workspace: member.workspace.name, platform: caller.platform }) };
  },
});
