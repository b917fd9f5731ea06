import type { Sign } from "../../core/actions/signer.ts";
import {
  ButtonStyle,
  ComponentType,
  MessageFlags,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIEmbedField,
} from "discord-api-types/v10";
import type { Locale } from "../../core/i18n/locale.ts";
import type { Reply, ReplyFile, ReplyImage } from "../../core/reply.ts";
import { buttonLabel, clip, clipConverted, codeBlock, codeBlockCell, convert, head, nonBlank, notesFor, oneLine, plain, signButtons, tableLines, TONE_EMOJI, type Dialect, type TableLines } from "../common/text.ts";
import { DISCORD_LIMITS, DISCORD_STYLE } from "./limits.ts";

/**
 * The core's Reply as a Discord message inside Discord's limits (./limits.ts):
 * content is truncated, never rejected by Discord.
 *
 * Layout: one embed in the tone's colour: title (with the tone's emoji) ·
 * description: the text, then the table as a ``` code block ("… N more rows"
 * when cut) · fields. A table the description has no room for continues in
 * fields of its own, before the reply's fields; fields past 25 go on to a
 * second embed. Images: the first on the embed, each further one an embed of
 * its own, all uploaded as `files`. Buttons: action rows of 5. The footer of
 * the last embed says what had to go. The 6,000 characters all embeds share
 * are split fairly between text, fields and table.
 */

export interface DiscordRenderOptions {
  /** Signs a button's command line; the result is the button's `custom_id` (see core/actions/signer.ts). */
  sign: Sign;
  /** Language of the renderer's own notes ("… 3 more rows"); English by default. */
  locale?: Locale;
}

export interface DiscordMessage {
  /** Text above the embeds: the renderer puts everything in embeds and leaves this to the adapter. */
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponentWithCustomId>[];
  /** MessageFlags.Ephemeral for a reply only its asker sees. */
  flags?: number;
  /** The images the embeds show as `attachment://<filename>`, to upload with the message (names made safe for that). */
  files: ReplyImage[];
  /** Documents (a PDF receipt) attached after the images, in the attachments left over. */
  documents: ReplyFile[];
}

const TONE_COLOUR: Record<NonNullable<Reply["tone"]>, number> = { info: 0x5865f2, success: 0x57f287, warning: 0xf0b232, error: 0xed4245 };

const BUTTON_STYLE = { primary: ButtonStyle.Primary, danger: ButtonStyle.Danger } as const;

/** A field name that shows nothing (Discord requires one): for table continuations and unlabelled fields. */
const NO_NAME = "\u200b";

// ─── escaping ────────────────────────────────────────────────────────────────

/** @everyone and @here with a zero-width space after the @: they read the same and ping no one. */
const unmention = (s: string) => s.replace(/@(everyone|here)/gi, "@\u200b$1");

/**
 * Text shown as typed: Discord markdown's metacharacters backslash-escaped
 * (`<` too, so `<@id>` mentions, `<#channel>` links and `<t:…>` timestamps
 * stay text), and mass mentions broken.
 */
