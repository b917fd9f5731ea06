import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../app/container.ts";
import { createRegistry } from "../../core/commands/catalog.ts";
import { runCommand } from "../../core/commands/run.ts";
import type { Caller } from "../../core/commands/types.ts";
import { applyPaymentEvent } from "../../core/payments/apply.ts";
import { ROLES, type Role } from "../../core/roles.ts";
import { FakeStripeApi } from "../fakes/stripe-api.ts";
import { startTestApp } from "../support/app.ts";
import { createTestDatabase } from "../support/database.ts";
import { createTeam, type Team } from "../support/team.ts";

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let app: App;
let team: Team;
let seq = 0;
/** Payment commands need Stripe on to succeed for the roles allowed them. */
const stripe = new FakeStripeApi({ secretKey: "sk_test_rbac" });

beforeAll(async () => {
  env = await createTestDatabase();
  await stripe.start();
  app = await startTestApp(env.url, { env: { STRIPE_SECRET_KEY: "sk_test_rbac", STRIPE_WEBHOOK_SECRET: "whsec_rbac", STRIPE_API_URL: stripe.url } });
  team = await createTeam(app.database.db, "RBAC Brand");
  await as("owner", "creator add \"Seed Creator\" --instagram seedcreator");
  // The team's creator member is a creator profile too, so answering an invitation is theirs to do.
  expect((await as("owner", 'creator add "Cris Creator" --member "Cris Creator"')).ok).toBe(true);
});
afterAll(async () => {
  await app?.stop();
  await stripe.stop();
  await env?.drop();
});

const as = (role: Role, text: string) => runCommand(app.runner, { text, caller: team.members[role].caller });

/** A fresh campaign walked (by the owner) to the status a command needs. */
async function campaignAt(steps: string[]): Promise<number> {
  const name = `RBAC ${++seq}`;
  const created = await as("owner", `campaign create "${name}" --budget 500 --start 2099-01-01 --end 2099-02-01 --objective awareness`);
  expect(created.ok, created.reply.text).toBe(true);
  const { number } = await app.database.db.campaign.findFirstOrThrow({ where: { workspaceId: team.workspaceId, name } });
  for (const s of steps) expect((await as("owner", `campaign ${s} ${number}`)).ok).toBe(true);
  return number;
}

const BRAND: readonly Role[] = ["owner", "admin", "manager"];

/** A fresh invitation of Cris on a fresh approved campaign, at the point where it is `role`'s turn to answer. */
async function invitationFor(role: Role): Promise<number> {
  const campaign = await campaignAt(["submit", "approve"]);
  expect((await as("manager", `invite "Cris Creator" --campaign ${campaign} --fee 10`)).ok).toBe(true);
  const { number } = await app.database.db.invitation.findFirstOrThrow({ where: { workspaceId: team.workspaceId }, orderBy: { number: "desc" } });
  if (BRAND.includes(role)) expect((await as("creator", `counter ${number} --fee 20`)).ok).toBe(true);
  return number;
}

/** A fresh campaign on which Cris accepted a deal, so Cris has a referral link there. */
async function acceptedCampaign(): Promise<number> {
  const campaign = await campaignAt(["submit", "approve"]);
  expect((await as("manager", `invite "Cris Creator" --campaign ${campaign} --fee 10`)).ok).toBe(true);
  const { number } = await app.database.db.invitation.findFirstOrThrow({ where: { workspaceId: team.workspaceId }, orderBy: { number: "desc" } });
  expect((await as("creator", `accept ${number}`)).ok).toBe(true);
  return campaign;
}

