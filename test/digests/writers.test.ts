/**
 * The digest's words: the built-in writer on the fixed week (exact sentences
 * in English and Portuguese), and the real openai SDK against the fake
 * OpenAI server: a good answer is used, one that makes a number up is
 * caught and replaced by the built-in text, an error, a wrong key or a
 * stall falls back in bounded time. Each fallback is logged.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAiWriter } from "../../ai/openai/writer.ts";
import { writeBuiltIn } from "../../core/digests/builtin-writer.ts";
import { computeFacts, type DigestFacts } from "../../core/digests/facts.ts";
import { unheldNumbers } from "../../core/digests/numbers.ts";
import { writeDigest } from "../../core/digests/writing.ts";
import type { Logger } from "../../core/logger.ts";
import { type FakeOpenAiApi, startFakeOpenAiApi } from "../fakes/openai-api.ts";
import { startTestApp } from "../support/app.ts";
import { createTestDatabase } from "../support/database.ts";
import { FROM, seedDigestFixture, TO } from "./fixture.ts";

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let facts: DigestFacts;
let openai: FakeOpenAiApi;
const KEY = "sk-test-digests";

beforeAll(async () => {
  env = await createTestDatabase();
  const fx = await seedDigestFixture(env.database.db);
  facts = await computeFacts(env.database.db, { workspaceId: fx.team.workspaceId, campaignId: fx.ids["Glow Up"], from: FROM, to: TO });
  openai = await startFakeOpenAiApi({ apiKey: KEY });
});
afterAll(async () => {
  await openai?.close();
  await env?.drop();
});

function recordingLog(): Logger & { lines: { level: string; obj: Record<string, unknown>; msg?: string }[] } {
  const lines: { level: string; obj: Record<string, unknown>; msg?: string }[] = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, obj: obj as Record<string, unknown>, msg });
  return { lines, info: at("info"), warn: at("warn"), error: at("error") };
}

const plain = (x: string) => x.replace(/[\u00a0\u202f]/g, " ");

describe("the built-in writer", () => {
  it("says what happened, who drove it and what to do, in English", () => {
    const text = writeBuiltIn(facts, "en");
    expect(text.headline).toBe("Glow Up: 200 clicks, 6 conversions and $600.00 in revenue");
    expect(text.summary.split(/(?<=\.) /)).toEqual([
      "Clicks rose 233% to 200, against 60 the week before.",
      "6 conversions brought $600.00 (3% of clicks).",
      "3 posts drew 1,000 likes and comments, a 2.9% engagement rate (of followers, per post).",
      "Murugi and Njugush drove 80% of engagement.",
      "Trailing: Otieno (20%).",
      "Comment sentiment improved from 0.10 to 0.33.",
      "$1,000.00 of the $10,000.00 budget is committed in fees (10%), $150.00 paid.",
      "ROI to date: -30%.",
    ]);
    expect(text.recommendations).toEqual([
      "Consider moving budget to Murugi and Njugush: they drove 80% of engagement.",
      "Review the brief with Otieno, or shift their budget to the creators who deliver.",
      "$9,000.00 of the budget is still unallocated: invite creators like Murugi.",
    ]);
  });

  it("writes the same digest in Portuguese", () => {
    const text = writeBuiltIn(facts, "pt");
    expect(plain(text.headline)).toBe("Glow Up: 200 cliques, 6 conversões e US$ 600,00 em receita");
    expect(plain(text.summary).split(/(?<=\.) /)).toEqual([
      "Os cliques subiram 233%, para 200, contra 60 na semana anterior.",
      "6 conversões renderam US$ 600,00 (3% dos cliques).",
      "3 publicações somaram 1.000 curtidas e comentários, taxa de engajamento de 2,9% (dos seguidores, por publicação).",
      "Murugi e Njugush geraram 80% do engajamento.",
      "Mais atrás: Otieno (20%).",
      "O sentimento dos comentários melhorou de 0,10 para 0,33.",
      "US$ 1.000,00 do orçamento de US$ 10.000,00 estão comprometidos em cachês (10%), US$ 150,00 pagos.",
      "ROI até agora: -30%.",
    ]);
    expect(text.recommendations.map(plain)).toEqual([
      "Considere mover orçamento para Murugi e Njugush: geraram 80% do engajamento.",
      "Revise o briefing com Otieno, ou passe o orçamento para os criadores que entregam.",
      "US$ 9.000,00 do orçamento ainda não foram alocados: convide criadores como Murugi.",
    ]);
  });

  it("holds every number it writes (the check passes its own text in both languages)", () => {
    expect(unheldNumbers(writeBuiltIn(facts, "en"), facts)).toEqual([]);
    expect(unheldNumbers(writeBuiltIn(facts, "pt"), facts)).toEqual([]);
  });
});

describe("the number check", () => {
  const check = (summary: string) => unheldNumbers({ headline: "Glow Up", summary, recommendations: ["Keep going."] }, facts);

  it("accepts the facts' numbers however they are written and rounded", () => {
    expect(check("200 clicks, 1,000 likes and comments (1.0k), 80 % of engagement, $600 and $10,000.00; sentiment 0.33; week of 2026-07-08; 1.000 curtidas, US$ 9.000,00")).toEqual([]);
  });

  it("names every number the facts do not hold", () => {
    expect(check("Clicks rose by 140 to 200; Murugi drove 55% of engagement and $750 in sales.")).toEqual(["140", "55", "750"]);
  });
});

describe("the OpenAI writer (the real SDK against the fake server)", () => {
  const model = (apiKey = KEY, timeoutMs = 5_000) => openAiWriter({ apiKey, baseURL: openai.baseUrl, model: "gpt-4o-mini", timeoutMs });
  const answer = (summary: string, recommendations = ["Consider moving budget to Murugi and Njugush."]) =>
    ({ content: JSON.stringify({ headline: "Glow Up: 200 clicks and $600.00 this week", summary, recommendations }) });

  it("posts the model's text when every number in it is the facts', asking for structured output in the workspace's language", async () => {
    const before = openai.calls.length;
    openai.script(answer("Murugi and Njugush drove 80% of engagement; clicks rose 233% to 200."));
    const log = recordingLog();
    const text = await writeDigest(model(), facts, "pt", log);
    expect(text).toEqual({ by: "model", headline: "Glow Up: 200 clicks and $600.00 this week", summary: "Murugi and Njugush drove 80% of engagement; clicks rose 233% to 200.", recommendations: ["Consider moving budget to Murugi and Njugush."] });
    const call = openai.calls[before]!;
    expect(call.model).toBe("gpt-4o-mini");
    expect(call.response_format).toMatchObject({ type: "json_schema", json_schema: { name: "digest", strict: true } });
    expect(call.messages[0]!.content).toContain("Write in Brazilian Portuguese.");
    // The facts only: what the model is given is the facts, with their figures as shown.
    const given = JSON.parse(call.messages[1]!.content) as { facts: DigestFacts; shown: Record<string, unknown> };
    expect(given.facts.current.clicks).toBe(200);
    expect(plain(String(given.shown.revenue))).toBe("US$ 600,00");
    expect(log.lines).toEqual([]);
  });

  it("replaces a text that makes a number up with the built-in one, and logs which numbers", async () => {
    openai.script(answer("Murugi drove 92% of engagement and 1,450 clicks."));
    const log = recordingLog();
    const text = await writeDigest(model(), facts, "en", log);
    expect(text).toEqual({ by: "built-in", ...writeBuiltIn(facts, "en") });
    expect(log.lines).toEqual([{ level: "warn", obj: expect.objectContaining({ writer: "openai:gpt-4o-mini", unheld: ["92", "1,450"] }), msg: expect.stringContaining("do not hold") }]);
  });

  it("falls back on a server error, a wrong key, an answer outside the schema and a stall past the timeout", async () => {
    openai.script({ status: 500, message: "boom" }, { status: 500, message: "boom again" });
    openai.script({ content: JSON.stringify({ headline: "only a headline" }) });
    openai.script({ stallMs: 3_000 });
    const log = recordingLog();
    expect((await writeDigest(model(), facts, "en", log)).by).toBe("built-in");
    expect((await writeDigest(model("sk-wrong"), facts, "en", log)).by).toBe("built-in");
    expect((await writeDigest(model(), facts, "en", log)).by).toBe("built-in");
    const started = Date.now();
    const stalled = await writeDigest(model(KEY, 500), facts, "en", log);
    expect(stalled).toEqual({ by: "built-in", ...writeBuiltIn(facts, "en") });
    // One retry of 500 ms each at most, not the 3 s stall.
    expect(Date.now() - started).toBeLessThan(2_900);
    expect(log.lines.map((l) => l.msg)).toEqual(Array(4).fill("digest: the model failed; the built-in text is used"));
    expect(String(log.lines[1]!.obj.err)).toMatch(/401/);
    expect(String(log.lines[2]!.obj.err)).toMatch(/schema/);
  });

  it("is what the app writes digests with when OPENAI_API_KEY, OPENAI_BASE_URL and OPENAI_MODEL are set", async () => {
    const app = await startTestApp(env.url, { env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: openai.baseUrl, OPENAI_MODEL: "gpt-test-mini" } });
    try {
      const before = openai.calls.length;
      openai.script(answer("Murugi and Njugush drove 80% of engagement."));
      const text = await app.runner.digestWriter.write(facts, "en");
      expect(text.summary).toBe("Murugi and Njugush drove 80% of engagement.");
      expect(openai.calls[before]!.model).toBe("gpt-test-mini");
    } finally {
      await app.stop();
    }
  });

  it("uses the built-in text without asking anyone when no key is set", async () => {
    const before = openai.calls.length;
    expect((await writeDigest(null, facts, "en", recordingLog())).by).toBe("built-in");
    expect(openai.calls.length).toBe(before);
  });
});
