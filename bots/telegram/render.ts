import type { Sign } from "../../core/actions/signer.ts";
import type { Locale } from "../../core/i18n/locale.ts";
import type { Reply, ReplyFile, ReplyImage } from "../../core/reply.ts";
import { buttonLabel, clip, clipConverted, convert, convertLine, fittingStart, head, linesOf, nonBlank, notesFor, oneLine, plain, signButtons, tableChunk, tableLines, TONE_EMOJI, type Dialect, type TableLines } from "../common/text.ts";
import { TELEGRAM_LIMITS, TELEGRAM_STYLE } from "./limits.ts";

/**
 * The core's Reply as Telegram messages in HTML parse mode, inside Telegram's
 * limits (./limits.ts): a long reply becomes several messages (pages), each
 * with well-formed HTML of at most 4096 characters shown, and is truncated
 * only past TELEGRAM_STYLE.pages.
 *
 * Layout, in the console's order: the title in bold · "label: value" lines ·
 * the table in <pre> (heading repeated on each page) and "… N more rows" ·
 * the text · a note of what had to go. The inline keyboard (rows of 3) rides
 * on the last message. Images come back as `photos`, to send after the
 * messages.
 */

export interface TelegramRenderOptions {
  /** Signs a button's command line; the result is the button's `callback_data` (see core/actions/signer.ts). */
  sign: Sign;
  /** Language of the renderer's own notes ("… 3 more rows"); English by default. */
  locale?: Locale;
}

export interface InlineButton {
  text: string;
  callback_data: string;
}

export interface TelegramMessage {
  /** HTML: <b>, <i>, <code>, <pre> and <a href>, everything else escaped. */
  text: string;
  parse_mode: "HTML";
  reply_markup?: { inline_keyboard: InlineButton[][] };
  /** Replies are about the workspace, not about the pages they link to: no preview cards. */
  link_preview_options: { is_disabled: true };
}

export interface TelegramReply {
  /** One or more pages, in order; never empty. The keyboard is on the last. */
  messages: TelegramMessage[];
  /** Images to send after the messages, `alt` fit for a caption (≤ 10, one album). */
  photos: ReplyImage[];
  /** Files (a PDF receipt) to send after the photos, one sendDocument each. */
  documents: ReplyFile[];
}

// ─── HTML ────────────────────────────────────────────────────────────────────

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

/** Text (or an attribute value) as Telegram HTML: the four characters Telegram names entities for, as entities. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ENTITIES[c]!);
}

/** The characters shown, tags gone and each entity one character (as a stand-in: only their number and blankness matter here). */
const visible = (html: string) => html.replace(/<[^>]*>/g, "").replace(/&(?:amp|lt|gt|quot);/g, "&");

/** What Telegram counts against its limits. */
const shown = (html: string) => visible(html).length;

const HTML: Dialect = {
  text: escapeHtml,
  bold: (s) => `<b>${s}</b>`,
  italic: (s) => `<i>${s}</i>`,
  // Telegram lets no entity hold a code span: one inside bold, italics or a link is plain text there.
  code: (s, nested) => (nested ? escapeHtml(s) : `<code>${escapeHtml(s)}</code>`),
  link: (label, url) => `<a href="${escapeHtml(url)}">${label}</a>`,
  bullet: "• ",
};

/** The core's markdown subset as Telegram HTML: <b>, <i>, <code>, <a href>, "• " bullets; user text escaped. */
export const toHtml = (markdown: string) => convert(markdown, HTML);

// ─── pages ───────────────────────────────────────────────────────────────────

/** Part of a page: `take` gives the most of what is left that shows at most `room` characters, undefined when nothing fits. */
interface Piece {
  take(room: number): { html: string; done: boolean } | undefined;
}

const whole = (html: string): Piece => ({ take: (room) => (shown(html) <= room ? { html, done: true } : undefined) });

/** A long line is split only where at least this much room is left; otherwise it starts the next page. */
const MIN_SPLIT = 200;

/**
 * A line of markdown, split across pages where it must be; each part is
 * converted by itself, so no tag is ever cut. `lead` (HTML) goes before the first part.
 */
function textLine(source: string, lead = ""): Piece {
  let rest = source;
  let before = lead;
  return {
    take(room) {
      const html = before + convertLine(rest, HTML);
      if (shown(html) <= room) return { html, done: true };
      if (room < MIN_SPLIT) return undefined;
      const cut = fittingStart(rest, room - shown(before), (s) => shown(convertLine(s, HTML)));
      if (cut === 0) return undefined;
      const part = before + convertLine(rest.slice(0, cut), HTML);
      rest = rest.slice(cut);
      before = "";
      return { html: part, done: false };
    },
  };
}

/** The table in <pre> blocks, as many rows on each page as fit, the heading repeated. */
function preTable(lines: TableLines): Piece {
  let next = 0;
  return {
    take(room) {
      const chunk = tableChunk(lines, next, room);
      if (!chunk) return undefined;
      next += chunk.rows;
      return { html: `<pre>${escapeHtml(chunk.lines.join("\n"))}</pre>`, done: next >= lines.rows.length };
    },
  };
}

/**
 * Sections (a blank line between them) of pieces (a line break between them)
 * laid out on at most `maxPages` pages; the last allowed page keeps `reserve`
 * characters free for the notes. `cut` when something did not fit.
 */
