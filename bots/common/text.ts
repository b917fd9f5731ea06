import type { Sign } from "../../core/actions/signer.ts";
import stringWidth from "string-width";
import type { Locale } from "../../core/i18n/locale.ts";
import { t } from "../../core/i18n/t.ts";
import type { Reply, ReplyButton, ReplyTable } from "../../core/reply.ts";

/**
 * Text layout every reply renderer shares: the core's markdown subset
 * (core/reply.ts) parsed once and written out in each platform's dialect,
 * grapheme-safe clipping, terminal-width measuring and monospace tables.
 * Escaping is each platform's own, in its dialect.
 */

// ─── the renderers' own notes ────────────────────────────────────────────────

export interface Notes {
  moreRows: (n: number) => string;
  moreButtons: (n: number) => string;
  truncated: string;
}

/** The renderers' notes in the reader's language; `platform` is named in the "truncated" one. */
export function notesFor(locale: Locale, platform: string): Notes {
  return {
    moreRows: (n) => t(locale, n === 1 ? "render.more_rows_one" : "render.more_rows", { n }),
    moreButtons: (n) => t(locale, n === 1 ? "render.more_buttons_one" : "render.more_buttons", { n }),
    truncated: t(locale, "render.truncated", { platform }),
  };
}

/** The tone as an emoji, for platforms that show Unicode emoji (Discord, Telegram). */
export const TONE_EMOJI: Record<NonNullable<Reply["tone"]>, string> = { info: "", success: "✅", warning: "⚠️", error: "❌" };

// ─── sizes ───────────────────────────────────────────────────────────────────

/** The start of a possibly huge input, before any work on it: only so much can ever be shown. */
export const head = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);

export const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();

/** Non-blank text where a platform refuses empty text. */
export const nonBlank = (s: string, fallback = "—") => (s.trim() ? s : fallback);

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** At most `max` UTF-16 units, cut between graphemes, ending in "…" when cut. For text the platform shows as given. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max < 1) return "";
  let out = "";
  for (const { segment } of graphemes.segment(s.slice(0, max + 32))) {
    if (out.length + segment.length > max - 1) break;
    out += segment;
  }
  return `${out.trimEnd()}…`;
}

/** Characters one terminal column wide each (ASCII, Latin letters with accents, "…", "─"): string-width is slow. */
const NARROW = /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u024f\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u2500]*$/;

/** Terminal columns, with a fast path for text of one-column characters (most cells). */
const columnsOf = (s: string) => (NARROW.test(s) ? s.length : stringWidth(s));

/** At most `width` terminal columns and `maxChars` UTF-16 units, cut between graphemes, ending in "…" when cut; with its width. */
function fit(s: string, width: number): { text: string; width: number } {
  const maxChars = width * 4;
  if (NARROW.test(s)) {
    return s.length <= width ? { text: s, width: s.length } : { text: `${s.slice(0, Math.max(0, width - 1))}…`, width: Math.max(1, width) };
  }
  if (s.length <= maxChars) {
    const w = stringWidth(s);
    if (w <= width) return { text: s, width: w };
  }
  let out = "";
  let w = 0;
  for (const { segment } of graphemes.segment(s.slice(0, maxChars + 32))) {
    const sw = segment.length === 1 && segment < "\x7f" ? 1 : columnsOf(segment);
    if (w + sw > width - 1 || out.length + segment.length > maxChars - 1) break;
    out += segment;
    w += sw;
  }
  return { text: `${out}…`, width: w + 1 };
}

// ─── markdown ────────────────────────────────────────────────────────────────

/** How a platform writes each piece of the core's markdown subset; `text` is where its escaping happens. */
export interface Dialect {
  text(plain: string): string;
  bold(inner: string): string;
  italic(inner: string): string;
  /** A code span; `nested` when it sits inside bold, italic or a link's label. */
  code(source: string, nested: boolean): string;
  /** `label` is already converted. */
  link(label: string, url: string): string;
  /** What a "- " bullet at the start of a line becomes. */
  bullet: string;
  /** A last pass over a line's converted content (after any indent and bullet). */
  line?(converted: string): string;
}

// Bounded, so a line of a thousand "[" stays linear rather than quadratic.
const LINK = /\[([^\]\n]{1,300})\]\((https?:\/\/[^\s()<>]{1,2000})\)/g;
const CODE = /`([^`\n]+)`/g;
const BOLD = /\*\*(.+?)\*\*/g;
const ITALIC = /(^|\W)_(.+?)_(?=\W|$)/g;
const BULLET = /^(\s*)- /;
const HOLE = /\u0000(\d+)\u0000/;
/** What any of the above (or a stray hole marker) needs to begin with. */
const MARKUP = /[*_`[\u0000]|^\s*- /;

/**
 * One line of the markdown subset in a dialect. Code spans, then links, then
 * bold, then italics are set aside as finished output ("holes") before the
 * next is looked for, so nothing is converted twice, every span nests inside
 * the one that holds it (well-formed HTML for Telegram), and only the text
 * between them is escaped.
 */
