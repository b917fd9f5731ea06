import type { ActionsBlock, Button, ContextBlock, HeaderBlock, KnownBlock, SectionBlock } from "@slack/types";
import stringWidth from "string-width";
import type { Locale } from "../../core/i18n/locale.ts";
import { t } from "../../core/i18n/t.ts";
import type { Reply, ReplyButton, ReplyField, ReplyImage, ReplyTable } from "../../core/reply.ts";
import { SLACK_LIMITS, SLACK_STYLE } from "./limits.ts";

/**
 * The core's Reply as Slack Block Kit, inside Slack's limits (./limits.ts):
 * content is truncated or split into more blocks, never rejected by Slack.
 *
 * Layout, in the console's order: header (title) · field sections · table
 * sections (a monospace code block, split by rows) and "… N more rows" ·
 * text sections · a "truncated" note when anything else had to go · actions
 * blocks (buttons, ≤ 5 each). Images are not blocks (Slack needs a hosted URL
 * for an image block): they come back in `files` for the adapter to upload.
 */

export interface SlackRenderOptions {
  /** Signs a button's command line; the result is the button's `value` (see core/actions/signer.ts). */
  sign: (command: string) => string;
  /** Block budget: 50 for messages (the default), 100 for views. */
  maxBlocks?: number;
  /** Language of the renderer's own notes ("… 3 more rows"); English by default. */
  locale?: Locale;
}

export interface SlackMessage {
  /** Plain fallback for notifications and screen readers (escaped, ≤ SLACK_LIMITS.fallbackText). Never empty. */
  text: string;
  blocks: KnownBlock[];
  /** Images to upload beside the message (files.uploadV2); they are not rendered as blocks. */
  files: ReplyImage[];
}

/** The action_id prefix of every button the renderer makes: `clout:btn:<index in reply.buttons>`. */
export const BUTTON_ACTION_PREFIX = "clout:btn:";
/** Matches any button action_id the renderer makes (for `app.action(...)`). */
export const BUTTON_ACTION_ID = /^clout:btn:\d+$/;

const TONE: Record<NonNullable<Reply["tone"]>, string> = { info: "", success: ":white_check_mark:", warning: ":warning:", error: ":warning:" };

interface Notes {
  moreRows: (n: number) => string;
  moreButtons: (n: number) => string;
  truncated: string;
}

function notesFor(locale: Locale): Notes {
  return {
    moreRows: (n) => t(locale, n === 1 ? "render.more_rows_one" : "render.more_rows", { n }),
    moreButtons: (n) => t(locale, n === 1 ? "render.more_buttons_one" : "render.more_buttons", { n }),
    truncated: t(locale, "render.truncated", { platform: "Slack" }),
  };
}

// ─── text helpers ────────────────────────────────────────────────────────────

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/** Slack's three control characters as entities, as Slack requires in any mrkdwn (and top-level) text. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/[&<>]/g, (c) => ENTITIES[c]!);
}

/** A URL inside `<url|label>`: `&` as an entity, and the characters that would end the link percent-encoded. */
function escapeUrl(url: string): string {
  return url.replace(/&/g, "&amp;").replace(/\|/g, "%7C").replace(/</g, "%3C").replace(/>/g, "%3E");
}

// Bounded, so a line of a thousand "[" stays linear rather than quadratic.
const LINK = /\[([^\]\n]{1,300})\]\((https?:\/\/[^\s()<>]{1,2000})\)/g;
const CODE = /`([^`\n]+)`/g;
const HOLE = /\u0000(\d+)\u0000/g;

/** Escaped text with **bold** as Slack's *bold* (_italic_ is the same in both). */
const inline = (s: string) => escapeMrkdwn(s).replace(/\*\*(.+?)\*\*/g, "*$1*");

function mrkdwnLine(line: string): string {
  // Code spans, then links, are set aside first, so nothing inside them is converted twice.
  const held: string[] = [];
  const hold = (s: string) => `\u0000${held.push(s) - 1}\u0000`;
  const restore = (s: string) => s.replace(HOLE, (_, i: string) => held[Number(i)] ?? "");
  let s = line
    .replace(/\u0000/g, "")
    .replace(CODE, (_, code: string) => hold(`\`${escapeMrkdwn(code)}\``))
    .replace(LINK, (_, label: string, url: string) => {
      const text = restore(inline(label));
      const link = `<${escapeUrl(url)}|${text}>`;
      // A link is never cut in two; one too long to stay whole shows as "label (url)" (Slack links bare URLs).
      return hold(link.length <= SLACK_STYLE.linkChars ? link : `${text} (${escapeMrkdwn(url)})`);
    });
  s = inline(s).replace(/^(\s*)- /, "$1• ");
  return restore(s);
}

