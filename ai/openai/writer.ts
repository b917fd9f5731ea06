import OpenAI from "openai";
import { z } from "zod";
import { before, scopeName, shown } from "../../core/digests/format.ts";
import type { DigestFacts } from "../../core/digests/facts.ts";
import type { DigestText, DigestWriter } from "../../core/digests/writer.ts";
import type { Locale } from "../../core/i18n/locale.ts";
import { translator } from "../../core/i18n/t.ts";

export interface OpenAiWriterOptions {
  apiKey: string;
  /** Any OpenAI-compatible server (OPENAI_BASE_URL); the SDK's default otherwise. */
  baseURL?: string;
  model: string;
  /** How long each of the two tries waits for the model (about 20 s in all by default); then the digest goes out with the built-in text. */
  timeoutMs?: number;
}

const LANGUAGE: Record<Locale, string> = { en: "English", pt: "Brazilian Portuguese" };

/** What the model must answer: structured output, so there is nothing to scrape out of prose. */
const SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["headline", "summary", "recommendations"],
  properties: {
    headline: { type: "string", description: "One line: the period's result." },
    summary: { type: "string", description: "3 to 6 sentences: what happened, who drove it, how the audience reacted, what the money did." },
    recommendations: { type: "array", items: { type: "string" }, description: "1 to 3 concrete next steps." },
  },
} as const;

const Answer = z.object({ headline: z.string().min(1), summary: z.string().min(1), recommendations: z.array(z.string().min(1)).min(1).max(5) });

/** The facts' key figures as the digest shows them, so the model quotes them in the reader's format. */
function asShown(facts: DigestFacts, locale: Locale) {
  const s = shown(locale, facts.currency);
  return {
    scope: scopeName(facts),
    comparedWith: before(translator(locale), facts),
    clicks: s.count(facts.current.clicks),
    conversions: s.count(facts.current.conversions),
    revenue: s.money(facts.current.revenueMinor),
    engagement: s.count(facts.current.engagement),
    engagementRate: s.rate(facts.engagementRate),
    conversionRate: s.rate(facts.conversionRate),
    agreedFees: s.money(facts.spend.agreedMinor),
    budget: s.money(facts.spend.budgetMinor),
    budgetRemaining: s.money(facts.spend.remainingMinor),
    roiToDate: s.percent(facts.roi),
    topCreators: facts.top.map((c) => ({ name: c.name, shareOfEngagement: s.percent(c.engagementShare) })),
    topShare: s.percent(facts.topShare),
    bottomCreators: facts.bottom.map((c) => ({ name: c.name, shareOfEngagement: s.percent(c.engagementShare) })),
    sentiment: { current: s.score(facts.sentiment.current), previous: s.score(facts.sentiment.previous) },
    trends: facts.trends.map((x) => ({ metric: x.metric, change: s.percent(x.change) })),
  };
}

function prompt(locale: Locale): string {
  return [
    "You write the performance digest of an influencer marketing campaign for the brand's team, posted in their chat.",
    `Write in ${LANGUAGE[locale]}.`,
    "Use only the facts given. Every number you write must appear in the facts, written as in `shown` (or the same value rounded); never compute new numbers (no differences, sums or averages of your own), never guess.",
    "Money amounts in `facts` are in minor units (cents); prefer the formatted amounts in `shown`.",
    "Say what happened, who drove it, and what to do next. Be specific and name creators. No greetings, no markdown headings.",
  ].join("\n");
}

/** The digest's text from an OpenAI (or OpenAI-compatible) chat model, with a JSON-schema structured answer. */
export function openAiWriter(o: OpenAiWriterOptions): DigestWriter {
  const client = new OpenAI({ apiKey: o.apiKey, ...(o.baseURL ? { baseURL: o.baseURL } : {}), timeout: o.timeoutMs ?? 10_000, maxRetries: 1 });
  return {
    name: `openai:${o.model}`,
    async write(facts: DigestFacts, locale: Locale): Promise<DigestText> {
      const completion = await client.chat.completions.create({
        model: o.model,
        temperature: 0.3,
        messages: [
          { role: "system", content: prompt(locale) },
          { role: "user", content: JSON.stringify({ shown: asShown(facts, locale), facts }) },
        ],
        response_format: { type: "json_schema", json_schema: { name: "digest", strict: true, schema: SCHEMA } },
      });
      const choice = completion.choices[0];
      if (choice?.message.refusal) throw new Error(`the model refused: ${choice.message.refusal}`);
      const content = choice?.message.content;
      if (!content) throw new Error(`no content (finish_reason ${choice?.finish_reason ?? "none"})`);
      const parsed = Answer.safeParse(JSON.parse(content));
      if (!parsed.success) throw new Error(`the answer does not fit the schema: ${parsed.error.message}`);
      return parsed.data;
    },
  };
}
