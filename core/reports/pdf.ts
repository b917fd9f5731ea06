import PDFDocument from "pdfkit";
import { utcMinute } from "../dates.ts";
import type { Locale } from "../i18n/locale.ts";
import type { Translate } from "../i18n/t.ts";
import { pdfSafe } from "../payments/receipt.ts";
import { formatValue, type Column, type ReportContent } from "./content.ts";

const MARGIN = 48;
const INK = "#1f2933";
const MUTED = "#616e7c";
const RULE = "#cbd2d9";
const STRIPE = "#f5f7fa";
const ROW_H = 16;
const FOOTER_H = 28;
/** Of the table's width, the creator's name takes this much; the figures share the rest. */
const NAME_SHARE = 0.22;

type Doc = PDFKit.PDFDocument;

/** Cuts a cell's text to its width with an ellipsis, so a long name never runs into the next column. */
function fit(doc: Doc, s: string, width: number): string {
  const safe = pdfSafe(s);
  if (doc.widthOfString(safe) <= width) return safe;
  let cut = safe;
  while (cut.length > 1 && doc.widthOfString(`${cut}…`) > width) cut = cut.slice(0, -1);
  return `${cut}…`;
}

function heading(doc: Doc, s: string) {
  doc.moveDown(1).font("Helvetica-Bold").fontSize(13).fillColor(INK).text(pdfSafe(s), MARGIN, doc.y);
  doc.moveDown(0.4);
}

/** Room left on this page above the footer; a new page when `height` doesn't fit. */
function ensure(doc: Doc, height: number): boolean {
  if (doc.y + height <= doc.page.height - MARGIN - FOOTER_H) return false;
  doc.addPage();
  return true;
}

function facts(doc: Doc, c: ReportContent, locale: Locale) {
  const width = doc.page.width - 2 * MARGIN;
  const colW = width / 2;
  const labelW = colW * 0.5;
  for (let i = 0; i < c.facts.length; i += 2) {
    ensure(doc, ROW_H);
    const y = doc.y;
    for (const [j, f] of c.facts.slice(i, i + 2).entries()) {
      const x = MARGIN + j * colW;
      doc.font("Helvetica").fontSize(8.5).fillColor(MUTED).text(fit(doc, f.label, labelW - 6), x, y, { width: labelW - 6, lineBreak: false });
      doc.font("Helvetica-Bold").fontSize(9).fillColor(INK);
      doc.text(fit(doc, formatValue(f.kind, f.value, c.currency, locale), colW - labelW - 12), x + labelW, y, { width: colW - labelW - 12, lineBreak: false });
    }
    doc.x = MARGIN;
    doc.y = y + ROW_H;
  }
  doc.moveDown(0.5).font("Helvetica").fontSize(8).fillColor(MUTED).text(pdfSafe(c.formulas), MARGIN, doc.y, { width });
}

function creatorTable(doc: Doc, c: ReportContent, locale: Locale) {
  const section = c.sections.find((s) => s.key === "creators")!;
  const picked = section.columns.map((col, i) => [col, i] as [Column, number]).filter(([col]) => col.brief);
  const width = doc.page.width - 2 * MARGIN;
  const nameW = width * NAME_SHARE;
  const otherW = (width - nameW) / (picked.length - 1);
  const widths = picked.map(([col]) => (col.kind === "text" ? nameW : otherW));
  const xs = widths.map((_, i) => MARGIN + widths.slice(0, i).reduce((a, b) => a + b, 0));

  const row = (cells: string[], o: { header?: boolean; fill?: string }) => {
    const y = doc.y;
    if (o.fill) doc.rect(MARGIN, y - 3, width, ROW_H).fill(o.fill);
    // Headers a size smaller: "Conversions" fits a column of figures.
    doc.font(o.header ? "Helvetica-Bold" : "Helvetica").fontSize(o.header ? 7.5 : 8.5).fillColor(INK);
    cells.forEach((s, i) => {
      const kind = picked[i]![0].kind;
      doc.text(fit(doc, s, widths[i]! - 6), xs[i]! + 3, y, { width: widths[i]! - 6, align: kind === "text" ? "left" : "right", lineBreak: false });
    });
    doc.x = MARGIN;
    doc.y = y + ROW_H;
  };
  const head = () => {
    row(picked.map(([col]) => col.header), { header: true });
    doc.moveTo(MARGIN, doc.y - 3).lineTo(MARGIN + width, doc.y - 3).strokeColor(RULE).lineWidth(0.5).stroke();
  };

  ensure(doc, 3 * ROW_H);
  head();
  section.rows.forEach((values, n) => {
    // A page break repeats the header, so every page of the table reads on its own.
    if (ensure(doc, ROW_H)) head();
    row(picked.map(([col, i]) => formatValue(col.kind, values[i]!, c.currency, locale)), n % 2 ? { fill: STRIPE } : {});
  });
}