export function escapeMarkdown(s: string): string {
  return unmention(s.replace(/[\\*_~`|[\]<>]/g, "\\$&"));
}

/** Syntax that only counts at the start of a line (headings, quotes, lists, subtext), escaped there. */
const lineStart = (s: string) => s.replace(/^(\s*)([#>+-])/, "$1\\$2").replace(/^(\s*\d+)\./, "$1\\.");

const DISCORD: Dialect = {
  text: escapeMarkdown,
  bold: (s) => `**${s}**`,
  italic: (s) => `_${s}_`,
  // Nothing is markup inside a code span, and a backslash would show.
  code: (s) => `\`${unmention(s)}\``,
  link: (label, url) => `[${label}](${url})`,
  bullet: "- ",
  line: lineStart,
};

/** The core's markdown subset as Discord markdown: the same syntax, with everything else in the text escaped. */
export const toDiscordMarkdown = (markdown: string) => convert(markdown, DISCORD);

/** Plain words (a title, a field's name) shown as typed. */
const literal = (s: string) => lineStart(escapeMarkdown(s));

// ─── parts ───────────────────────────────────────────────────────────────────

/** Splits `total` between demands: each gets what it asks or an equal share of what is left, smallest demand first. */
function share(demands: number[], total: number): number[] {
  const out = demands.map(() => 0);
  let left = total;
  const order = demands.map((_, i) => i).sort((a, b) => demands[a]! - demands[b]!);
  order.forEach((i, k) => {
    out[i] = Math.min(demands[i]!, Math.floor(left / (order.length - k)));
    left -= out[i]!;
  });
  return out;
}

/** Names Discord keeps as given, so `attachment://<name>` finds the upload; unique within the message. */
function attachable(images: ReplyImage[]): ReplyImage[] {
  const used = new Set<string>();
  return images.map((image) => {
    const base = image.filename.replace(/\.png$/i, "").replace(/[^A-Za-z0-9_-]+/g, "_").slice(0, DISCORD_STYLE.fileNameChars - 8) || "image";
    let filename = `${base}.png`;
    for (let n = 2; used.has(filename); n++) filename = `${base}-${n}.png`;
    used.add(filename);
    return { ...image, filename };
  });
}

// ─── the reply ───────────────────────────────────────────────────────────────

/** A reply as a Discord message (channel message, interaction response or follow-up). */
export function renderMessage(reply: Reply, o: DiscordRenderOptions): DiscordMessage {
  const L = DISCORD_LIMITS;
  const notes = notesFor(o.locale ?? "en", "Discord");
  const tone = reply.tone ?? "info";
  const emoji = TONE_EMOJI[tone] ?? "";

  // Buttons: action rows of 5; a payload too long for custom_id is left out, and so is a repeat
  // (Discord refuses two components with one custom_id, and a second button running the same command adds nothing).
  const ids = new Set<string>();
  const signed = signButtons(reply.buttons ?? [], L.actionRows * L.rowButtons, o.sign, (id) => {
    if (id.length > L.customIdChars || ids.has(id)) return false;
    ids.add(id);
    return true;
  });
  const buttons: APIButtonComponentWithCustomId[] = signed.shown.map(({ button, payload }) => ({
    type: ComponentType.Button,
    style: (button.style && BUTTON_STYLE[button.style]) ?? ButtonStyle.Secondary,
    label: buttonLabel(button, L.buttonLabelChars),
    custom_id: payload,
  }));
  const components: APIActionRowComponent<APIButtonComponentWithCustomId>[] = [];
  for (let i = 0; i < buttons.length; i += L.rowButtons) components.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + L.rowButtons) });
  const footer = (cut: boolean) => [...(cut ? [notes.truncated] : []), ...(signed.left ? [notes.moreButtons(signed.left)] : [])].join(" · ");

  const titleWords = oneLine(plain(head(reply.title ?? "", 4 * L.embedTitleChars)));
  const title = titleWords ? clipConverted(emoji ? `${emoji} ${titleWords}` : titleWords, L.embedTitleChars, literal) : "";
  // The tone's emoji leads the title when there is one, else the text.
  const lead = !title && emoji ? `${emoji} ` : "";

  // Each part as far as it could ever be shown; conversion never shortens markdown by much.
  const textLimit = 2 * L.embedDescriptionChars;
  const textSource = (reply.text ?? "").trim() ? head(reply.text!, textLimit) : "";
  // Without blank lines at either end, so the tone's emoji leads words.
  const bodyText = (source: string) => toDiscordMarkdown(source).replace(/^\s*\n/, "").trimEnd();
  const text = bodyText(textSource);
  let textCut = (reply.text?.length ?? 0) > textLimit;

  const maxFields = DISCORD_STYLE.fieldEmbeds * L.embedFields;
  const fields = (reply.fields ?? []).slice(0, maxFields).map((f) => {
    const source = head(f.value, 2 * L.fieldValueChars);
    const name = nonBlank(clipConverted(oneLine(plain(head(f.label, 4 * L.fieldNameChars))), L.fieldNameChars, literal), NO_NAME);
    return { name, source, value: nonBlank(clipConverted(source, L.fieldValueChars, toDiscordMarkdown)), inline: Boolean(f.inline) };
  });
  let fieldsCut = (reply.fields?.length ?? 0) > maxFields;

  const table = reply.table;
  const totalRows = table ? Math.max(table.total ?? 0, table.rows.length) : 0;
  // Every row shown takes at least its line break: no message can show more rows than this.
  const laid = table
    ? tableLines(
        { ...table, rows: table.rows.slice(0, L.embedsTotalChars) },
        { cellWidth: DISCORD_STYLE.tableCellWidth, lineWidth: DISCORD_STYLE.tableLineWidth, cellText: codeBlockCell },
      )
    : { heading: [], rows: [] };
  const codeLine = (l: string) => clip(unmention(l), DISCORD_STYLE.tableLineChars);
  const lines: TableLines = { heading: laid.heading.map(codeLine), rows: laid.rows.map(codeLine) };
  const rowsNote = (n: number) => `\n_${escapeMarkdown(notes.moreRows(n))}_`;
  // The longest the note can be: it counts rows not shown, at most all of them.
  const noteRoom = totalRows ? rowsNote(totalRows).length : 0;

  // The characters all embeds share, split fairly between text, fields and table.
  const room = L.embedsTotalChars - title.length - footer(true).length;
  // A table takes a line break before it in the description, or a field's name: one character either way.
  const tableDemand = table ? (codeBlock(lines, 0, Infinity)?.text.length ?? 0) + 1 + noteRoom : 0;
  const fieldsDemand = fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
  const textDemand = Math.min(lead.length + text.length, L.embedDescriptionChars);
  const [textRoom, fieldsRoom, tableRoom] = share([textDemand, fieldsDemand, tableDemand], room) as [number, number, number];

  let description = "";
  if (text) {
    if (lead.length + text.length <= textRoom) description = lead + text;
    else {
      textCut = true;
      if (textRoom > lead.length + 1) description = lead + clipConverted(textSource, textRoom - lead.length, bodyText);
    }
  }

  const replyFields: APIEmbedField[] = [];
  let fieldsLeft = fieldsRoom;
  for (const f of fields) {
    const field = { name: f.name, value: f.value, ...(f.inline ? { inline: true } : {}) };
    if (f.name.length + f.value.length <= fieldsLeft) {
      replyFields.push(field);
      fieldsLeft -= f.name.length + f.value.length;
      continue;
    }
    fieldsCut = true;
    // The field that crosses the budget shows what of its value fits, when that is more than a word or two.
    const valueRoom = fieldsLeft - f.name.length;
    if (valueRoom >= 16) replyFields.push({ ...field, value: nonBlank(clipConverted(f.source, valueRoom, toDiscordMarkdown)) });
    break;
  }

  // The table: in the description after the text while it fits, continued in fields of its own.
  const tableFields: APIEmbedField[] = [];
  let tableLeft = tableRoom - noteRoom;
  let next = 0;
  let placed = false;
  if (table) {
    const first = codeBlock(lines, 0, Math.min(tableLeft, L.embedDescriptionChars - description.length - 1 - noteRoom));
    if (first) {
      description = description ? `${description}\n${first.text}` : first.text;
      tableLeft -= first.text.length + 1;
      next = first.rows;
      placed = true;
    }
    while ((!placed || next < lines.rows.length) && tableFields.length + replyFields.length < maxFields) {
      const chunk = codeBlock(lines, next, Math.min(L.fieldValueChars - noteRoom, tableLeft - NO_NAME.length));
      if (!chunk) break;
      tableFields.push({ name: NO_NAME, value: chunk.text });
      tableLeft -= chunk.text.length + NO_NAME.length;
      next += chunk.rows;
      placed = true;
    }
    if (placed && next < totalRows) {
      const last = tableFields.at(-1);
      if (last) last.value += rowsNote(totalRows - next);
      else description += rowsNote(totalRows - next);
    }
  }
  const tableCut = Boolean(table) && !placed;

  const colour = { color: TONE_COLOUR[tone] ?? TONE_COLOUR.info };
  const allFields = [...tableFields, ...replyFields];
  const embeds: APIEmbed[] = [{ ...colour }];
  for (let i = L.embedFields; i < allFields.length; i += L.embedFields) embeds.push({ ...colour, fields: allFields.slice(i, i + L.embedFields) });
  const main = embeds[0]!;
  if (title) main.title = title;
  if (allFields.length) main.fields = allFields.slice(0, L.embedFields);

  const images = reply.images ?? [];
  const files = attachable(images.slice(0, Math.min(L.attachments, L.embeds - embeds.length + 1)));
  files.forEach((f, i) => {
    const image = { url: `attachment://${f.filename}` };
    if (i === 0) main.image = image;
    else embeds.push({ ...colour, image });
  });

  // Never an empty message: a reply of nothing (or of buttons alone) still says something.
  if (description || (!title && !allFields.length && !files.length)) main.description = description || "Clout";
  // Documents (a report) follow the images while the message's count and upload size allow: Discord refuses the whole message otherwise.
  let uploadRoom = L.uploadBytes - files.reduce((n, f) => n + f.png.length, 0);
  const documents: ReplyFile[] = [];
  for (const d of (reply.files ?? []).slice(0, L.attachments - files.length)) {
    if (d.bytes.length > uploadRoom) continue;
    documents.push(d);
    uploadRoom -= d.bytes.length;
  }
  const said = footer(textCut || fieldsCut || tableCut || files.length < images.length || documents.length < (reply.files?.length ?? 0));
  if (said) embeds.at(-1)!.footer = { text: said };

  return { embeds, components, ...(reply.ephemeral ? { flags: MessageFlags.Ephemeral } : {}), files, documents };
}