/**
 * The core's markdown subset (core/reply.ts) as Slack mrkdwn: **bold** → *bold*,
 * _italic_ and `code` unchanged, [label](https://url) → <https://url|label>,
 * "- " bullets → "• ". `&`, `<` and `>` in the text are escaped first, so user
 * text can neither break the markup nor smuggle in mentions like <!channel>.
 */
export function toMrkdwn(markdown: string): string {
  return markdown.replace(/\r\n?/g, "\n").split("\n").map(mrkdwnLine).join("\n");
}

/** The markdown subset as plain words (for plain_text, code-block tables and the fallback). */
function plain(markdown: string): string {
  return markdown
    .replace(/\r\n?/g, "\n")
    .replace(LINK, "$1 ($2)")
    .replace(/\*\*(.+?)\*\*/g, "$1")
    .replace(/(^|\W)_(.+?)_(?=\W|$)/gm, "$1$2")
    .replace(CODE, "$1");
}

const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();

/** The start of a possibly huge input, before any work on it: only so much can ever be shown. */
const head = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** At most `max` UTF-16 units, cut between graphemes, ending in "…" when cut. For text Slack does not parse. */
function clip(s: string, max: number): string {
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
function fit(s: string, width: number, maxChars = width * 4): { text: string; width: number } {
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

const clipWidth = (s: string, width: number, maxChars?: number) => fit(s, width, maxChars).text;

/**
 * Where escaped mrkdwn can be cut at or before `max` without splitting a
 * <link|label>, an &entity; or a surrogate pair, preferring a space. Never 0
 * for a non-empty string.
 */
function cutPoint(s: string, max: number): number {
  if (s.length <= max) return s.length;
  let cut = Math.max(1, max);
  const space = s.lastIndexOf(" ", cut - 1);
  if (space > 0 && space >= cut - 80) cut = space + 1;
  // Every "<" in escaped output opens one of our links (user text has &lt;).
  const open = s.lastIndexOf("<", cut - 1);
  if (open > 0 && s.lastIndexOf(">", cut - 1) < open) cut = open;
  const amp = s.lastIndexOf("&", cut - 1);
  if (amp > 0 && cut - amp < 5 && !s.slice(amp, cut).includes(";")) cut = amp;
  const unit = s.charCodeAt(cut - 1);
  if (cut > 1 && unit >= 0xd800 && unit <= 0xdbff) cut--;
  return cut;
}

/** Escaped mrkdwn cut to at most `max` units, ending in "…" when cut. */
function clipMrkdwn(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${s.slice(0, cutPoint(s, max - 1)).trimEnd()}…`;
}

/** Non-blank text for a text object (Slack refuses empty ones). */
const nonBlank = (s: string, fallback = "—") => (s.trim() ? s : fallback);

/**
 * Escaped mrkdwn lines packed into chunks of at most `max` units, breaking
 * between lines (a line longer than `max` is cut at safe points). Stops after
 * `cap` chunks; `cut` says whether anything was left over.
 */
function pack(lines: string[], max: number, cap: number): { chunks: string[]; cut: boolean } {
  const chunks: string[] = [];
  let cur: string | undefined;
  const push = (chunk: string | undefined) => {
    const trimmed = chunk?.replace(/^\n+|\n+$/g, "");
    if (trimmed?.trim()) chunks.push(trimmed);
  };
  for (const line of lines) {
    if (chunks.length > cap) break;
    let rest = line;
    if (rest.length > max) {
      // A line too long for one section: its pieces are sections of their own.
      push(cur);
      while (rest.length > max && chunks.length <= cap) {
        const at = cutPoint(rest, max);
        push(rest.slice(0, at));
        rest = rest.slice(at);
      }
      cur = rest;
      continue;
    }
    const joined: string = cur === undefined ? rest : `${cur}\n${rest}`;
    if (joined.length <= max) cur = joined;
    else {
      push(cur);
      cur = rest;
    }
  }
  push(cur);
  return chunks.length > cap ? { chunks: chunks.slice(0, cap), cut: true } : { chunks, cut: false };
}

const mrkdwn = (text: string) => ({ type: "mrkdwn" as const, text });
const section = (text: string): SectionBlock => ({ type: "section", text: mrkdwn(text) });
const context = (texts: string[]): ContextBlock => ({
  type: "context",
  elements: texts.slice(0, SLACK_LIMITS.contextElements).map((t) => mrkdwn(clipMrkdwn(nonBlank(t), SLACK_LIMITS.contextText))),
});

// ─── parts ───────────────────────────────────────────────────────────────────

function fieldText(f: ReplyField): string {
  const label = clipMrkdwn(escapeMrkdwn(oneLine(plain(head(f.label, 600)))), 300);
  const value = toMrkdwn(head(f.value, 2 * SLACK_LIMITS.sectionFieldText)).trim();
  const text = label ? `*${label}*\n${nonBlank(value)}` : nonBlank(value);
  return clipMrkdwn(text, SLACK_LIMITS.sectionFieldText);
}

function fieldSections(fields: ReplyField[], cap: number): { blocks: SectionBlock[]; cut: boolean } {
  const per = SLACK_LIMITS.sectionFields;
  const blocks: SectionBlock[] = [];
  for (let i = 0; i < fields.length && blocks.length < cap; i += per) {
    blocks.push({ type: "section", fields: fields.slice(i, i + per).map((f) => mrkdwn(fieldText(f))) });
  }
  return { blocks, cut: fields.length > blocks.length * per };
}

interface TableSection {
  block: SectionBlock;
  rows: number;
}

const FENCE_OPEN = "```\n";
const FENCE_CLOSE = "\n```";

/** The table as monospace code blocks: aligned columns, header repeated in each section, split by rows. */
function tableSections(table: ReplyTable, cap: number): TableSection[] {
  const max = SLACK_LIMITS.sectionText - FENCE_OPEN.length - FENCE_CLOSE.length;
  // Never look further than the budget could show (a Slack table of 10,000 rows already helps nobody).
  const rowsIn = table.rows.slice(0, cap * SLACK_STYLE.tableRowsPerBlock);
  let columns = table.columns.length;
  for (const r of rowsIn) columns = Math.max(columns, r.length);
  // Every column takes at least its two-space gutter: more than this never fits a line.
  columns = Math.min(columns, Math.ceil(SLACK_STYLE.tableLineWidth / 2) + 1);
  if (columns === 0) return [];

  interface Cell {
    text: string;
    width: number;
  }
  // Columns repeat their values (statuses, currencies, dates): each distinct value is measured once.
  const seen = new Map<string, Cell>();
  const cell = (s: unknown): Cell => {
    const raw = head(String(s ?? ""), SLACK_STYLE.tableCellWidth * 8);
    let c = seen.get(raw);
    if (!c) seen.set(raw, (c = fit(oneLine(plain(raw)).replace(/`/g, "'"), SLACK_STYLE.tableCellWidth)));
    return c;
  };
  const top = table.columns.length ? Array.from({ length: columns }, (_, i) => cell(table.columns[i])) : undefined;
  const rows = rowsIn.map((r) => Array.from({ length: columns }, (_, i) => cell(r[i])));
  const widths = Array.from({ length: columns }, (_, i) => top?.[i]!.width ?? 0);
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i]!, c.width)));
  // Cells padded to their column, up to the line width (the cell that crosses it is clipped, later ones dropped).
  const line = (cells: Cell[]) => {
    let raw = "";
    let used = 0;
    for (let i = 0; i < cells.length; i++) {
      const gutter = i ? "  " : "";
      const c = cells[i]!;
      if (used + gutter.length + widths[i]! > SLACK_STYLE.tableLineWidth) {
        raw += clipWidth(gutter + c.text, SLACK_STYLE.tableLineWidth - used);
        break;
      }
      raw += gutter + c.text + " ".repeat(widths[i]! - c.width);
      used += gutter.length + widths[i]!;
    }
    return clipMrkdwn(escapeMrkdwn(raw.trimEnd()), SLACK_STYLE.tableLineChars);
  };
  const heading = top ? [line(top), clipWidth(widths.map((w) => "─".repeat(w)).join("  "), SLACK_STYLE.tableLineWidth)] : [];
  const headingLength = heading.reduce((n, l) => n + l.length + 1, 0);

  const out: TableSection[] = [];
  const emit = (lines: string[], count: number) =>
    out.push({ block: section(FENCE_OPEN + nonBlank([...heading, ...lines].join("\n"), " ") + FENCE_CLOSE), rows: count });
  let lines: string[] = [];
  let length = headingLength;
  for (const r of rows) {
    const l = line(r);
    if (lines.length && length + l.length + 1 > max) {
      emit(lines, lines.length);
      if (out.length >= cap) return out;
      lines = [];
      length = headingLength;
    }
    lines.push(l);
    length += l.length + 1;
  }
  if (lines.length || (!out.length && heading.length)) emit(lines, lines.length);
  return out.slice(0, cap);
}

function buttonElement(b: ReplyButton, index: number, value: string): Button {
  const label = oneLine(plain(head(b.label, 4 * SLACK_LIMITS.buttonText)));
  const fallbackLabel = oneLine(head(b.command, 4 * SLACK_LIMITS.buttonText)) || "…";
  return {
    type: "button",
    action_id: `${BUTTON_ACTION_PREFIX}${index}`,
    // plain_text is shown as given: no escaping (Slack would show "&amp;").
    text: { type: "plain_text", text: clip(nonBlank(label, fallbackLabel), SLACK_LIMITS.buttonText), emoji: true },
    value,
    ...(b.style === "primary" || b.style === "danger" ? { style: b.style } : {}),
  };
}

// ─── the reply ───────────────────────────────────────────────────────────────

function render(reply: Reply, o: SlackRenderOptions, defaultBlocks: number): SlackMessage {
  const budget = Number.isFinite(o.maxBlocks) && o.maxBlocks! >= 1 ? Math.floor(o.maxBlocks!) : defaultBlocks;
  const notes = notesFor(o.locale ?? "en");
  const tone = TONE[reply.tone ?? "info"] ?? "";

  const title = oneLine(plain(head(reply.title ?? "", 4 * SLACK_LIMITS.headerText)));
  const header: HeaderBlock | undefined = title
    ? { type: "header", text: { type: "plain_text", text: clip(tone ? `${tone} ${title}` : title, SLACK_LIMITS.headerText), emoji: true } }
    : undefined;

  // Buttons: at most a share of the budget, ≤ 5 per actions block; a payload too long for `value` is left out.
  const buttons = reply.buttons ?? [];
  const perActions = Math.min(SLACK_STYLE.buttonsPerActions, SLACK_LIMITS.actionsElements);
  const maxActions = Math.max(1, Math.floor(budget * SLACK_STYLE.actionsShareOfBlocks));
  const elements: Button[] = [];
  let buttonsLeft = 0;
  buttons.forEach((b, i) => {
    if (elements.length >= maxActions * perActions) return void buttonsLeft++;
    const value = o.sign(b.command);
    if (value.length > SLACK_LIMITS.buttonValue || `${BUTTON_ACTION_PREFIX}${i}`.length > SLACK_LIMITS.actionId) return void buttonsLeft++;
    elements.push(buttonElement(b, i, value));
  });
  const actions: ActionsBlock[] = [];
  for (let i = 0; i < elements.length; i += perActions) actions.push({ type: "actions", elements: elements.slice(i, i + perActions) });

  // Content, each part generated only as far as the budget could ever show.
  const cap = budget;
  const fields = fieldSections(reply.fields ?? [], cap);
  const table = reply.table ? tableSections(reply.table, cap) : [];
  const totalRows = reply.table ? Math.max(reply.table.total ?? 0, reply.table.rows.length) : 0;
  // Markdown never shrinks to less than half in mrkdwn: beyond this much source, nothing could be shown.
  const textLimit = 2 * cap * SLACK_LIMITS.sectionText;
  const textSource = head(reply.text ?? "", textLimit);
  const textLines = textSource.trim() ? toMrkdwn(textSource).split("\n") : [];
  // The tone's emoji leads the header when there is one, else the text.
  const lead = textLines.findIndex((l) => l.trim());
  if (tone && !header && lead >= 0) textLines[lead] = `${tone} ${textLines[lead]}`;
  const packed = pack(textLines, SLACK_LIMITS.sectionText, cap);
  const texts = packed.chunks.map(section);

  let fieldsCut = fields.cut;
  let textCut = packed.cut || (reply.text?.length ?? 0) > textLimit;
  const shownRows = () => table.reduce((n, s) => n + s.rows, 0);
  const tableNote = () => Boolean(reply.table) && shownRows() < totalRows;
  const truncNote = () => fieldsCut || textCut || buttonsLeft > 0;
  const room = budget - (header ? 1 : 0) - actions.length;
  const used = () => fields.blocks.length + table.length + texts.length + (tableNote() ? 1 : 0) + (truncNote() ? 1 : 0);
  // Over budget: shorten the biggest part first, keeping room for the notes that explain what went.
  while (used() > room) {
    const biggest = Math.max(table.length, texts.length, fields.blocks.length);
    if (biggest === 0) break;
    if (table.length === biggest) table.pop();
    else if (texts.length === biggest) {
      texts.pop();
      textCut = true;
    } else {
      fields.blocks.pop();
      fieldsCut = true;
    }
  }

  const blocks: KnownBlock[] = [];
  if (header) blocks.push(header);
  blocks.push(...fields.blocks, ...table.map((s) => s.block));
  if (tableNote()) blocks.push(context([notes.moreRows(totalRows - shownRows())]));
  blocks.push(...texts);
  if (truncNote()) {
    const said = [...(fieldsCut || textCut ? [notes.truncated] : []), ...(buttonsLeft ? [notes.moreButtons(buttonsLeft)] : [])];
    blocks.push(context(said));
  }
  blocks.push(...actions);

  const text = fallback(reply, title, tone);
  // Never an empty message: an images-only (or empty) reply still says something.
  if (!blocks.length) blocks.push(section(text));
  return { text, blocks: blocks.slice(0, budget), files: [...(reply.images ?? [])] };
}

/** Title and text as plain words, for notifications: never empty, never over the limit. */
function fallback(reply: Reply, title: string, tone: string): string {
  const body = plain(head(reply.text ?? "", 2 * SLACK_LIMITS.fallbackText)).trim();
  const first = reply.fields?.[0];
  const words =
    [title, body].filter(Boolean).join("\n") ||
    (first ? `${oneLine(plain(head(first.label, 300)))}: ${plain(head(first.value, 2 * SLACK_LIMITS.fallbackText)).trim()}` : "") ||
    (reply.table?.columns.length ? reply.table.columns.slice(0, 20).map((c) => oneLine(plain(head(c, 300)))).join(" · ") : "") ||
    (reply.buttons ?? []).slice(0, 10).map((b) => oneLine(plain(head(b.label, 300)))).filter(Boolean).join(" · ") ||
    (reply.images?.length ? reply.images.slice(0, 10).map((i) => oneLine(head(i.alt || i.filename, 300))).join(" · ") : "") ||
    "Clout";
  return clipMrkdwn(escapeMrkdwn(tone ? `${tone} ${words}` : words), SLACK_LIMITS.fallbackText);
}

/** A reply as a chat message (chat.postMessage, chat.postEphemeral, response_url): ≤ 50 blocks. */
export function renderMessage(reply: Reply, o: SlackRenderOptions): SlackMessage {
  return render(reply, o, SLACK_LIMITS.blocksPerMessage);
}

/** A reply as the blocks of a view (App Home, modal): ≤ 100 blocks. */
export function renderView(reply: Reply, o: SlackRenderOptions): KnownBlock[] {
  return render(reply, { ...o, maxBlocks: o.maxBlocks ?? SLACK_LIMITS.blocksPerView }, SLACK_LIMITS.blocksPerView).blocks;
}

/** A reply as a slash-command answer: private unless it is a change the channel should see. */
export function responseBody(reply: Reply, o: SlackRenderOptions) {
  const { text, blocks } = renderMessage(reply, o);
  return { response_type: reply.tone === "success" && !reply.ephemeral ? ("in_channel" as const) : ("ephemeral" as const), text, blocks };
}
