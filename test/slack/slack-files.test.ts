/**
 * Images in replies (QR codes now, charts with digests) reach Slack as files
 * through files.uploadV2 with the real Bolt client: beside the answer in the
 * channel, or, for a private answer, in the person's own DM with Clout.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAll } from "../support/commands.ts";
import { createTestDatabase } from "../support/database.ts";
import { SLACK_USER, startSlackHarness, type SlackHarness } from "../support/slack.ts";

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let h: SlackHarness;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

beforeAll(async () => {
  env = await createTestDatabase();
  h = await startSlackHarness(env.url);
  await runAll(h.app.runner, h.team.members.owner.caller, ['campaign create "Shop Days" --budget 300 --currency USD --start 2099-06-01 --end 2099-06-30 --objective sales', "campaign submit 1", "campaign approve 1"]);
});
afterAll(async () => {
  await h?.stop();
  await env?.drop();
});

describe("Slack files", () => {
  it("uploads a private reply's QR codes to the person's DM, one complete PNG each with its alt text", async () => {
    const ack = await h.command("manager", "qr issue --campaign 1 --count 2");
    expect(ack.status).toBe(200);
    await expect.poll(() => h.api.uploads.filter((u) => u.completed).length, { timeout: 10_000 }).toBe(2);
    const uploads = h.api.uploads.filter((u) => u.completed);
    for (const u of uploads) {
      expect(u.channelId).toBe(`D${SLACK_USER.manager}`);
      expect(u.bytes!.subarray(0, 8)).toEqual(PNG);
      expect(u.altText).toMatch(/Shop Days/);
    }
    expect(uploads.map((u) => u.filename).sort()).toEqual(["qr-1-1.png", "qr-1-2.png"]);
    // Nothing was shared in the channel: the codes are only for who asked.
    expect(uploads.some((u) => u.channelId === "C0CAMPAIGN")).toBe(false);
  });
});
