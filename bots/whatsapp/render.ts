import type { Sign } from "../../core/actions/signer.ts";
import type { Locale } from "../../core/i18n/locale.ts";
import { t } from "../../core/i18n/t.ts";
import type { Reply } from "../../core/reply.ts";
import { buttonLabel, clip, clipConverted, codeBlock, codeBlockCell, convertLine, fittingStart, head, linesOf, nonBlank, notesFor, oneLine, plain, signButtons, tableLines, TONE_EMOJI, type Dialect } from "../common/text.ts";
import { WHATSAPP_LIMITS, WHATSAPP_STYLE } from "./limits.ts";
import type { OutgoingMessage } from "./transport.ts";

/**
 * The core's Reply as WhatsApp messages inside WhatsApp's limits
 * (./limits.ts): text pages of at most 4096 characters in WhatsApp's
 * formatting (*bold*, _italic_, `code`, tables in ``` monospace blocks),
 * truncated only past WHATSAPP_STYLE.pages. Buttons ride on the last page:
 * 1–3 as reply buttons, 4–10 as a list (an interactive body holds only 1024
 * characters, so a longer last page goes as text and the buttons follow
 * under a short prompt). Images follow as image messages, files as document messages.
 */

export interface WhatsAppRenderOptions {
  /** Signs a button's command line; the result is the reply button's or list row's `id`. */
  sign: Sign;
  locale?: Locale;
}

const WHATSAPP: Dialect = {
  // WhatsApp has no escaping: a stray * or _ in a name may format, but can never make a message invalid.
  text: (s) => s,
  bold: (s) => `*${s}*`,
  italic: (s) => `_${s}_`,
  code: (s) => `\`${s}\``,
  link: (label, url) => (plain(label) === url ? url : `${label} (${url})`),
  bullet: "• ",
};

const toWhatsApp = (markdown: string) => linesOf(markdown).map((l) => convertLine(l, WHATSAPP)).join("\n");

/** A markdown line as parts of at most `max` characters once converted, each converted by itself so no marker is cut. */
function splitLine(source: string, max: number): string[] {
  const parts: string[] = [];
  let rest = source;
  while (rest) {
    const whole = convertLine(rest, WHATSAPP);
    if (whole.length <= max) return [...parts, whole];
    const cut = fittingStart(rest, max, (s) => convertLine(s, WHATSAPP).length) || Math.min(rest.length, max);
    parts.push(clip(convertLine(rest.slice(0, cut), WHATSAPP), max));
    rest = rest.slice(cut).trimStart();
  }
  return parts;
}

/** Sections (a blank line between them) of blocks (a line break between them) on at most `maxPages` pages of `cap` characters. */
function paginate(sections: string[][], maxPages: number, cap: number): { pages: string[]; cut: boolean } {
  const pages: string[] = [];
  let page = "";
  for (const section of sections) {
    for (const [i, block] of section.entries()) {
      const gap = !page ? "" : i === 0 ? "\n\n" : "\n";
      if (page.length + gap.length + block.length <= cap) {
        page += gap + block;
        continue;
      }
      if (pages.length === maxPages - 1) return { pages: [...pages, page], cut: true };
      if (page) pages.push(page);
      page = block;
    }
  }
  return { pages: page ? [...pages, page] : pages, cut: false };
}

/** Reply buttons' titles must differ within a message: a repeated one gets a number. */
function distinct(titles: string[], max: number): string[] {
  const seen = new Set<string>();
  return titles.map((title) => {
    let out = title;
    for (let n = 2; seen.has(out); n++) out = `${clip(title, max - String(n).length - 1)} ${n}`;
    seen.add(out);
    return out;
  });
}

