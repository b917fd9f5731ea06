import { isUniqueViolation } from "../../db/errors.ts";
import { audit } from "../audit/audit.ts";
import { arg } from "../commands/args.ts";
import { defineCommand } from "../commands/types.ts";
import { ConflictError, ForbiddenError, UsageError } from "../errors.ts";
import { issueLinkCode, LINK_CODE_DAYS_FOR_NEW_MEMBER } from "../identity/link-codes.ts";
import { bindTenant } from "../identity/tenants.ts";
import { nameKey } from "../names.ts";
import { APPROVERS, canGrant, ROLES } from "../roles.ts";

export const memberAdd = defineCommand({
  name: "member add",
  summary: "member.add.summary",
  roles: APPROVERS,
  examples: ['member add "Carla Mendes" --role manager', "member add @carla --role analyst"],
  args: {
    who: arg.member({ positional: true, help: "member.arg.who", example: '"Carla Mendes"' }),
    role: arg.choice({ help: "member.arg.role", example: "manager", choices: ROLES }),
  },
  async handler(ctx, a) {
    const { actor, t, caller } = ctx;
    if (!canGrant(actor.role, a.role)) throw new ForbiddenError("member.cannot_grant", { role: t(`role.${a.role}`), yours: t(`role.${actor.role}`) });
    // A mention with a platform id links that chat account straight away; a bare name gets a code to link with.
    const externalId = a.who.id && caller.mentionPrefix !== undefined ? `${caller.mentionPrefix}${a.who.id}` : undefined;
    const displayName = a.who.name ?? a.who.id!;
    if (!a.who.name && !externalId) throw new UsageError("member.need_name", {}, 'member add "Carla Mendes" --role manager');
    const memberId = ctx.ids.uuid();
    const code = await ctx.db
      .$transaction(async (tx) => {
        await tx.member.create({ data: { id: memberId, workspaceId: actor.workspace.id, displayName, nameKey: nameKey(displayName), role: a.role, createdAt: ctx.clock.now() } });
        if (externalId) {
          const taken = await tx.identity.findUnique({ where: { platform_externalId: { platform: caller.platform, externalId } } });
          if (taken) throw new ConflictError("member.identity_taken", { who: displayName });
          await tx.identity.create({ data: { id: ctx.ids.uuid(), platform: caller.platform, externalId, memberId, label: displayName } });
          await bindTenant(tx, ctx.clock, caller, actor.workspace.id);
        }
        await audit(tx, ctx.clock, { workspaceId: actor.workspace.id, actorMemberId: actor.memberId, action: "member.added", entityType: "member", entityId: memberId, data: { displayName, role: a.role } });
        return externalId ? null : issueLinkCode(tx, ctx, { workspaceId: actor.workspace.id, memberId, days: LINK_CODE_DAYS_FOR_NEW_MEMBER });
      })
      .catch((err: unknown) => {
        if (isUniqueViolation(err)) throw new ConflictError("member.name_taken", { who: displayName }, "workspace show");
        throw err;
      });
    return {
      tone: "success",
      // The link code is a key to this member (and its role): only the admin who asked may see it.
      ephemeral: code !== null,
      text: [
        t("member.added", { who: displayName, role: t(`role.${a.role}`), workspace: actor.workspace.name }),
        code ? t("member.added_code", { code, days: LINK_CODE_DAYS_FOR_NEW_MEMBER }) : t("member.added_linked", { platform: caller.platform }),
      ].join("\n"),
    };
  },
});
