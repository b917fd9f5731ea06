/**
 * Referral links issued on acceptance, through the real command runner on a
 * real database: the link and code in the contract summary both sides get,
 * codes unique per workspace whatever their case, `referral show` with a QR
 * image that decodes to the link, and campaign destinations.
 */
import { createRequire } from "node:module";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../app/container.ts";
import { ManualClock } from "../../core/clock.ts";
import { runCommand } from "../../core/commands/run.ts";
import type { Caller } from "../../core/commands/types.ts";
import { noticesFor } from "../../core/notifications/recipients.ts";
import { codeStem } from "../../core/referrals/codes.ts";
import { issueReferralLink } from "../../core/referrals/links.ts";
import { startTestApp } from "../support/app.ts";
import { createTestDatabase } from "../support/database.ts";
import { createTeam, type Team } from "../support/team.ts";

// jsqr is CommonJS typed as an ES default export: required, it is the function its types describe.
const jsQR: typeof import("jsqr").default = createRequire(import.meta.url)("jsqr");
const PUBLIC_URL = "https://go.clout.test";
let env: Awaited<ReturnType<typeof createTestDatabase>>;
let app: App;
let team: Team;
const clock = new ManualClock(new Date("2026-06-15T09:00:00Z"));

beforeAll(async () => {
  env = await createTestDatabase();
  app = await startTestApp(env.url, { clock, env: { PUBLIC_URL } });
  team = await createTeam(app.database.db, "Referral Brand");
  await ok(owner(), 'creator add "Cris Creator" --instagram cris --member "Cris Creator"');
  await ok(owner(), 'creator add "Murugi Wanjiku" --instagram murugi');
  await ok(owner(), 'creator add "Zoë Okafor" --instagram zoe');
});
afterAll(async () => {
  await app?.stop();
  await env?.drop();
});

const run = (caller: Caller, text: string) => runCommand(app.runner, { text, caller });
const owner = () => team.members.owner.caller;
const db = () => app.database.db;
async function ok(caller: Caller, text: string) {
  const r = await run(caller, text);
  expect(r.ok, `${text}\n${r.reply.text}`).toBe(true);
  return r;
}

let campaigns = 0;
async function approvedCampaign(extra = "") {
  const name = `Launch ${++campaigns}`;
  await ok(owner(), `campaign create "${name}" --budget 5000 --currency USD --start 2026-07-01 --end 2026-07-31 --objective sales ${extra}`);
  await ok(owner(), `campaign submit "${name}"`);
  await ok(owner(), `campaign approve "${name}"`);
  return db().campaign.findFirstOrThrow({ where: { workspaceId: team.workspaceId, name } });
}

const field = (r: { reply: { fields?: { label: string; value: string }[] } }, label: string) => r.reply.fields?.find((f) => f.label === label)?.value;

