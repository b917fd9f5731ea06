import type { Reply, ReplyTable } from "../../core/reply.ts";
import { convert, PLAIN, tableLines, type Dialect } from "../common/text.ts";

/** Console limits, kept as data: a terminal scrolls, but a 5,000-row table helps nobody. */
export const CONSOLE_LIMITS = { tableRows: 100, cellWidth: 60 } as const;

const TONE: Record<NonNullable<Reply["tone"]>, string> = { info: "", success: "✔ ", warning: "! ", error: "✖ " };

/** A terminal shows `code` with its backticks (they say "type this") and a link's URL in angle brackets. */
const TERMINAL: Dialect = { ...PLAIN, code: (s) => `\`${s}\``, link: (label, url) => `${label} <${url}>` };

/** The markdown subset as plain text: bold and italics markers go, code and links stay readable. */
const plain = (markdown: string) => convert(markdown, TERMINAL);

export function renderTable(table: ReplyTable): string {
  const rows = table.rows.slice(0, CONSOLE_LIMITS.tableRows);
  const { heading, rows: lines } = tableLines({ ...table, rows }, { cellWidth: CONSOLE_LIMITS.cellWidth, lineWidth: Infinity, cellText: plain });
  const out = [...heading, ...lines];
  const total = table.total ?? table.rows.length;
  if (rows.length < total) out.push(`… ${total - rows.length} more`);
  return out.join("\n");
}

/** A reply as terminal text. Buttons are numbered so `!1` presses the first. */
export function renderReply(reply: Reply): string {
  const parts: string[] = [];
  const tone = TONE[reply.tone ?? "info"];
  if (reply.title) parts.push(`${tone}${plain(reply.title)}`);
  if (reply.fields?.length) parts.push(reply.fields.map((f) => `${f.label}: ${plain(f.value)}`).join("\n"));
  if (reply.table) parts.push(renderTable(reply.table));
  if (reply.text) parts.push(`${reply.title ? "" : tone}${plain(reply.text)}`);
  if (reply.images?.length) parts.push(reply.images.map((i) => `[image ${i.filename}: ${i.alt}]`).join("\n"));
  if (reply.files?.length) parts.push(reply.files.map((f) => `[file ${f.filename}]`).join("\n"));
  if (reply.buttons?.length) parts.push(reply.buttons.map((b, i) => `[!${i + 1} ${b.label}] ${b.command}`).join("  "));
  return parts.join("\n\n");
}
