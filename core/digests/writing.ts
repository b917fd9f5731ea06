import type { Locale } from "../i18n/locale.ts";
import type { Logger } from "../logger.ts";
import { writeBuiltIn } from "./builtin-writer.ts";
import type { DigestFacts } from "./facts.ts";
import { unheldNumbers } from "./numbers.ts";
import type { DigestText, DigestWriter } from "./writer.ts";

export interface WrittenDigest extends DigestText {
  /** Who wrote what is posted: the model, or the built-in writer in its place. */
  by: "model" | "built-in";
}

/**
 * The model's text when it has one and every number in it is the facts';
 * otherwise (no key, an error, a timeout, a number made up) the built-in
 * text, and a log line saying why. A digest is never held back by the model.
 */
export async function writeDigest(model: DigestWriter | null, facts: DigestFacts, locale: Locale, log: Logger): Promise<WrittenDigest> {
  const fallback = (): WrittenDigest => ({ ...writeBuiltIn(facts, locale), by: "built-in" });
  if (!model) return fallback();
  const where = { writer: model.name, workspaceId: facts.workspace.id, campaignId: facts.campaign?.id };
  let text: DigestText;
  try {
    text = await model.write(facts, locale);
  } catch (err) {
    log.warn({ ...where, err: (err as Error).message }, "digest: the model failed; the built-in text is used");
    return fallback();
  }
  const unheld = unheldNumbers(text, facts);
  if (unheld.length > 0) {
    log.warn({ ...where, unheld }, "digest: the model stated numbers the facts do not hold; the built-in text is used");
    return fallback();
  }
  return { ...text, by: "model" };
}

/** writeDigest as a DigestWriter, for the composition root to hand the core. */
export function checkedWriter(model: DigestWriter | null, log: Logger): DigestWriter {
  return { name: model ? `checked:${model.name}` : "built-in", write: (facts, locale) => writeDigest(model, facts, locale, log) };
}
