import stringWidth from "string-width";
import type { Reply, ReplyTable } from "../../core/reply.ts";

/** Console limits, kept as data: a terminal scrolls, but a 5,000-row table helps nobody. */
export const CONSOLE_LIMITS = { tableRows: 100, cellWidth: 60 } as const;

const TONE: Record<NonNullable<Reply["tone"]>, string> = { info: "", success: "✔ ", warning: "! ", error: "✖ " };

const pad = (s: string, width: number) => s + " ".repeat(Math.max(0, width - stringWidth(s)));

function clip(s: string, width: number): string {
  if (stringWidth(s) <= width) return s;
  let out = "";
  for (const ch of s) {
    if (stringWidth(out + ch) > width - 1) break;
    out += ch;
  }
  return `${out}…`;
}

/** The markdown subset as plain text: bold and italics markers go, code and links stay readable. */
export function plain(markdown: string): string {
  return markdown
    .replace(/\*\*(.+?)\*\*/g, "$1")
    .replace(/(^|\W)_(.+?)_(?=\W|$)/g, "$1$2")
    .replace(/\[([^\]]+)\]\((https?:[^)]+)\)/g, "$1 <$2>");
}

export function renderTable(table: ReplyTable): string {
  const rows = table.rows.slice(0, CONSOLE_LIMITS.tableRows).map((r) => r.map((c) => clip(plain(c), CONSOLE_LIMITS.cellWidth)));
  const widths = table.columns.map((c, i) => Math.max(stringWidth(c), ...rows.map((r) => stringWidth(r[i] ?? ""))));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!)).join("  ").trimEnd();
  const out = [line(table.columns), widths.map((w) => "─".repeat(w)).join("  "), ...rows.map(line)];
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
  if (reply.buttons?.length) parts.push(reply.buttons.map((b, i) => `[!${i + 1} ${b.label}] ${b.command}`).join("  "));
  return parts.join("\n\n");
}