export function convertLine(line: string, d: Dialect): string {
  // Most lines (and table cells) are plain words: nothing to set aside.
  if (!MARKUP.test(line)) return d.line ? d.line(d.text(line)) : d.text(line);
  const held: (string | { code: string })[] = [];
  const hold = (piece: string | { code: string }) => `\u0000${held.push(piece) - 1}\u0000`;
  const finish = (s: string, nested: boolean) =>
    s
      .split(HOLE)
      .map((part, i) => {
        if (i % 2 === 0) return d.text(part);
        const piece = held[Number(part)] ?? "";
        return typeof piece === "string" ? piece : d.code(piece.code, nested);
      })
      .join("");
  const italics = (s: string) => s.replace(ITALIC, (_, before: string, inner: string) => before + hold(d.italic(finish(inner, true))));
  const emphasis = (s: string) => italics(s.replace(BOLD, (_, inner: string) => hold(d.bold(finish(italics(inner), true)))));

  const source = line.replace(/\u0000/g, "");
  const bullet = BULLET.exec(source);
  let s = bullet ? source.slice(bullet[0].length) : source;
  s = s.replace(CODE, (_, code: string) => hold({ code }));
  s = s.replace(LINK, (_, label: string, url: string) => hold(d.link(finish(emphasis(label), true), url)));
  const content = finish(emphasis(s), false);
  return (bullet ? bullet[1] + d.bullet : "") + (d.line ? d.line(content) : content);
}

/** The lines of a markdown text, whatever its line endings. */
export const linesOf = (markdown: string) => markdown.replace(/\r\n?/g, "\n").split("\n");

export const convert = (markdown: string, d: Dialect) => linesOf(markdown).map((l) => convertLine(l, d)).join("\n");

/** The markdown subset as plain words: markers gone, code as its text, links as "label (url)". */
export const PLAIN: Dialect = {
  text: (s) => s,
  bold: (s) => s,
  italic: (s) => s,
  code: (s) => s,
  link: (label, url) => `${label} (${url})`,
  bullet: "- ",
};

export const plain = (markdown: string) => convert(markdown, PLAIN);

/**
 * How much of markdown `source` to keep so that what it becomes still fits:
 * the longest start, cut between graphemes, outside any span of markup (a
 * cut link would show its brackets) and at a space or line break when one
 * is near, whose `size` is at most `max`; 0 when not even one grapheme fits.
 * `size` need not grow with the start (a link's markup vanishes once it is
 * whole), so every answer is one that was measured.
 */
export function fittingStart(source: string, max: number, size: (start: string) => number): number {
  const segments = graphemes.segment(source);
  // The grapheme boundary at or before a code unit (`containing` looks only nearby: segmenting it all would be slow).
  const boundary = (i: number) => (i <= 0 || i >= source.length ? i : segments.containing(i)!.index);
  const fits = (i: number) => size(source.slice(0, i)) <= max;
  let lo = 0;
  let hi = source.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (fits(boundary(mid))) lo = mid;
    else hi = mid - 1;
  }
  let cut = boundary(lo);
  if (cut === source.length) return cut;
  const spans = spansOf(source);
  const outside = (i: number) => spans.reduce((at, [start, end]) => (start < at && at < end ? start : at), i);
  const before = outside(cut);
  if (before > 0 && before < cut && fits(before)) cut = before;
  const space = Math.max(source.lastIndexOf(" ", cut - 1), source.lastIndexOf("\n", cut - 1)) + 1;
  const near = space > 1 && cut - space < 80 && boundary(space) === space && outside(space) === space;
  return near && fits(space) ? space : cut;
}

/** Where the spans of markup lie (code, links, bold, italics): a cut inside one would show its markers. */
function spansOf(markdown: string): [number, number][] {
  const spans: [number, number][] = [];
  for (const re of [CODE, LINK, BOLD]) for (const m of markdown.matchAll(re)) spans.push([m.index, m.index + m[0].length]);
  for (const m of markdown.matchAll(ITALIC)) spans.push([m.index + m[1]!.length, m.index + m[0].length]);
  return spans.sort((x, y) => x[0] - y[0]);
}

/** `to(source)`, or when that is longer than `max` units, what the start that fits becomes, followed by "…". */
export function clipConverted(source: string, max: number, to: (source: string) => string): string {
  const whole = to(source);
  if (whole.length <= max) return whole;
  const start = (s: string) => to(s.trimEnd());
  return `${start(source.slice(0, fittingStart(source, max - 1, (s) => start(s).length)))}…`;
}

// ─── buttons ─────────────────────────────────────────────────────────────────

export interface SignedButton {
  button: ReplyButton;
  /** Where the button stands in the reply's `buttons`. */
  index: number;
  payload: string;
}

/**
 * The buttons to show with their signed payloads: at most `max`, in order,
 * leaving out any whose payload `fits` refuses; `left` counts all not shown.
 * Only buttons that could be shown are signed.
 */