describe("issue on acceptance", () => {
  it("gives the creator a link and a code, in the summary the accepter gets and in the notice the other side gets", async () => {
    const c = await approvedCampaign("--url https://shop.example.com/summer?ref=ig");
    await ok(team.members.manager.caller, `invite @cris --campaign ${c.number} --fee 100`);
    const inv = await db().invitation.findFirstOrThrow({ where: { workspaceId: team.workspaceId }, orderBy: { number: "desc" } });
    const accepted = await ok(team.members.creator.caller, `accept ${inv.number}`);

    const link = await db().referralLink.findUniqueOrThrow({ where: { invitationId: inv.id } });
    expect(link.slug).toMatch(/^[a-z2-9]{10}$/);
    expect(link.code).toMatch(/^CRIS\d{2}$/);
    expect(link.codeKey).toBe(link.code);
    expect(field(accepted, "Referral link")).toBe(`${PUBLIC_URL}/r/${link.slug}`);
    expect(field(accepted, "Code")).toBe(link.code);
    expect(field(accepted, "Destination")).toBe("https://shop.example.com/summer?ref=ig");
    expect(accepted.reply.text).toContain(`referral show`);

    const notices = await noticesFor(db(), { type: "invitation.changed", workspaceId: team.workspaceId, invitationId: inv.id, move: "accept", side: "creator", actorMemberId: team.members.creator.id, at: clock.now().toISOString() }, PUBLIC_URL);
    expect(notices.length).toBeGreaterThan(0);
    for (const n of notices) expect(n.reply.fields?.find((f) => f.label === "Referral link")?.value).toBe(`${PUBLIC_URL}/r/${link.slug}`);
  });

  it("makes codes from first names without accents, unique per workspace whatever the case", async () => {
    expect(codeStem("Murugi Wanjiku")).toBe("MURUGI");
    expect(codeStem("Zoë Okafor")).toBe("ZOE");
    expect(codeStem("J. R. Tolkien")).toBe("TOLKIEN");
    expect(codeStem("李小龙")).toBe("CLOUT");

    const c = await approvedCampaign();
    const murugi = await db().creator.findFirstOrThrow({ where: { workspaceId: team.workspaceId, name: "Murugi Wanjiku" } });
    // Every two-digit MURUGI code but one taken, one of them in lower case: the issue must find the free one or widen.
    const other = await approvedCampaign();
    const taken = Array.from({ length: 89 }, (_, i) => `MURUGI${i + 10}`).filter((code) => code !== "MURUGI57");
    const zoe = await db().creator.findFirstOrThrow({ where: { workspaceId: team.workspaceId, name: "Zoë Okafor" } });
    const fakeCreators = await Promise.all(
      taken.map((_, i) => db().creator.create({ data: { id: crypto.randomUUID(), workspaceId: team.workspaceId, number: 1000 + i, name: `Filler ${i}`, nameKey: `filler ${i}` } })),
    );
    await db().referralLink.createMany({
      data: taken.map((code, i) => ({ id: crypto.randomUUID(), workspaceId: team.workspaceId, campaignId: other.id, creatorId: fakeCreators[i]!.id, slug: `filler${i}x`, code: i === 0 ? code.toLowerCase() : code, codeKey: code, createdAt: clock.now() })),
    });
    const link = await db().$transaction((tx) => issueReferralLink(tx, app.runner, { workspaceId: team.workspaceId, campaignId: c.id, creatorId: murugi.id, creatorName: murugi.name }));
    expect(taken).not.toContain(link.codeKey);
    expect(link.code).toMatch(/^MURUGI\d{2,4}$/);
    // Issued once: asking again returns the same link.
    const again = await db().$transaction((tx) => issueReferralLink(tx, app.runner, { workspaceId: team.workspaceId, campaignId: c.id, creatorId: murugi.id, creatorName: murugi.name }));
    expect(again.id).toBe(link.id);
    const zoeLink = await db().$transaction((tx) => issueReferralLink(tx, app.runner, { workspaceId: team.workspaceId, campaignId: c.id, creatorId: zoe.id, creatorName: zoe.name }));
    expect(zoeLink.code).toMatch(/^ZOE\d{2}$/);
  });

  it("issues one link when the same creator's link is issued concurrently", async () => {
    const c = await approvedCampaign();
    const zoe = await db().creator.findFirstOrThrow({ where: { workspaceId: team.workspaceId, name: "Zoë Okafor" } });
    const links = await Promise.all(Array.from({ length: 5 }, () => db().$transaction((tx) => issueReferralLink(tx, app.runner, { workspaceId: team.workspaceId, campaignId: c.id, creatorId: zoe.id, creatorName: zoe.name }))));
    expect(new Set(links.map((l) => l.id)).size).toBe(1);
    expect(await db().referralLink.count({ where: { campaignId: c.id } })).toBe(1);
  });
});