/**
 * The report as an A4 PDF: title and period, the facts, the daily chart,
 * then every creator in a table that carries on over as many pages as it
 * needs, each page footed with where it comes from and its number. Content
 * streams are left uncompressed, so its words stay readable in the bytes.
 */
export async function reportPdf(c: ReportContent, chart: Buffer | null, t: Translate, locale: Locale): Promise<Uint8Array> {
  const title = `${c.campaign.name} (#${c.campaign.number})`;
  const doc = new PDFDocument({ size: "A4", margin: MARGIN, compress: false, bufferPages: true, info: { Title: pdfSafe(`${t("report.pdf.title")}: ${title}`), Author: "Clout", Subject: pdfSafe(c.workspace), CreationDate: c.generatedAt } });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    doc.on("end", resolve);
    doc.on("error", reject);
  });
  const width = doc.page.width - 2 * MARGIN;

  doc.font("Helvetica-Bold").fontSize(20).fillColor(INK).text(pdfSafe(t("report.pdf.title")));
  doc.moveDown(0.2).fontSize(15).text(pdfSafe(title));
  const running = c.period.running ? ` · ${t("report.running")}` : "";
  doc.moveDown(0.3).font("Helvetica").fontSize(10).fillColor(MUTED).text(pdfSafe(t("report.pdf.subtitle", { workspace: c.workspace, from: c.period.from, to: c.period.to, running })));
  doc.text(pdfSafe(t("report.pdf.generated", { at: utcMinute(c.generatedAt) })));
  if (c.empty) doc.moveDown(0.6).font("Helvetica-Oblique").fontSize(10).fillColor(INK).text(pdfSafe(t("report.empty")), { width });

  heading(doc, t("report.pdf.facts"));
  facts(doc, c, locale);

  if (chart) {
    const height = (width * 640) / 1200;
    heading(doc, t("report.pdf.chart"));
    ensure(doc, height);
    doc.image(chart, MARGIN, doc.y, { width });
    doc.y += height;
  }

  heading(doc, t("report.pdf.creators"));
  const creators = c.sections.find((s) => s.key === "creators")!;
  if (creators.rows.length) creatorTable(doc, c, locale);
  else doc.font("Helvetica").fontSize(10).fillColor(MUTED).text(pdfSafe(t("report.pdf.no_creators")), MARGIN, doc.y);

  const pages = doc.bufferedPageRange();
  for (let i = 0; i < pages.count; i++) {
    doc.switchToPage(pages.start + i);
    // Inside the bottom margin pdfkit would start a new page for the footer; for its line the margin is lifted.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font("Helvetica").fontSize(8).fillColor(MUTED).text(pdfSafe(t("report.pdf.footer", { workspace: c.workspace, campaign: title, page: i + 1, pages: pages.count })), MARGIN, doc.page.height - MARGIN + 8, { width, align: "center", lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}
