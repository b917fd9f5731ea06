import { HELD_OUT, LABELLED, measure, type Labelled } from "../core/analytics/sentiment/accuracy.ts";
import { LANGUAGES } from "../core/analytics/sentiment/language.ts";

const showMisses = process.argv.includes("--misses");
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const sum = (row: Record<string, number>) => Object.values(row).reduce((s, n) => s + n, 0);

function report(title: string, sets: Record<(typeof LANGUAGES)[number], Labelled[]>) {
  console.log(title);
  for (const language of LANGUAGES) {
    const m = measure(sets[language], language);
    const c = m.confusion;
    console.log(
      `  ${language}: ${pct(m.accuracy)} (${m.correct}/${m.total})  language detected ${m.languageDetected}/${m.total}  ` +
        `positive ${c.positive.positive}/${sum(c.positive)}  negative ${c.negative.negative}/${sum(c.negative)}  neutral ${c.neutral.neutral}/${sum(c.neutral)}`,
    );
    if (showMisses) for (const x of m.misses) console.log(`      ${x.label} → ${x.predicted} (${x.score.toFixed(2)}): ${x.text}`);
  }
}

report("Labelled sets (the lexicons were tuned on these):", LABELLED);
report("Held-out sets (written afterwards, never tuned on):", HELD_OUT);
