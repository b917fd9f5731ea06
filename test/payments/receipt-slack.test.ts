/**
 * A paid milestone's PDF receipt asked for from Slack: paid through the real
 * stripe SDK against the fake Stripe API and its signed webhook, then
 * `/clout receipt` answers and the PDF reaches Slack through files.uploadV2
 * (the fake Slack Web API records the upload and its bytes). A receipt is
 * private, so it goes to the asker's own DM with Clout.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../core/commands/run.ts";
import type { Role } from "../../core/roles.ts";
import { FakeStripeApi } from "../fakes/stripe-api.ts";
import { deliverStripe } from "../fakes/stripe-webhooks.ts";
import { runAll } from "../support/commands.ts";
import { createTestDatabase } from "../support/database.ts";
import { pdfText } from "../support/pdf.ts";
import { SLACK_USER, startSlackHarness, textOf, type SlackHarness } from "../support/slack.ts";

const SECRET_KEY = "sk_test_clout_receipt";
const WEBHOOK_SECRET = "whsec_clout_receipt";

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let h: SlackHarness;
let number: number;
const stripe = new FakeStripeApi({ secretKey: SECRET_KEY });

beforeAll(async () => {
  env = await createTestDatabase();
  await stripe.start();
  h = await startSlackHarness(env.url, { env: { STRIPE_SECRET_KEY: SECRET_KEY, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_URL: stripe.url } });
  await runAll(h.app.runner, h.team.members.owner.caller, [
    'creator add "Cris Creator" --member "Cris Creator" --instagram cris',
    'campaign create "Yen Days" --budget 5000 --currency JPY --start 2099-03-01 --end 2099-03-31 --objective sales',
    'campaign submit "Yen Days"',
    'campaign approve "Yen Days"',
    'invite "Cris Creator" --campaign "Yen Days" --fee 1001',
  ]);
  number = (await h.app.database.db.invitation.findFirstOrThrow({ where: { workspaceId: h.team.workspaceId } })).number;
  expect((await as("creator", `accept ${number}`)).ok).toBe(true);
});
afterAll(async () => {
  await h?.stop();
  await stripe.stop();
  await env?.drop();
});

const as = (role: Role, text: string) => runCommand(h.app.runner, { text, caller: h.team.members[role].caller });

describe("receipt on Slack", () => {
  it("is refused, clearly, before the milestone is paid", async () => {
    const ack = await h.command("owner", `receipt ${number} --milestone final`);
    expect(ack.status).toBe(200);
    expect(textOf(ack.json.blocks ?? ack.json.text)).toContain("isn't paid yet");
    await new Promise((r) => setTimeout(r, 300));
    expect(h.api.uploads).toHaveLength(0);
  });

  it("uploads the paid milestone's PDF to the asker's DM: the amount in yen and the creator inside", async () => {
    // ¥1001: advance ⌊300.3⌋ = ¥300, milestone ⌊400.4⌋ = ¥400, final ¥301.
    const link = await as("manager", `pay ${number} --milestone final`);
    expect(link.ok, link.reply.text).toBe(true);
    const id = /\/c\/pay\/(cs_test_[\w-]+)/.exec(link.reply.text ?? "")![1]!;
    expect(stripe.sessions.get(id)).toMatchObject({ amount_total: 301, currency: "jpy" });
    const { session } = stripe.pay(id);
    const paid = await deliverStripe(h.base, stripe.event("checkout.session.completed", session), WEBHOOK_SECRET, Math.floor(Date.now() / 1000));
    expect(paid.body.outcome).toBe("applied");

    const ack = await h.command("owner", `receipt ${number} --milestone final`);
    expect(ack.status).toBe(200);
    expect(textOf(ack.json.blocks ?? ack.json.text)).toContain(`receipt-${number}-final.pdf`);
    await expect.poll(() => h.api.uploads.filter((u) => u.completed).length, { timeout: 10_000 }).toBe(1);
    const [upload] = h.api.uploads.filter((u) => u.completed);
    expect(upload).toMatchObject({ filename: `receipt-${number}-final.pdf`, channelId: `D${SLACK_USER.owner}` });
    expect(upload!.bytes!.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const text = pdfText(upload!.bytes!);
    for (const words of ["Slack Brand", "Yen Days", "Cris Creator", "Final payment", "301 (JPY)", id, `#${number}`]) expect(text, words).toContain(words);
  });
});