describe("referral show", () => {
  it("shows the link, code and destination with a QR PNG that decodes to the link marked as a scan", async () => {
    const c = await approvedCampaign("--url https://shop.example.com/p");
    await ok(team.members.manager.caller, `invite @cris --campaign ${c.number} --fee 100`);
    const inv = await db().invitation.findFirstOrThrow({ where: { workspaceId: team.workspaceId }, orderBy: { number: "desc" } });
    await ok(team.members.creator.caller, `accept ${inv.number}`);
    const link = await db().referralLink.findUniqueOrThrow({ where: { invitationId: inv.id } });

    for (const who of [team.members.analyst.caller, team.members.creator.caller]) {
      const r = await ok(who, `referral show @cris --campaign ${c.number}`);
      expect(field(r, "Referral link")).toBe(`${PUBLIC_URL}/r/${link.slug}`);
      expect(field(r, "Code")).toBe(link.code);
      expect(field(r, "Destination")).toBe("https://shop.example.com/p");
      const image = r.reply.images?.[0];
      expect(image).toBeDefined();
      expect([...image!.png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const png = PNG.sync.read(Buffer.from(image!.png));
      expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(`${PUBLIC_URL}/r/${link.slug}?qr=1`);
    }
  });

  it("lets a creator see only their own links, and says when there is none", async () => {
    const c = await approvedCampaign();
    const mine = await run(team.members.creator.caller, `referral show @murugi --campaign ${c.number}`);
    expect(mine.error).toBe("forbidden");
    expect(mine.reply.text).toContain("your own");
    const none = await run(owner(), `referral show @murugi --campaign ${c.number}`);
    expect(none.error).toBe("not_found");
    expect(none.reply.text).toContain("accepted");
    expect(none.reply.text).toContain(`invites --campaign ${c.number}`);
  });

  it("issues the link of a deal agreed before links existed", async () => {
    const c = await approvedCampaign();
    await ok(team.members.manager.caller, `invite @cris --campaign ${c.number} --fee 100`);
    const inv = await db().invitation.findFirstOrThrow({ where: { workspaceId: team.workspaceId }, orderBy: { number: "desc" } });
    await ok(team.members.creator.caller, `accept ${inv.number}`);
    await db().referralLink.deleteMany({ where: { campaignId: c.id } });
    const r = await ok(owner(), `referral show "Cris Creator" --campaign ${c.number}`);
    expect(field(r, "Code")).toMatch(/^CRIS\d{2}$/);
    // No destination yet: the link works, and the reply says what to do.
    expect(field(r, "Destination")).toBe("not set yet");
    expect(r.reply.text).toContain(`campaign update ${c.number} --url https://`);
  });
});

describe("campaign destinations", () => {
  it("refuses anything but a full https address, with an example", async () => {
    for (const bad of ["shop.example.com", "http://shop.example.com", "https://user:pw@shop.example.com", "ftp://x.example.com", "https://localhost"]) {
      const r = await run(owner(), `campaign create "Bad URL" --budget 10 --start 2099-01-01 --end 2099-01-31 --objective sales --url ${bad}`);
      expect(r.error, bad).toBe("usage");
      expect(r.reply.text).toContain("https://shop.example.com/summer");
    }
    expect(await db().campaign.count({ where: { name: "Bad URL" } })).toBe(0);
  });

  it("campaign update --url sets it (managers only), audited, and shows it on campaign show", async () => {
    const c = await approvedCampaign();
    const analyst = await run(team.members.analyst.caller, `campaign update ${c.number} --url https://shop.example.com/new`);
    expect(analyst.error).toBe("forbidden");
    const set = await ok(team.members.manager.caller, `campaign update ${c.number} --url https://shop.example.com/new`);
    expect(set.reply.text).toContain("https://shop.example.com/new");
    const changed = await ok(team.members.manager.caller, `campaign update ${c.number} --url https://shop.example.com/newer`);
    expect(changed.reply.text).toContain("instead of https://shop.example.com/new");
    expect((await db().campaign.findUniqueOrThrow({ where: { id: c.id } })).destinationUrl).toBe("https://shop.example.com/newer");
    const audit = await db().auditEntry.findMany({ where: { entityId: c.id, action: "campaign.destination" } });
    expect(audit).toHaveLength(2);
    const show = await ok(owner(), `campaign show ${c.number}`);
    expect(field(show, "Destination")).toBe("https://shop.example.com/newer");
    expect(show.reply.text).toContain("destination URL set");
    const missing = await run(owner(), `campaign update ${c.number}`);
    expect(missing.reply.text).toContain("--url");
  });
});
