import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ActionSigner } from "../../core/actions/signer.ts";
import { ManualClock } from "../../core/clock.ts";
import type { Reply, ReplyButton } from "../../core/reply.ts";
import { CloudTransport } from "../../bots/whatsapp/cloud.ts";
import { GRAPH_ERRORS, WHATSAPP_LIMITS, WHATSAPP_STYLE } from "../../bots/whatsapp/limits.ts";
import { renderMessages, templateText } from "../../bots/whatsapp/render.ts";
import type { OutgoingMessage } from "../../bots/whatsapp/transport.ts";
import { FakeWhatsAppApi } from "../fakes/whatsapp-api.ts";
import { randomReplies } from "../support/random-replies.ts";
import { silentLog } from "../support/app.ts";

const clock = new ManualClock(new Date("2025-03-01T12:00:00Z"));
const signer = new ActionSigner(Buffer.alloc(32, 7), clock);
const sign = (command: string, scope?: string) => signer.sign(command, scope);
const buttons = (n: number): ReplyButton[] => Array.from({ length: n }, (_, i) => ({ label: `Action number ${i + 1} with a long label`, command: `campaign approve ${i + 1}` }));
const of = <T extends OutgoingMessage["type"]>(ms: OutgoingMessage[], type: T) => ms.filter((m): m is Extract<OutgoingMessage, { type: T }> => m.type === type);

describe("WhatsApp limits", () => {
  it("are the Cloud API's documented limits", () => {
    expect(WHATSAPP_LIMITS).toMatchObject({
      textChars: 4096,
      interactiveBodyChars: 1024,
      headerChars: 60,
      footerChars: 60,
      replyButtons: 3,
      buttonTitleChars: 20,
      buttonIdChars: 256,
      listRows: 10,
      rowTitleChars: 24,
      rowIdChars: 200,
      rowDescriptionChars: 72,
    });
    expect(GRAPH_ERRORS).toMatchObject({ reEngagement: 131047, rateLimit: 130429, undeliverable: 131026 });
    expect(WHATSAPP_STYLE.pages).toBeGreaterThan(1);
  });
});

describe("WhatsApp renderer", () => {
  it("writes the markdown subset in WhatsApp's formatting, and tables in a monospace block", () => {
    const [m] = renderMessages({ title: "Report", text: "**Bold** and _italic_ with `code` and [docs](https://x.test)", table: { columns: ["Name", "Fee"], rows: [["Ana", "$5"]] } }, { sign });
    expect(m).toMatchObject({ type: "text" });
    const body = (m as { body: string }).body;
    expect(body).toContain("*Report*");
    expect(body).toContain("*Bold* and _italic_ with `code` and docs (https://x.test)");
    expect(body).toMatch(/```\nName\s+Fee\n─+\s+─+\nAna\s+\$5\n```/);
  });

  it("puts 1–3 buttons on reply buttons, 4–10 in a list, and says how many more did not fit", () => {
    const three = renderMessages({ text: "Pick one", buttons: buttons(3) }, { sign });
    expect(three).toHaveLength(1);
    expect(of(three, "buttons")[0]!.buttons.map((b) => b.title.length)).toEqual([20, 20, 20]);
    expect(signer.verify(of(three, "buttons")[0]!.buttons[0]!.id)).toBe("campaign approve 1");

    const seven = of(renderMessages({ text: "Pick one", buttons: buttons(7) }, { sign }), "list")[0]!;
    expect(seven.rows).toHaveLength(7);
    expect(seven.rows.every((r) => r.title.length <= 24 && r.id.length <= 200)).toBe(true);

    const many = renderMessages({ text: "Pick one", buttons: buttons(14) }, { sign });
    expect(of(many, "list")[0]!.rows).toHaveLength(10);
    expect(of(many, "list")[0]!.body).toContain("4 more buttons not shown");
  });

  it("pages long text within 4096 characters, truncating past the last page, and moves buttons under a prompt when the body is too long", () => {
    const long = Array.from({ length: 3000 }, (_, i) => `line ${i} of a rather long reply`).join("\n");
    const out = renderMessages({ title: "Long", text: long, buttons: buttons(2) }, { sign });
    const texts = of(out, "text");
    expect(texts).toHaveLength(WHATSAPP_STYLE.pages);
    expect(texts.every((m) => m.body.length <= 4096)).toBe(true);
    expect(texts.at(-1)!.body).toContain("truncated to fit a WhatsApp message");
    expect(of(out, "buttons")[0]!.body).toBe("Long");
  });

  it("a template parameter is one line of plain words within the limit", () => {
    const p = templateText({ title: "**Hi**", text: "line one\n\tline    two\n".repeat(200) });
    expect(p).not.toMatch(/[\n\t]|\s{5,}|\*\*/);
    expect(p.length).toBeLessThanOrEqual(WHATSAPP_LIMITS.templateParamChars);
  });

  it("a template spells out its buttons' commands to type back, in the reply's language, even when the rest is cut", () => {
    const reply: Reply = { text: "Olá ".repeat(2000), buttons: [{ label: "Aceitar", command: "accept 12" }, { label: "Recusar", command: "decline 12" }] };
    const p = templateText(reply, "pt");
    expect(p.length).toBeLessThanOrEqual(WHATSAPP_LIMITS.templateParamChars);
    expect(p.endsWith("Responda com: accept 12 · decline 12")).toBe(true);
    expect(templateText({ text: "No buttons here" })).toBe("No buttons here");
  });
});

describe("WhatsApp renderer against the fake Graph API", () => {
  const api = new FakeWhatsAppApi({ accessToken: "t", phoneNumberId: "123" });
  let transport: CloudTransport;
  beforeAll(async () => {
    await api.start();
    transport = new CloudTransport({ apiUrl: api.url, phoneNumberId: "123", accessToken: "t", appSecret: "s", verifyToken: "v", claims: { claim: async () => true }, log: silentLog });
    api.heardFrom("5511987654321");
  });
  afterAll(() => api.stop());

  it("never produces a request the Cloud API refuses, whatever the reply", async () => {
    const replies = randomReplies(20250305, {
      count: 150,
      pieces: ["*", "_", "~", "```", "`", "\t", "     ", "ã", "São João", "👍🏽", "[x](https://x.test/q)", "_it `c`_", "**b**"],
      longText: 12_000,
      fields: { most: 200, usual: 20, longValue: 1500, inline: false },
      tableRows: 400,
      buttons: { most: 30, usual: 5, styled: false, command: (f) => (f.chance(0.1) ? `x ${f.str(300)}` : `campaign approve ${f.int(30)}`) },
      images: { longAlts: true },
    });
    for (const reply of replies as Iterable<Reply>) {
      for (const m of renderMessages(reply, { sign })) await transport.send("+5511987654321", m);
      await transport.send("+5511987654321", { type: "template", name: "clout_notification", language: "en", parameters: [templateText(reply)] });
    }
    expect(api.calls.filter((c) => c.status !== 200).map((c) => c.response)).toEqual([]);
    expect(api.sent.some((m) => m.type === "interactive")).toBe(true);
  });
});
