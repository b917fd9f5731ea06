import ExcelJS from "exceljs";
import type { Translate } from "../i18n/t.ts";
import { minorDigits } from "../money.ts";
import type { ReportContent, Value, ValueKind } from "./content.ts";

export const XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const WIDTH: Record<ValueKind, number> = { text: 24, count: 12, money: 16, percent: 11, date: 12, moment: 17 };

/** Money is stored in major units (what a spreadsheet sums), shown with the currency's own digits and code. */
function moneyFormat(currency: string): string {
  const digits = minorDigits(currency);
  return `#,##0${digits ? `.${"0".repeat(digits)}` : ""} "${currency}"`;
}

function numFmt(kind: ValueKind, currency: string): string | undefined {
  switch (kind) {
    case "count":
      return "#,##0";
    case "money":
      return moneyFormat(currency);
    case "percent":
      return "0.0%";
    case "date":
      return "yyyy-mm-dd";
    case "moment":
      return "yyyy-mm-dd hh:mm";
    default:
      return undefined;
  }
}

/** A value as the cell holds it: numbers and dates stay numbers and dates (UTC), so the sheet can sort and sum them. */
function cellValue(kind: ValueKind, value: Value, currency: string): ExcelJS.CellValue {
  if (value === null) return null;
  if (kind === "money" && typeof value === "number") return value / 10 ** minorDigits(currency);
  if (kind === "date" && typeof value === "string") return new Date(`${value}T00:00:00Z`);
  return value;
}

/** Excel refuses sheet names over 31 characters or with []:*?/\ in them. */
const sheetName = (s: string) => s.replace(/[[\]:*?/\\]/g, " ").slice(0, 31);

function header(row: ExcelJS.Row) {
  row.font = { bold: true };
  row.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE4E7EB" } };
}

/**
 * The report as an Excel workbook, one sheet per section: Summary (the
 * facts), Creators, Posts, Clicks by day, Conversions, each with a frozen
 * header row.
 */
export async function reportWorkbook(c: ReportContent, t: Translate): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Clout";
  wb.created = c.generatedAt;
  wb.title = `${c.campaign.name} (#${c.campaign.number})`;

  const summary = wb.addWorksheet(sheetName(t("report.sheet.summary")), { views: [{ state: "frozen", ySplit: 1 }] });
  summary.columns = [
    { header: t("report.col.fact"), width: 32 },
    { header: t("report.col.value"), width: 28 },
  ];
  header(summary.getRow(1));
  for (const f of c.facts) {
    const row = summary.addRow([f.label, cellValue(f.kind, f.value, c.currency)]);
    const fmt = numFmt(f.kind, c.currency);
    if (fmt) row.getCell(2).numFmt = fmt;
    row.getCell(2).alignment = { horizontal: "right" };
  }
  summary.addRow([]);
  summary.addRow([c.formulas]).font = { italic: true };
  if (c.empty) summary.addRow([t("report.empty")]).font = { italic: true };

  for (const s of c.sections) {
    const ws = wb.addWorksheet(sheetName(s.title), { views: [{ state: "frozen", ySplit: 1 }] });
    ws.columns = s.columns.map((col) => ({ header: col.header, width: col.wide ? 48 : WIDTH[col.kind] }));
    header(ws.getRow(1));
    const formats = s.columns.map((col) => numFmt(col.kind, c.currency));
    for (const values of s.rows) {
      const row = ws.addRow(values.map((v, i) => cellValue(s.columns[i]!.kind, v, c.currency)));
      formats.forEach((fmt, i) => {
        if (fmt) row.getCell(i + 1).numFmt = fmt;
      });
    }
    if (s.note) ws.addRow([s.note]).font = { italic: true };
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
