/**
 * Comment sentiment in English and Portuguese: the accuracy on the labelled
 * sets shipped with the analyzer (core/analytics/sentiment/labelled/), printed
 * per language, and the rules one at a time (negation, intensifiers, contrast,
 * emoji, language detection).
 */
import { describe, expect, it } from "vitest";
import { HELD_OUT, LABELLED, measure } from "../../core/analytics/sentiment/accuracy.ts";
import { analyzeSentiment } from "../../core/analytics/sentiment/analyze.ts";
import { detectLanguage } from "../../core/analytics/sentiment/language.ts";

describe("accuracy on the labelled sets", () => {
  it.each(["en", "pt"] as const)("%s: at least 150 comments of each language, every label represented, accuracy ≥ 85 % (printed)", (language) => {
    const set = LABELLED[language];
    expect(set.length).toBeGreaterThanOrEqual(150);
    for (const label of ["positive", "negative", "neutral"] as const) expect(set.filter((s) => s.label === label).length).toBeGreaterThanOrEqual(35);
    const m = measure(set, language);
    console.log(
      `sentiment accuracy ${language}: ${(100 * m.accuracy).toFixed(1)} % (${m.correct}/${m.total}); language detected as ${language}: ${m.languageDetected}/${m.total}; misses: ${m.misses.map((x) => `"${x.text}" ${x.label}→${x.predicted}`).join(", ") || "none"}`,
    );
    expect(m.accuracy).toBeGreaterThanOrEqual(0.85);
    // The detector never takes one language's comments for the other (undetermined is allowed: "Iconic", "Queen!! 👑🔥").
    const other = language === "en" ? "pt" : "en";
    expect(set.filter((s) => detectLanguage(s.text) === other).map((s) => s.text)).toEqual([]);
  });

  it.each(["en", "pt"] as const)("%s held-out set (never tuned on): accuracy printed, ≥ 70 %", (language) => {
    const m = measure(HELD_OUT[language], language);
    console.log(`sentiment accuracy ${language} held-out: ${(100 * m.accuracy).toFixed(1)} % (${m.correct}/${m.total})`);
    expect(m.total).toBeGreaterThanOrEqual(40);
    expect(m.accuracy).toBeGreaterThanOrEqual(0.7);
  });
});

describe("rules", () => {
  const label = (text: string) => analyzeSentiment(text).label;

  it.each([
    ["good", "positive"],
    ["not good", "negative"],
    ["bad", "negative"],
    ["not bad", "positive"],
    ["I don't like it", "negative"],
    ["gostei", "positive"],
    ["não gostei", "negative"],
    ["nao gostei", "negative"],
    ["nunca mais compro", "negative"],
    ["nunca mais", "negative"],
    ["não é ruim", "positive"],
    ["Não tem nada de bom", "negative"],
    ["Nada mais perfeito que isso", "positive"],
    ["Never disappoints 👏", "positive"],
    // A comma ends a negator's reach: the second clause is read on its own.
    ["Não, adorei!", "positive"],
    ["No, I love it", "positive"],
  ])("negation: %s → %s", (text, expected) => {
    expect(label(text)).toBe(expected);
  });

  it("intensifiers strengthen and softeners weaken, before the word and (Portuguese) after it", () => {
    const s = (text: string) => analyzeSentiment(text).score;
    expect(s("very good")).toBeGreaterThan(s("good"));
    expect(s("kinda good")).toBeLessThan(s("good"));
    expect(s("muito bom")).toBeGreaterThan(s("bom"));
    expect(s("lindo demais")).toBeGreaterThan(s("lindo"));
    expect(s("lindíssimo")).toBeGreaterThan(s("lindo"));
    expect(s("good!!!")).toBeGreaterThan(s("good"));
  });

  it("after 'but' / 'mas' the words count more", () => {
    expect(label("The colour is pretty but it broke after one day")).toBe("negative");
    expect(label("Achei caro, mas vale muito a pena")).toBe("positive");
  });

  it("emoji carry sentiment in any language; a plain question is neutral", () => {
    expect(label("😍😍😍")).toBe("positive");
    expect(label("🤮")).toBe("negative");
    expect(label("What shade is this?")).toBe("neutral");
    expect(label("Qual o tom?")).toBe("neutral");
  });

  it("scores stay within -1..1 however many strong words there are", () => {
    const s = analyzeSentiment("amazing amazing amazing perfect perfect love love love!!!!!!").score;
    expect(s).toBeLessThanOrEqual(1);
    expect(s).toBeGreaterThan(0.9);
  });
});

describe("language detection", () => {
  it.each([
    ["I love this, where did you get it?", "en"],
    ["This is not what I expected", "en"],
    ["Eu amei, onde você comprou?", "pt"],
    ["Não gostei do resultado", "pt"],
    ["Que lindo ❤️", "pt"],
    ["Coração", "pt"],
    ["😍😍", "und"],
    ["Iconic", "und"],
  ])("%s → %s", (text, expected) => {
    expect(detectLanguage(text)).toBe(expected);
  });
});
