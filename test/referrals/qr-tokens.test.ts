/**
 * In-store QR codes through the real command runner and the real server:
 * issued as signed single-use tokens with PNG images, redeemed in chat or by
 * a shop's API key, exactly once under 200 concurrent attempts; forged,
 * other workspaces', expired and reused tokens refused with their reason.
 */
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../app/container.ts";
import { ManualClock } from "../../core/clock.ts";
import { runCommand } from "../../core/commands/run.ts";
import type { Caller } from "../../core/commands/types.ts";
import { startTestApp } from "../support/app.ts";
import { runAll } from "../support/commands.ts";
import { createTestDatabase } from "../support/database.ts";
import { createTeam, type Team } from "../support/team.ts";

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let app: App;
let team: Team;
let other: Team;
let base: string;
const clock = new ManualClock(new Date());

beforeAll(async () => {
  env = await createTestDatabase();
  app = await startTestApp(env.url, { clock, http: true, env: { CLOUT_SECRET: "qr-test-secret-".padEnd(40, "q") } });
  base = `http://127.0.0.1:${(app.server!.server.address() as { port: number }).port}`;
  team = await createTeam(app.database.db, "QR Brand");
  other = await createTeam(app.database.db, "Other QR Brand");
  for (const t of [team, other]) {
    await runAll(app.runner, t.members.owner.caller, ['campaign create "Store Week" --budget 500 --currency USD --start 2099-05-01 --end 2099-05-31 --objective sales', "campaign submit 1", "campaign approve 1"]);
  }
});
afterAll(async () => {
  await app?.stop();
  await env?.drop();
});

const run = (caller: Caller, text: string) => runCommand(app.runner, { text, caller });

async function issue(t: Team, count = 1, extra = ""): Promise<string[]> {
  const r = await run(t.members.manager.caller, `qr issue --campaign 1 --count ${count} ${extra}`);
  expect(r.ok, r.reply.text).toBe(true);
  return [...(r.reply.text ?? "").matchAll(/`([\w-]{16}\.[0-9a-z]+\.[0-9a-f-]{36})`/g)].map((m) => m[1]!);
}

async function apiKey(t: Team): Promise<{ key: string; id: string; secret: string }> {
  const r = await run(t.members.owner.caller, `apikey create pos-${Math.random().toString(36).slice(2, 8)}`);
  const text = r.reply.text ?? "";
  return { key: /`(clout_[0-9a-f]{32}_[\w-]+)`/.exec(text)![1]!, id: /X-Clout-Key: ([0-9a-f-]{36})/.exec(text)![1]!, secret: /with the secret ([\w-]+)>/.exec(text)![1]! };
}

