import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAll } from "../support/commands.ts";
import { createTestDatabase } from "../support/database.ts";
import { startSlackHarness, textOf, type SlackHarness } from "../support/slack.ts";
import { until } from "../fakes/scripted-platform.ts";

/**
 * `/clout sync all` in a Slack channel: the reply is a channel message that
 * is edited as the run advances and ends on the final count, with edits
 * throttled (one every few seconds at most, not one per account).
 */
const CREATORS = 24;

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let h: SlackHarness;

beforeAll(async () => {
  env = await createTestDatabase();
  // About 12 calls an account at 40 a second: a run of several seconds, long enough to be seen advancing.
  h = await startSlackHarness(env.url, { workers: true, env: { SYNC_LIMITS: "off,instagram=40/1s" } });
  await runAll(h.app.runner, h.team.members.manager.caller, Array.from({ length: CREATORS }, (_, i) => `creator add "Creator ${i + 1}" --instagram creator_${i + 1}`));
}, 60_000);
afterAll(async () => {
  await h?.stop();
  await env?.drop();
});

describe("sync progress in the chat", () => {
  // Maria, the manager, uses Slack in Portuguese: so does her run's message.
  it("posts the run as a message, edits it as it advances, and ends on the final count", async () => {
    const started = Date.now();
    const ack = await h.command("manager", "sync all");
    expect(ack.status).toBe(200);
    const posted = await h.api.waitForCall("chat.postMessage", (c) => c.status === 200 && textOf(c.body).includes(`Sincronizando 0/${CREATORS} criadores`), 10_000);
    const ts = (posted.response as { ts: string }).ts;
    const message = () => h.api.messages.find((m) => m.ts === ts)!;
    await until("the final count", () => (message().text ?? "").includes(`${CREATORS} criadores sincronizados.`), 45_000);
    const seconds = (Date.now() - started) / 1000;

    const edits = h.api.callsTo("chat.update").filter((c) => c.body.ts === ts && c.status === 200);
    const texts = edits.map((c) => textOf(c.body));
    // It was seen part-way, counting up, and never edited more than once every few seconds.
    expect(texts.some((t) => new RegExp(`Sincronizando ([1-9]\\d*)/${CREATORS} criadores`).test(t) && !t.includes(`Sincronizando ${CREATORS}/`))).toBe(true);
    expect(edits.length).toBeLessThanOrEqual(Math.ceil(seconds / 3) + 1);
    const counts = texts.map((t) => Number(/Sincronizando (\d+)\//.exec(t)?.[1] ?? CREATORS));
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(texts.at(-1)).toContain(`${CREATORS} criadores sincronizados.`);
  }, 60_000);
});