export function signButtons(
  buttons: ReplyButton[],
  max: number,
  sign: Sign,
  fits: (payload: string, index: number) => boolean,
): { shown: SignedButton[]; left: number } {
  const shown: SignedButton[] = [];
  buttons.forEach((button, index) => {
    if (shown.length >= max) return;
    const payload = sign(button.command, button.scope);
    if (fits(payload, index)) shown.push({ button, index, payload });
  });
  return { shown, left: buttons.length - shown.length };
}

/** A button's label as plain words within `max` units, its command when the label is blank. */
export function buttonLabel(b: ReplyButton, max: number): string {
  const label = oneLine(plain(head(b.label, 4 * max)));
  return clip(nonBlank(label, oneLine(head(b.command, 4 * max)) || "…"), max);
}

// ─── tables ──────────────────────────────────────────────────────────────────

export interface TableLayout {
  /** A cell's most terminal columns, before it is clipped with "…". */
  cellWidth: number;
  /** A line's most terminal columns: the cell that crosses it is clipped, later ones left out. */
  lineWidth: number;
  /** How a cell's markdown becomes the words shown; `plain` by default. */
  cellText?: (markdown: string) => string;
}

/** A cell's words for a ``` code block: plain, with backticks as quotes so that none can close the block. */
export const codeBlockCell = (markdown: string) => plain(markdown).replace(/`/g, "'");

export interface TableLines {
  /** The column names and a rule under them; none when the table names no columns. */
  heading: string[];
  /** One line per row of `table.rows`; none when no row has a cell. */
  rows: string[];
}

/**
 * The table as aligned monospace lines, unescaped: every column as wide as
 * its widest cell, two spaces between columns. Callers pass only the rows
 * they could show: every row given is measured.
 */
export function tableLines(table: ReplyTable, o: TableLayout): TableLines {
  const cellText = o.cellText ?? plain;
  let columns = table.columns.length;
  for (const r of table.rows) columns = Math.max(columns, r.length);
  // Every column takes at least its two-space gutter: more than this never fits a line.
  columns = Math.min(columns, Math.ceil(o.lineWidth / 2) + 1);
  if (columns === 0) return { heading: [], rows: [] };

  interface Cell {
    text: string;
    width: number;
  }
  // Columns repeat their values (statuses, currencies, dates): each distinct value is measured once.
  const seen = new Map<string, Cell>();
  const cell = (s: unknown): Cell => {
    const raw = head(String(s ?? ""), o.cellWidth * 8);
    let c = seen.get(raw);
    if (!c) seen.set(raw, (c = fit(oneLine(cellText(raw)), o.cellWidth)));
    return c;
  };
  const top = table.columns.length ? Array.from({ length: columns }, (_, i) => cell(table.columns[i])) : undefined;
  const rows = table.rows.map((r) => Array.from({ length: columns }, (_, i) => cell(r[i])));
  const widths = Array.from({ length: columns }, (_, i) => top?.[i]!.width ?? 0);
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i]!, c.width)));
  // Cells padded to their column, up to the line width (the cell that crosses it is clipped, later ones dropped).
  const line = (cells: Cell[]) => {
    let raw = "";
    let used = 0;
    for (let i = 0; i < cells.length; i++) {
      const gutter = i ? "  " : "";
      const c = cells[i]!;
      if (used + gutter.length + widths[i]! > o.lineWidth) {
        raw += fit(gutter + c.text, o.lineWidth - used).text;
        break;
      }
      raw += gutter + c.text + " ".repeat(widths[i]! - c.width);
      used += gutter.length + widths[i]!;
    }
    return raw.trimEnd();
  };
  const heading = top ? [line(top), fit(widths.map((w) => "─".repeat(w)).join("  "), o.lineWidth).text] : [];
  return { heading, rows: rows.map(line) };
}

/**
 * The heading and as many rows from `from` as fit `max` characters, joined
 * by line breaks: one page or block of a table, each repeating the heading.
 * Undefined when not one row fits (or, for a table without rows, not even the heading).
 */
export function tableChunk(t: TableLines, from: number, max: number): { lines: string[]; rows: number } | undefined {
  const lines = [...t.heading];
  let length = lines.join("\n").length;
  let rows = 0;
  for (; from + rows < t.rows.length; rows++) {
    const more = (lines.length ? 1 : 0) + t.rows[from + rows]!.length;
    if (length + more > max) break;
    lines.push(t.rows[from + rows]!);
    length += more;
  }
  if (rows === 0 && (from < t.rows.length || !lines.length || length > max)) return undefined;
  return { lines, rows };
}

/**
 * Rows from `from` as a ``` code block (Slack, Discord) of at most `max`
 * characters, the heading repeated; undefined when not one row fits.
 */
export function codeBlock(t: TableLines, from: number, max: number): { text: string; rows: number } | undefined {
  const fences = "```\n\n```".length;
  const chunk = tableChunk(t, from, max - fences);
  // A block of blank lines only would show as bare fences.
  return chunk && { text: `\`\`\`\n${nonBlank(chunk.lines.join("\n"), " ")}\n\`\`\``, rows: chunk.rows };
}