const redeemOverApi = (headers: Record<string, string>, body: string) => fetch(`${base}/api/v1/redemptions`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

describe("qr issue", () => {
  it("issues signed tokens with one PNG each, privately, only from approved or active campaigns", async () => {
    const r = await run(team.members.manager.caller, "qr issue --campaign 1 --count 3 --expires 7d");
    expect(r.ok, r.reply.text).toBe(true);
    expect(r.reply.ephemeral).toBe(true);
    expect(r.reply.images).toHaveLength(3);
    for (const image of r.reply.images!) expect(Buffer.from(image.png).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(await app.database.db.qrToken.count({ where: { workspaceId: team.workspaceId, redeemedAt: null } })).toBeGreaterThanOrEqual(3);

    expect((await run(team.members.owner.caller, 'campaign create "Draft Only" --budget 10 --start 2099-01-01 --end 2099-01-02 --objective sales')).ok).toBe(true);
    const refused = await run(team.members.manager.caller, 'qr issue --campaign "Draft Only"');
    expect(refused.ok).toBe(false);
    expect(refused.reply.text).toContain("draft");
    expect((await run(team.members.manager.caller, "qr issue --campaign 1 --count 21")).ok).toBe(false);
  });
});

describe("redeem in chat", () => {
  it("works once; a second try says when and by whom", async () => {
    const [token] = await issue(team);
    const first = await run(team.members.analyst.caller, `redeem ${token}`);
    expect(first.reply.tone).toBe("success");
    expect(first.reply.text).toContain("Store Week");
    const again = await run(team.members.manager.caller, `redeem ${token}`);
    expect(again.reply.tone).toBe("error");
    expect(again.reply.text).toContain("already redeemed");
    expect(again.reply.text).toContain("Ana Analyst");
    expect(await app.database.db.auditEntry.count({ where: { workspaceId: team.workspaceId, action: "qr.redeemed" } })).toBe(1);
  });

  it("refuses a forged token, another workspace's, and an expired one, each saying why", async () => {
    const [token] = await issue(team);
    const forged = `${token!.slice(0, 5)}${token![5] === "a" ? "b" : "a"}${token!.slice(6)}`;
    expect((await run(team.members.manager.caller, `redeem ${forged}`)).reply.text).toContain("not a QR code Clout issued");
    expect((await run(other.members.manager.caller, `redeem ${token}`)).reply.text).toContain("not a QR code Clout issued");
    const [short] = await issue(team, 1, "--expires 1h");
    clock.advance(2 * 3_600_000);
    expect((await run(team.members.manager.caller, `redeem ${short}`)).reply.text).toContain("expired");
    // The forged and foreign attempts redeemed nothing: the real token still works once.
    expect((await run(team.members.manager.caller, `redeem ${token}`)).reply.tone).toBe("success");
  });
});

describe("POST /api/v1/redemptions", () => {
  it("200 concurrent redemptions of one token: exactly one succeeds, the rest are told it was used", async () => {
    const [token] = await issue(team);
    const { key } = await apiKey(team);
    const body = JSON.stringify({ token });
    const answers = await Promise.all(Array.from({ length: 200 }, () => redeemOverApi({ authorization: `Bearer ${key}` }, body)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(199);
    const row = await app.database.db.qrToken.findFirstOrThrow({ where: { id: token!.split(".")[2] } });
    expect(row.redeemedBy).toMatch(/^API key pos-/);
  });

  it("takes an HMAC-signed request; refuses a forged signature, a stale one and none, and a malformed body with an example", async () => {
    const [token] = await issue(team);
    const { id, secret } = await apiKey(team);
    const body = JSON.stringify({ token });
    const ts = String(Math.floor(clock.now().getTime() / 1000));
    const sig = `v1=${createHmac("sha256", secret).update(`${ts}.${body}`).digest("hex")}`;
    const signed = (s: string, t = ts) => ({ "x-clout-key": id, "x-clout-timestamp": t, "x-clout-signature": s });

    expect((await redeemOverApi(signed(sig.replace(/.$/, (c) => (c === "0" ? "1" : "0"))), body)).status).toBe(401);
    const stale = String(Math.floor((clock.now().getTime() - 10 * 60_000) / 1000));
    const staleSig = `v1=${createHmac("sha256", secret).update(`${stale}.${body}`).digest("hex")}`;
    const staleRes = await redeemOverApi(signed(staleSig, stale), body);
    expect(staleRes.status).toBe(401);
    expect((await staleRes.json()).error).toBe("stale_timestamp");
    const none = await redeemOverApi({}, body);
    expect(none.status).toBe(401);
    expect((await none.json()).message).toContain("Authorization: Bearer");
    expect(await app.database.db.qrToken.count({ where: { id: token!.split(".")[2], redeemedAt: { not: null } } })).toBe(0);

    const ok = await redeemOverApi(signed(sig), body);
    expect(ok.status, await ok.clone().text()).toBe(200);
    expect((await ok.json()).campaign).toEqual({ number: 1, name: "Store Week" });

    const badBody = JSON.stringify({ code: "x" });
    const badTs = String(Math.floor(clock.now().getTime() / 1000));
    const bad = await redeemOverApi(signed(`v1=${createHmac("sha256", secret).update(`${badTs}.${badBody}`).digest("hex")}`, badTs), badBody);
    expect(bad.status).toBe(422);
    const why = await bad.json();
    expect(why.message).toContain("token");
    expect(why.example).toHaveProperty("token");
  });

  it("a revoked key is refused; another workspace's key can't redeem this workspace's token", async () => {
    const [token] = await issue(team);
    const theirs = await apiKey(other);
    const cross = await redeemOverApi({ authorization: `Bearer ${theirs.key}` }, JSON.stringify({ token }));
    expect(cross.status).toBe(422);
    const mine = await apiKey(team);
    const name = (await app.database.db.apiCredential.findUniqueOrThrow({ where: { id: mine.id } })).name;
    expect((await run(team.members.owner.caller, `apikey revoke ${name}`)).ok).toBe(true);
    const revoked = await redeemOverApi({ authorization: `Bearer ${mine.key}` }, JSON.stringify({ token }));
    expect(revoked.status).toBe(401);
    expect((await revoked.json()).error).toBe("revoked");
  });

  it("is documented in /docs with both ways to authenticate", async () => {
    const spec = await (await fetch(`${base}/docs/json`)).json();
    expect(spec.paths["/api/v1/redemptions"].post.security).toEqual([{ apiKey: [] }, { signature: [] }]);
    expect(Object.keys(spec.components.securitySchemes)).toEqual(expect.arrayContaining(["apiKey", "signature"]));
  });
});