function paginate(sections: Piece[][], maxPages: number, reserve: number): { pages: string[]; cut: boolean } {
  const pages: string[] = [];
  let page = "";
  let used = 0;
  let cut = false;
  const capacity = () => TELEGRAM_LIMITS.textChars - (pages.length === maxPages - 1 ? reserve : 0);
  for (const section of sections) {
    for (const [i, piece] of section.entries()) {
      for (;;) {
        const gap = !page ? "" : i === 0 ? "\n\n" : "\n";
        const part = piece.take(capacity() - used - gap.length);
        // A page never starts with what shows nothing (Telegram refuses a message of whitespace).
        if (part && (page || visible(part.html).trim())) {
          page += gap + part.html;
          used += gap.length + shown(part.html);
        }
        if (part?.done) break;
        if (!page) {
          if (part) continue;
          // Not even a page of its own holds it (clipped parts always fit one): it is left out.
          cut = true;
          break;
        }
        if (pages.length === maxPages - 1) return { pages: [...pages, page], cut: true };
        pages.push(page);
        page = "";
        used = 0;
      }
    }
  }
  return { pages: page ? [...pages, page] : pages, cut };
}

// ─── the reply ───────────────────────────────────────────────────────────────

/** A reply as Telegram messages (sendMessage / editMessageText) and the photos to send after them. */
export function renderMessages(reply: Reply, o: TelegramRenderOptions): TelegramReply {
  const L = TELEGRAM_LIMITS;
  const S = TELEGRAM_STYLE;
  const notes = notesFor(o.locale ?? "en", "Telegram");
  const emoji = TONE_EMOJI[reply.tone ?? "info"] ?? "";

  // Buttons: rows of 3; a payload over 64 bytes is left out.
  const signed = signButtons(
    reply.buttons ?? [],
    S.keyboardRows * Math.min(S.rowButtons, L.rowButtons),
    o.sign,
    (data) => Buffer.byteLength(data, "utf8") <= L.callbackDataBytes,
  );
  const keyboard: InlineButton[][] = [];
  for (let i = 0; i < signed.shown.length; i += S.rowButtons) {
    keyboard.push(signed.shown.slice(i, i + S.rowButtons).map(({ button, payload }) => ({ text: buttonLabel(button, S.buttonChars), callback_data: payload })));
  }

  const images = reply.images ?? [];
  const photos = images.slice(0, L.mediaGroup).map((image) => ({ ...image, alt: clip(image.alt, L.captionChars) }));

  const sections: Piece[][] = [];
  const title = oneLine(plain(head(reply.title ?? "", 4 * S.titleChars)));
  if (title) sections.push([whole(`${emoji ? `${emoji} ` : ""}<b>${escapeHtml(clip(title, S.titleChars))}</b>`)]);

  // Every field shown takes at least a line: no reply can show more fields than this.
  const fields = (reply.fields ?? []).slice(0, L.textChars * S.pages);
  if (fields.length) {
    sections.push(
      fields.map((f) => {
        const label = escapeHtml(clip(oneLine(plain(head(f.label, 4 * S.titleChars))), S.titleChars));
        const value = nonBlank(clipConverted(head(f.value, 2 * S.fieldValueChars), S.fieldValueChars, toHtml));
        return whole(label ? `<b>${label}</b>: ${value}` : value);
      }),
    );
  }

  if (reply.table) {
    // Every row shown takes at least its line break: no reply can show more rows than this.
    const rows = reply.table.rows.slice(0, L.textChars * S.pages);
    const laid = tableLines({ ...reply.table, rows }, { cellWidth: S.tableCellWidth, lineWidth: S.tableLineWidth });
    const line = (l: string) => clip(l, S.tableLineChars);
    const table: Piece[] = [preTable({ heading: laid.heading.map(line), rows: laid.rows.map(line) })];
    const total = Math.max(reply.table.total ?? 0, reply.table.rows.length);
    if (total > rows.length) table.push(whole(`<i>${escapeHtml(notes.moreRows(total - rows.length))}</i>`));
    sections.push(table);
  }

  // Markup and links can hide much of the source, but not more than half of it in any real text.
  const textLimit = 2 * L.textChars * S.pages;
  const lines = (reply.text ?? "").trim() ? linesOf(head(reply.text!, textLimit)) : [];
  // The tone's emoji leads the title when there is one, else the text.
  const lead = emoji && !title ? lines.findIndex((l) => l.trim()) : -1;
  if (lines.length) sections.push(lines.map((l, i) => textLine(l, i === lead ? `${emoji} ` : "")));

  const note = (cut: boolean) => {
    const said = [...(cut ? [notes.truncated] : []), ...(signed.left ? [notes.moreButtons(signed.left)] : [])];
    return said.length ? `<i>${escapeHtml(said.join(" · "))}</i>` : "";
  };
  const laidOut = paginate(sections, S.pages, shown(note(true)) + 2);
  const pages = laidOut.pages;
  const said = note(laidOut.cut || (reply.text?.length ?? 0) > textLimit || photos.length < images.length);
  if (said) {
    const last = pages.at(-1);
    if (last !== undefined && shown(last) + 2 + shown(said) <= L.textChars) pages[pages.length - 1] = `${last}\n\n${said}`;
    else pages.push(said);
  }
  // Never no message: a reply of images or buttons alone still needs text to carry them.
  if (!pages.length) pages.push(escapeHtml(clip(nonBlank(oneLine(photos.map((p) => p.alt).join(" · ")), "Clout"), L.textChars)));

  const messages = pages.map((text): TelegramMessage => ({ text, parse_mode: "HTML", link_preview_options: { is_disabled: true } }));
  if (keyboard.length) messages.at(-1)!.reply_markup = { inline_keyboard: keyboard };
  return { messages, photos, documents: reply.files ?? [] };
}