/** A reply as the WhatsApp messages that carry it, in order. Never empty, and every field within limits.ts. */
export function renderMessages(reply: Reply, o: WhatsAppRenderOptions): OutgoingMessage[] {
  const L = WHATSAPP_LIMITS;
  const S = WHATSAPP_STYLE;
  const locale = o.locale ?? "en";
  const notes = notesFor(locale, "WhatsApp");
  const emoji = TONE_EMOJI[reply.tone ?? "info"] ?? "";

  const buttons = reply.buttons ?? [];
  const asList = buttons.length > L.replyButtons;
  const idChars = asList ? L.rowIdChars : L.buttonIdChars;
  // Two buttons running the same command would carry the same id, which WhatsApp refuses.
  const ids = new Set<string>();
  const signed = signButtons(buttons, asList ? L.listRows : L.replyButtons, o.sign, (payload) => {
    if (payload.length > idChars || ids.has(payload)) return false;
    ids.add(payload);
    return true;
  });

  const sections: string[][] = [];
  const title = oneLine(plain(head(reply.title ?? "", 4 * S.titleChars)));
  if (title) sections.push([`${emoji ? `${emoji} ` : ""}*${clip(title, S.titleChars)}*`]);

  const fields = (reply.fields ?? []).slice(0, L.textChars * S.pages);
  if (fields.length) {
    sections.push(
      fields.map((f) => {
        const label = clip(oneLine(plain(head(f.label, 4 * S.titleChars))), S.titleChars);
        const value = nonBlank(clipConverted(head(f.value, 2 * S.fieldValueChars), S.fieldValueChars, toWhatsApp));
        return label ? `*${label}*: ${value}` : value;
      }),
    );
  }

  if (reply.table) {
    const rows = reply.table.rows.slice(0, L.textChars * S.pages);
    const laid = tableLines({ ...reply.table, rows }, { cellWidth: S.tableCellWidth, lineWidth: S.tableLineWidth, cellText: codeBlockCell });
    const blocks: string[] = [];
    let next = 0;
    do {
      const chunk = codeBlock(laid, next, L.textChars);
      if (!chunk) break;
      blocks.push(chunk.text);
      next += chunk.rows;
    } while (next < laid.rows.length);
    const total = Math.max(reply.table.total ?? 0, reply.table.rows.length);
    if (total > rows.length) blocks.push(`_${notes.moreRows(total - rows.length)}_`);
    if (blocks.length) sections.push(blocks);
  }

  const textLimit = 2 * L.textChars * S.pages;
  const lines = (reply.text ?? "").trim() ? linesOf(head(reply.text!, textLimit)) : [];
  const lead = emoji && !title ? lines.findIndex((l) => l.trim()) : -1;
  if (lines.length) sections.push(lines.flatMap((l, i) => (l.trim() ? splitLine(i === lead ? `${emoji} ${l}` : l, L.textChars) : [""])));

  const images = reply.images ?? [];
  const note = (cut: boolean) => {
    const said = [...(cut ? [notes.truncated] : []), ...(signed.left ? [notes.moreButtons(signed.left)] : [])];
    return said.length ? `_${said.join(" · ")}_` : "";
  };
  const reserve = note(true).length + 2;
  const laidOut = paginate(sections, S.pages, L.textChars);
  const pages = laidOut.pages.map((p) => p.replace(/\n{3,}/g, "\n\n").trim()).filter(Boolean);
  const said = note(laidOut.cut || (reply.text?.length ?? 0) > textLimit);
  if (said) {
    const last = pages.pop() ?? "";
    pages.push(last ? `${clip(last, L.textChars - reserve)}\n\n${said}` : said);
  }

  const messages: OutgoingMessage[] = pages.map((body) => ({ type: "text", body }));
  if (signed.shown.length) {
    // The last page becomes the interactive body when it fits one; otherwise a short prompt carries the buttons.
    const last = messages.at(-1);
    const body = last?.type === "text" && last.body.length <= L.interactiveBodyChars ? (messages.pop(), last.body) : clip(nonBlank(title, t(locale, "whatsapp.choose")), L.interactiveBodyChars);
    if (asList) {
      const titles = distinct(signed.shown.map((s) => buttonLabel(s.button, L.rowTitleChars)), L.rowTitleChars);
      messages.push({
        type: "list",
        body,
        button: clip(t(locale, "whatsapp.list_button"), L.listButtonChars),
        rows: signed.shown.map((s, i) => ({ id: s.payload, title: titles[i]!, description: clip(oneLine(s.button.command), L.rowDescriptionChars) })),
      });
    } else {
      const titles = distinct(signed.shown.map((s) => buttonLabel(s.button, L.buttonTitleChars)), L.buttonTitleChars);
      messages.push({ type: "buttons", body, buttons: signed.shown.map((s, i) => ({ id: s.payload, title: titles[i]! })) });
    }
  }
  for (const image of images) messages.push({ type: "image", png: image.png, filename: image.filename, ...(image.alt.trim() ? { caption: clip(image.alt, L.captionChars) } : {}) });
  for (const file of reply.files ?? []) messages.push({ type: "document", bytes: file.bytes, filename: file.filename, mimeType: file.mime });
  if (!messages.length) messages.push({ type: "text", body: "Clout" });
  return messages;
}

/**
 * The reply as one template parameter: plain words on one line (templates
 * refuse line breaks, tabs and runs of spaces), within the limit. A template
 * carries no buttons of ours, so their commands are spelled out to type back,
 * and they survive any cut: answering also opens the 24-hour window, after
 * which buttons go again.
 */
export function templateText(reply: Reply, locale: Locale = "en"): string {
  const commands = (reply.buttons ?? []).map((b) => b.command);
  const hint = commands.length ? oneLine(t(locale, "whatsapp.reply_with", { commands: commands.join(" · ") })) : "";
  const words = [reply.title, reply.text, ...(reply.fields ?? []).map((f) => `${f.label}: ${f.value}`)]
    .filter((s): s is string => Boolean(s?.trim()))
    .map((s) => oneLine(plain(head(s, 4 * WHATSAPP_LIMITS.templateParamChars))));
  const room = WHATSAPP_LIMITS.templateParamChars - (hint ? hint.length + 3 : 0);
  const body = clip(nonBlank(words.join(" · "), "Clout"), Math.max(room, 1));
  return hint ? clip(`${body} · ${hint}`, WHATSAPP_LIMITS.templateParamChars) : body;
}
