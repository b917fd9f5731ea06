import { findCampaign } from "../campaigns/find.ts";
import { arg, optional } from "../commands/args.ts";
import { defineCommand } from "../commands/types.ts";
import { MANAGERS, STAFF } from "../roles.ts";
import { DEFAULT_HOUR, localMinute } from "./cadence.ts";
import { digestReply, lastWeek } from "./digest.ts";
import { setSchedule, stopSchedule } from "./schedules.ts";

export const digestNow = defineCommand({
  name: "digest now",
  summary: "digest.now.summary",
  roles: STAFF,
  examples: ["digest now", 'digest now --campaign "Summer Launch"'],
  args: { campaign: optional(arg.ref({ of: "campaign", help: "digest.arg.campaign", example: '"Summer Launch"' })) },
  // Facts, a model's answer and a chart take seconds: acknowledged at once, posted by a worker.
  queued: true,
  async handler(ctx, a) {
    const workspaceId = ctx.actor.workspace.id;
    const campaign = a.campaign ? await findCampaign(ctx.db, workspaceId, a.campaign) : undefined;
    return digestReply(ctx, { workspaceId, ...(campaign ? { campaignId: campaign.id } : {}), ...lastWeek(ctx.clock.now()) }, ctx.actor.workspace.locale);
  },
});

export const digestSchedule = defineCommand({
  name: "digest schedule",
  summary: "digest.schedule.summary",
  roles: MANAGERS,
  examples: ["digest schedule weekly --channel here", "digest schedule daily --hour 8", "digest schedule off"],
  args: {
    cadence: arg.choice({ positional: true, help: "digest.arg.cadence", example: "weekly", choices: ["daily", "weekly", "off"] as const }),
    channel: optional(arg.choice({ help: "digest.arg.channel", example: "here", choices: ["here"] as const })),
    hour: optional(arg.integer({ help: "digest.arg.hour", example: "9", min: 0, max: 23 })),
  },
  async handler(ctx, a) {
    const { actor, t } = ctx;
    // Where the platform names no conversation (the console, WhatsApp), "here" is the asker's own chat.
    const here = ctx.caller.conversation;
    const target = here
      ? { platform: ctx.caller.platform, externalId: here.externalId, name: here.name, channel: true, locale: actor.workspace.locale }
      : { platform: ctx.caller.platform, externalId: ctx.caller.externalId, name: ctx.caller.displayName, locale: actor.workspace.locale };
    const at = { workspaceId: actor.workspace.id, target };
    if (a.cadence === "off") {
      const stopped = await stopSchedule(ctx, at);
      return { tone: stopped ? "success" : "info", text: t(stopped ? "digest.schedule.off" : "digest.schedule.none") };
    }
    const hour = a.hour ?? DEFAULT_HOUR;
    const timezone = actor.workspace.timezone;
    const next = await setSchedule(ctx, { ...at, cadence: a.cadence, hour, timezone, memberId: actor.memberId });
    return {
      tone: "success",
      text: t("digest.schedule.set", { cadence: t(`digest.schedule.cadence.${a.cadence}`), hour: `${String(hour).padStart(2, "0")}:00`, timezone, next: localMinute(next, timezone) }),
    };
  },
});

export const digestCommands = [digestNow, digestSchedule];