/** For every command: a line that succeeds when the role may run it, built on fresh state. */
const scenarios: Record<string, (role: Role) => Promise<string>> = {
  help: async () => "help",
  link: async () => "link",
  "workspace show": async () => "workspace show",
  "member add": async () => `member add "Person ${++seq}" --role analyst`,
  "creator add": async () => `creator add "Creator ${++seq}" --instagram c${seq}x`,
  "creator show": async () => 'creator show "Seed Creator"',
  "creators search": async () => "creators search seed",
  "campaign create": async () => `campaign create "Made ${++seq}" --budget 100 --start 2099-01-01 --end 2099-01-31 --objective sales`,
  "campaign list": async () => "campaign list",
  "campaign show": async () => `campaign show ${await campaignAt([])}`,
  "campaign update": async () => `campaign update ${await campaignAt([])} --url https://shop.example.com/rbac`,
  "campaign submit": async () => `campaign submit ${await campaignAt([])}`,
  "campaign approve": async () => `campaign approve ${await campaignAt(["submit"])}`,
  "campaign reject": async () => `campaign reject ${await campaignAt(["submit"])}`,
  "campaign activate": async () => `campaign activate ${await campaignAt(["submit", "approve"])}`,
  "campaign complete": async () => `campaign complete ${await campaignAt(["submit", "approve", "activate"])}`,
  "campaign cancel": async () => `campaign cancel ${await campaignAt([])}`,
  invite: async () => `invite "Seed Creator" --campaign ${await campaignAt(["submit", "approve"])} --fee 10`,
  invites: async () => "invites",
  accept: async (role) => `accept ${await invitationFor(role)}`,
  decline: async (role) => `decline ${await invitationFor(role)}`,
  counter: async (role) => `counter ${await invitationFor(role)} --fee 30`,
  "qr issue": async () => `qr issue --campaign ${await campaignAt(["submit", "approve"])}`,
  redeem: async () => {
    const issued = await as("owner", `qr issue --campaign ${await campaignAt(["submit", "approve"])}`);
    return `redeem ${/`([^`]+\.[0-9a-f-]{36})`/.exec(issued.reply.text ?? "")![1]}`;
  },
  "stats campaign": async () => `stats campaign ${await campaignAt([])}`,
  "stats creator": async () => 'stats creator "Seed Creator"',
  report: async () => `report ${await campaignAt([])} --format xlsx`,
  "digest now": async () => "digest now",
  "digest schedule": async () => "digest schedule weekly --channel here",
  "apikey create": async () => `apikey create key-${++seq}`,
  "apikey list": async () => "apikey list",
  "apikey revoke": async () => {
    const name = `old-${++seq}`;
    expect((await as("owner", `apikey create ${name}`)).ok).toBe(true);
    return `apikey revoke ${name}`;
  },
  "outbox failed": async () => "outbox failed",
  "referral show": async () => `referral show "Cris Creator" --campaign ${await acceptedCampaign()}`,
  "outbox retry": async () => "outbox retry all",
  "boost buy": async () => "boost buy 24h",
  "boost status": async () => "boost status",
  leaderboard: async () => "leaderboard",
  "sync run": async () => 'sync "Seed Creator"',
  "sync failures": async () => "sync failures",
  feed: async () => "feed",
  "plan show": async () => "plan show",
  // From the free plan, where an upgrade is possible; afterEach puts the team back on Enterprise.
  "plan upgrade": async () => {
    await app.database.db.workspaceSubscription.deleteMany({ where: { workspaceId: team.workspaceId } });
    return "plan upgrade pro";
  },
  // From a paid Enterprise subscription at Stripe (the fake), which Pro's limits fit.
  "plan downgrade": async () => {
    const sub = stripe.createSubscription({ metadata: { clout_kind: "plan", clout_workspace_id: team.workspaceId, clout_plan: "enterprise" } });
    const billed = { plan: "enterprise", status: "active", stripeCustomerId: sub.customer, stripeSubscriptionId: sub.id, cancelAtPeriodEnd: false, updatedAt: new Date() };
    await app.database.db.workspaceSubscription.upsert({ where: { workspaceId: team.workspaceId }, create: { workspaceId: team.workspaceId, ...billed }, update: billed });
    return "plan downgrade pro";
  },
  pay: async () => {
    await acceptedCampaign();
    const { number } = await app.database.db.invitation.findFirstOrThrow({ where: { workspaceId: team.workspaceId, status: "accepted" }, orderBy: { number: "desc" } });
    return `pay ${number} --milestone advance`;
  },
  // A receipt needs a paid milestone: paid through the fake Stripe's session and the same handler its webhook reaches.
  receipt: async () => {
    await acceptedCampaign();
    const { number } = await app.database.db.invitation.findFirstOrThrow({ where: { workspaceId: team.workspaceId, status: "accepted" }, orderBy: { number: "desc" } });
    const link = await as("manager", `pay ${number} --milestone advance`);
    const sessionId = /\/c\/pay\/(cs_test_[\w-]+)/.exec(link.reply.text ?? "")![1]!;
    expect(await applyPaymentEvent(app.runner, { id: `evt_rbac_${++seq}`, kind: "checkout.paid", sessionId, paymentId: null })).toBe("applied");
    return `receipt ${number} --milestone advance`;
  },
};

const registry = createRegistry();
// workspace create is for people not yet in a workspace; it is covered with a stranger below.
const memberCommands = registry.list().filter((c) => c.name !== "workspace create");

describe("RBAC", () => {
  // Every other scenario needs more room than the free plan has.
  afterEach(() => app.database.db.workspaceSubscription.upsert({ where: { workspaceId: team.workspaceId }, create: { workspaceId: team.workspaceId, plan: "enterprise", status: "active", updatedAt: new Date() }, update: { plan: "enterprise" } }));

  it("has a scenario for every registered command, so a new command can't skip this table", () => {
    expect(Object.keys(scenarios).sort()).toEqual(memberCommands.map((c) => c.name).sort());
  });

  const cases = memberCommands.flatMap((c) => ROLES.map((role) => [c.name, role, c.roles === "anyone" || c.roles.includes(role)] as const));
  it.each(cases)("%s as %s → allowed: %s", async (name, role, allowed) => {
    const line = await scenarios[name]!(role);
    const auditBefore = await app.database.db.auditEntry.count();
    const r = await as(role, line);
    if (allowed) {
      expect(r.ok, r.reply.text).toBe(true);
    } else {
      expect(r.error).toBe("forbidden");
      expect(r.reply.text).toMatch(/is for .+; you are /);
      expect(await app.database.db.auditEntry.count()).toBe(auditBefore);
    }
  });

  it("lets a stranger (no linked member) run only help, link and workspace create", async () => {
    const stranger: Caller = { platform: "console", externalId: "nobody-yet", displayName: "Stranger" };
    for (const c of memberCommands.filter((c) => c.roles !== "anyone")) {
      const r = await runCommand(app.runner, { text: await scenarios[c.name]!("owner"), caller: stranger });
      expect(r.error, c.name).toBe("forbidden");
      expect(r.reply.text).toContain("not linked");
    }
    expect((await runCommand(app.runner, { text: "help", caller: stranger })).ok).toBe(true);
    const created = await runCommand(app.runner, { text: 'workspace create "Stranger Things"', caller: stranger });
    expect(created.ok, created.reply.text).toBe(true);
    // Now an owner of their own workspace, and only of that one.
    const show = await runCommand(app.runner, { text: "workspace show", caller: stranger });
    expect(show.reply.title).toBe("Stranger Things");
    expect(show.reply.fields?.[0]?.value).toContain("owner");
  });

  it("only an owner may grant owner; an admin may grant up to admin", async () => {
    const byAdmin = await as("admin", `member add "Would Be Owner" --role owner`);
    expect(byAdmin.error).toBe("forbidden");
    expect((await as("admin", `member add "New Admin ${++seq}" --role admin`)).ok).toBe(true);
    expect((await as("owner", `member add "New Owner ${++seq}" --role owner`)).ok).toBe(true);
  });
});
