import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../app/container.ts";
import { ManualClock } from "../../core/clock.ts";
import { runCommand } from "../../core/commands/run.ts";
import type { Caller } from "../../core/commands/types.ts";
import { startTestApp } from "../support/app.ts";
import { createTestDatabase } from "../support/database.ts";
import { createTeam, type Team } from "../support/team.ts";

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let app: App;
let team: Team;
const clock = new ManualClock(new Date("2026-06-01T12:00:00Z"));

beforeAll(async () => {
  env = await createTestDatabase();
  app = await startTestApp(env.url, { clock });
  team = await createTeam(app.database.db, "Identity Brand");
});
afterAll(async () => {
  await app?.stop();
  await env?.drop();
});

const run = (caller: Caller, text: string) => runCommand(app.runner, { text, caller });
const slackUser = (id: string, locale?: string): Caller => ({ platform: "slack", externalId: `T1:${id}`, displayName: id, locale, mentionPrefix: "T1:" });
const codeIn = (text = "") => /link ([A-Z0-9]{6})/.exec(text)?.[1];

describe("identity linking", () => {
  it("a member added by name links their Slack account with the code, once", async () => {
    const added = await run(team.members.owner.caller, 'member add "Carla Mendes" --role manager');
    const code = codeIn(added.reply.text);
    expect(code).toBeDefined();
    const carla = slackUser("UCARLA");
    expect((await run(carla, "campaign list")).error).toBe("forbidden");
    const linked = await run(carla, `link ${code!.toLowerCase()}`);
    expect(linked.ok, linked.reply.text).toBe(true);
    expect(linked.reply.text).toContain("Carla Mendes");
    const list = await run(carla, "campaign list");
    expect(list.ok).toBe(true);
    const again = await run(slackUser("UOTHER"), `link ${code}`);
    expect(again.error).toBe("not_found");
    expect(again.reply.text).toContain("not valid");
  });

  it("an expired code is refused and links nothing", async () => {
    const added = await run(team.members.owner.caller, 'member add "Late Larry" --role analyst');
    clock.advance(8 * 86_400_000);
    const r = await run(slackUser("ULARRY"), `link ${codeIn(added.reply.text)}`);
    expect(r.error).toBe("not_found");
    expect(await app.database.db.identity.count({ where: { externalId: "T1:ULARRY" } })).toBe(0);
    clock.set(new Date("2026-06-01T12:00:00Z"));
  });

  it("one code sent by two accounts at once links exactly one", async () => {
    const added = await run(team.members.owner.caller, 'member add "Racy Rita" --role analyst');
    const code = codeIn(added.reply.text);
    const results = await Promise.all(["URACE1", "URACE2", "URACE3"].map((u) => run(slackUser(u), `link ${code}`)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const member = await app.database.db.member.findFirstOrThrow({ where: { workspaceId: team.workspaceId, displayName: "Racy Rita" }, include: { identities: true } });
    expect(member.identities).toHaveLength(1);
  });

  it("a member gets a code with `link` and joins a second platform to the same member", async () => {
    const r = await run(team.members.analyst.caller, "link");
    const code = /\*\*([A-Z0-9]{6})\*\*/.exec(r.reply.text ?? "")?.[1];
    expect(code).toBeDefined();
    expect(r.reply.ephemeral).toBe(true);
    const telegram: Caller = { platform: "telegram", externalId: "555", displayName: "ana_t" };
    expect((await run(telegram, `link ${code}`)).ok).toBe(true);
    const identities = await app.database.db.identity.findMany({ where: { memberId: team.members.analyst.id } });
    expect(identities.map((i) => i.platform).sort()).toEqual(["console", "telegram"]);
    const already = await run(telegram, "link ABCDEF");
    expect(already.error).toBe("conflict");
  });

  it("a mention links the mentioned account directly", async () => {
    const owner = slackUser("UOWNER");
    await app.database.db.identity.create({ data: { id: crypto.randomUUID(), platform: "slack", externalId: "T1:UOWNER", memberId: team.members.owner.id } });
    const r = await run(owner, "member add <@UDAN|dan> --role analyst");
    expect(r.ok, r.reply.text).toBe(true);
    const dan = slackUser("UDAN");
    expect((await run(dan, "workspace show")).reply.fields?.[0]?.value).toContain("dan");
    const dup = await run(owner, "member add <@UDAN|daniel> --role analyst");
    expect(dup.error).toBe("conflict");
  });

  it("a chat workspace (Slack team) serves one Clout workspace: joining or starting another is refused", async () => {
    const founder: Caller = { platform: "slack", externalId: "T9:UFOUNDER", displayName: "Fola", tenant: "T9" };
    expect((await run(founder, 'workspace create "Alpha Brand"')).ok).toBe(true);
    const added = await run(team.members.owner.caller, 'member add "Zed Zero" --role analyst');
    const colleague: Caller = { platform: "slack", externalId: "T9:UCOLLEAGUE", displayName: "Col", tenant: "T9" };
    const refused = await run(colleague, `link ${codeIn(added.reply.text)}`);
    expect(refused.error).toBe("conflict");
    expect(refused.reply.text).toContain("already connected to the Clout workspace Alpha Brand");
    expect(await app.database.db.identity.count({ where: { externalId: "T9:UCOLLEAGUE" } })).toBe(0);
    // The code was not spent by the refused attempt.
    const elsewhere: Caller = { platform: "slack", externalId: "T1:UZED", displayName: "Zed", tenant: "T1" };
    expect((await run(elsewhere, `link ${codeIn(added.reply.text)}`)).ok).toBe(true);
    const second = await run(colleague, 'workspace create "Beta Brand"');
    expect(second.error).toBe("conflict");
    expect(await app.database.db.workspace.count({ where: { name: "Beta Brand" } })).toBe(0);
  });

  it("replies in Portuguese to a Portuguese-speaking user", async () => {
    const r = await run(slackUser("UPT", "pt-BR"), "campaign list");
    expect(r.reply.text).toContain("não está vinculada");
    const unknown = await run(slackUser("UPT", "pt-BR"), "campain list");
    expect(unknown.reply.text).toContain("Você quis dizer");
  });
});
