import type { Sign } from "../../core/actions/signer.ts";
import type { ActionsBlock, Button, ContextBlock, HeaderBlock, KnownBlock, SectionBlock } from "@slack/types";
import type { Locale } from "../../core/i18n/locale.ts";
import type { Reply, ReplyField, ReplyImage, ReplyTable } from "../../core/reply.ts";
import { buttonLabel, clip, codeBlock, codeBlockCell, convert, head, nonBlank, notesFor, oneLine, plain, signButtons, tableLines, type Dialect, type SignedButton } from "../common/text.ts";
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
  sign: Sign;
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

const MRKDWN: Dialect = {
  text: escapeMrkdwn,
  bold: (s) => `*${s}*`,
  italic: (s) => `_${s}_`,
  code: (s) => `\`${escapeMrkdwn(s)}\``,
  // A link is never cut in two; one too long to stay whole shows as "label (url)" (Slack links bare URLs).
  link: (label, url) => {
    const link = `<${escapeUrl(url)}|${label}>`;
    return link.length <= SLACK_STYLE.linkChars ? link : `${label} (${escapeMrkdwn(url)})`;
  },
  bullet: "• ",
};

/**
 * The core's markdown subset (core/reply.ts) as Slack mrkdwn: **bold** → *bold*,
 * _italic_ and `code` unchanged, [label](https://url) → <https://url|label>,
 * "- " bullets → "• ". `&`, `<` and `>` in the text are escaped, so user text
 * can neither break the markup nor smuggle in mentions like <!channel>.
 */
export const toMrkdwn = (markdown: string) => convert(markdown, MRKDWN);

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

/** The table as monospace code blocks: aligned columns, header repeated in each section, split by rows. */
function tableSections(table: ReplyTable, cap: number): TableSection[] {
  // Never look further than the budget could show (a Slack table of 10,000 rows already helps nobody).
  const laid = tableLines(
    { ...table, rows: table.rows.slice(0, cap * SLACK_STYLE.tableRowsPerBlock) },
    { cellWidth: SLACK_STYLE.tableCellWidth, lineWidth: SLACK_STYLE.tableLineWidth, cellText: codeBlockCell },
  );
  const line = (raw: string) => clipMrkdwn(escapeMrkdwn(raw), SLACK_STYLE.tableLineChars);
  const lines = { heading: laid.heading.map(line), rows: laid.rows.map(line) };
  const out: TableSection[] = [];
  for (let from = 0; out.length < cap; ) {
    const block = codeBlock(lines, from, SLACK_LIMITS.sectionText);
    if (!block) break;
    out.push({ block: section(block.text), rows: block.rows });
    from += block.rows;
    if (from >= lines.rows.length) break;
  }
  return out;
}

function buttonElement({ button: b, index, payload }: SignedButton): Button {
  return {
    type: "button",
    action_id: `${BUTTON_ACTION_PREFIX}${index}`,
    // plain_text is shown as given: no escaping (Slack would show "&amp;").
    text: { type: "plain_text", text: buttonLabel(b, SLACK_LIMITS.buttonText), emoji: true },
    value: payload,
    ...(b.style === "primary" || b.style === "danger" ? { style: b.style } : {}),
  };
}

// ─── the reply ───────────────────────────────────────────────────────────────

function render(reply: Reply, o: SlackRenderOptions, defaultBlocks: number): SlackMessage {
  const budget = Number.isFinite(o.maxBlocks) && o.maxBlocks! >= 1 ? Math.floor(o.maxBlocks!) : defaultBlocks;
  const notes = notesFor(o.locale ?? "en", "Slack");
  const tone = TONE[reply.tone ?? "info"] ?? "";

  const title = oneLine(plain(head(reply.title ?? "", 4 * SLACK_LIMITS.headerText)));
  const header: HeaderBlock | undefined = title
    ? { type: "header", text: { type: "plain_text", text: clip(tone ? `${tone} ${title}` : title, SLACK_LIMITS.headerText), emoji: true } }
    : undefined;

  // Buttons: at most a share of the budget, ≤ 5 per actions block; a payload too long for `value` is left out.
  const perActions = Math.min(SLACK_STYLE.buttonsPerActions, SLACK_LIMITS.actionsElements);
  const maxActions = Math.max(1, Math.floor(budget * SLACK_STYLE.actionsShareOfBlocks));
  const signed = signButtons(
    reply.buttons ?? [],
    maxActions * perActions,
    o.sign,
    (value, i) => value.length <= SLACK_LIMITS.buttonValue && `${BUTTON_ACTION_PREFIX}${i}`.length <= SLACK_LIMITS.actionId,
  );
  const elements = signed.shown.map(buttonElement);
  const buttonsLeft = signed.left;
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
