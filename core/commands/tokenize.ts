import { UsageError } from "../errors.ts";

export type Token =
  | { type: "word"; value: string; quoted: boolean }
  | { type: "flag"; name: string; value?: string }
  /** `@name`, Slack `<@U123|name>`, Discord `<@123>` / `<@!123>`. */
  | { type: "mention"; id?: string; name?: string; raw: string };

const QUOTES: Record<string, string> = { '"': '"', "'": "'", "“": "”", "”": "”", "‘": "’", "«": "»", "„": "“" };

/**
 * Splits a chat line into words, quoted strings, --flags and @mentions.
 *
 * Hand-written rather than a shell-words library: chat text is not shell.
 * `$`, `|`, `>` and `;` are ordinary characters here, phones turn `--` into an
 * em dash and straight quotes into curly ones, and mentions arrive in each
 * platform's own markup.
 */
export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  const text = input.normalize("NFC");
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/u.test(ch)) {
      i++;
      continue;
    }
    const close = QUOTES[ch];
    if (close) {
      const [value, next] = readQuoted(text, i + 1, ch, close);
      tokens.push({ type: "word", value, quoted: true });
      i = next;
      continue;
    }
    // --reason="Budget moved": the quote opens after "=", not at the start of the word.
    FLAG_EQUALS.lastIndex = i;
    const eq = FLAG_EQUALS.exec(text);
    const eqOpen = eq ? text[FLAG_EQUALS.lastIndex] : undefined;
    if (eq && eqOpen && QUOTES[eqOpen]) {
      const [value, next] = readQuoted(text, FLAG_EQUALS.lastIndex + 1, eqOpen, QUOTES[eqOpen]);
      tokens.push({ type: "flag", name: eq[1]!.toLowerCase(), value });
      i = next;
      continue;
    }
    const start = i;
    while (i < text.length && !/\s/u.test(text[i]!)) i++;
    tokens.push(classify(text.slice(start, i)));
  }
  return attachFlagValues(tokens);
}

function readQuoted(text: string, from: number, open: string, close: string): [string, number] {
  let out = "";
  for (let i = from; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "\\" && (text[i + 1] === close || text[i + 1] === open || text[i + 1] === "\\")) {
      out += text[++i];
      continue;
    }
    // Curly-quote keyboards sometimes close with the opening glyph.
    if (ch === close || (ch === open && open !== close && /["“”]/.test(open))) return [out, i + 1];
    out += ch;
  }
  throw new UsageError("parse.unclosed_quote", { quote: open }, `campaign create "Summer Launch" --budget 15000 …`);
}

/** Slack `<@U123|name>`, Discord `<@123>` / `<@!123>`. */
export const MENTION = /^<@!?([A-Za-z0-9]+)(?:\|([^>]+))?>$/;
const FLAG_EQUALS = /(?:--|—|–)([A-Za-z][\w-]*)=/y;

function classify(raw: string): Token {
  const flag = /^(?:--|—|–)([A-Za-z][\w-]*)(?:=(.*))?$/s.exec(raw);
  if (flag) return flag[2] === undefined ? { type: "flag", name: flag[1]!.toLowerCase() } : { type: "flag", name: flag[1]!.toLowerCase(), value: flag[2] };
  const markup = MENTION.exec(raw);
  if (markup) return { type: "mention", id: markup[1], name: markup[2], raw };
  if (/^@[\p{L}\p{N}_.-]+$/u.test(raw)) return { type: "mention", name: raw.slice(1), raw };
  return { type: "word", value: raw, quoted: false };
}

/**
 * A flag without `=value` takes the next token as its value unless that token
 * is itself a flag; values can be quoted strings or mentions.
 */
function attachFlagValues(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok.type === "flag" && tok.value === undefined) {
      const next = tokens[i + 1];
      if (next && next.type !== "flag") {
        out.push({ type: "flag", name: tok.name, value: next.type === "word" ? next.value : next.raw });
        i++;
        continue;
      }
    }
    out.push(tok);
  }
  return out;
}
