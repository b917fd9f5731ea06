import PDFDocument from "pdfkit";
import type { Translate } from "../i18n/t.ts";
import type { ReplyFile } from "../reply.ts";
import { utcMinute } from "../dates.ts";

/** What a paid milestone's receipt says, already in the reader's language and formats. */
export interface ReceiptFacts {
  workspace: string;
  campaign: string;
  creator: string;
  /** The milestone's name: "Advance". */
  milestone: string;
  /** Formatted with its symbol: "$90.00". */
  amount: string;
  /** ISO 4217: "USD". */
  currency: string;
  paidAt: Date;
  /** The Stripe Checkout session that paid it. */
  sessionId: string;
  invitation: number;
  /** Kept in the file name: "advance". */
  kind: string;
}

/**
 * The PDF's standard fonts (Helvetica) speak WinAnsi, Latin-1 plus a few
 * typographic signs: Intl's narrow and thin spaces become plain ones, and a
 * character those fonts can't draw becomes "?" rather than a wrong glyph.
 */
const WIN_ANSI_EXTRA = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");
export function pdfSafe(s: string): string {
  return [...s.normalize("NFC").replace(/[\u00a0\u2007\u2009\u202f]/g, " ")].map((c) => (c.charCodeAt(0) <= 0xff || WIN_ANSI_EXTRA.has(c) ? c : "?")).join("");
}


/**
 * A one-page A4 receipt. Written uncompressed: it is a few kilobytes either
 * way, and its words stay greppable (tests, support) in the bytes.
 */
export async function receiptPdf(r: ReceiptFacts, t: Translate): Promise<ReplyFile> {
  const doc = new PDFDocument({
    size: "A4",
    margin: 56,
    compress: false,
    info: { Title: pdfSafe(t("receipt.pdf.title")), Author: "Clout", Subject: pdfSafe(`${r.workspace} · #${r.invitation}`), CreationDate: r.paidAt },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on("end", resolve);
    doc.on("error", reject);
  });

  doc.font("Helvetica-Bold").fontSize(20).text(pdfSafe(t("receipt.pdf.title")));
  doc.moveDown(0.3).font("Helvetica").fontSize(10).fillColor("#555555").text(pdfSafe(t("receipt.pdf.subtitle", { workspace: r.workspace })));
  doc.moveDown(1.5).fillColor("#000000");

  const rows: [string, string][] = [
    [t("receipt.pdf.workspace"), r.workspace],
    [t("receipt.pdf.campaign"), r.campaign],
    [t("receipt.pdf.creator"), r.creator],
    [t("receipt.pdf.invitation"), `#${r.invitation}`],
    [t("receipt.pdf.milestone"), r.milestone],
    [t("receipt.pdf.amount"), `${r.amount} (${r.currency})`],
    [t("receipt.pdf.paid_at"), utcMinute(r.paidAt)],
    [t("receipt.pdf.session"), r.sessionId],
  ];
  const x = doc.page.margins.left;
  const valueX = x + 150;
  const width = doc.page.width - doc.page.margins.right - valueX;
  for (const [label, value] of rows) {
    const y = doc.y;
    doc.font("Helvetica-Bold").fontSize(11).text(pdfSafe(label), x, y, { width: 140 });
    doc.font("Helvetica").fontSize(11).text(pdfSafe(value), valueX, y, { width });
    doc.moveDown(0.6);
  }
  doc.moveDown(2).font("Helvetica").fontSize(9).fillColor("#555555").text(pdfSafe(t("receipt.pdf.footer")), x, doc.y, { width: doc.page.width - x - doc.page.margins.right });
  doc.end();
  await done;
  return { bytes: new Uint8Array(Buffer.concat(chunks)), filename: `receipt-${r.invitation}-${r.kind}.pdf`, mime: "application/pdf" };
}
