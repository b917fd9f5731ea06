/**
 * A report asked for in a chat is acknowledged at once, made by a worker (the
 * commands queue) and uploaded into that same chat: files.uploadV2 on Slack,
 * a multipart attachment on the Discord interaction's answer, sendDocument on
 * Telegram, a media upload and a document message on WhatsApp. Each fake API
 * keeps the bytes it got, which are parsed back: the real file, not a stub.
 */
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Team } from "../support/team.ts";
import type { RunnerDeps } from "../../core/commands/run.ts";
import { createTestDatabase } from "../support/database.ts";
import { startDiscordHarness } from "../support/discord.ts";
import { pdfText } from "../support/pdf.ts";
import { startSlackHarness, textOf } from "../support/slack.ts";
import { startTelegramHarness, TELEGRAM_USER } from "../support/telegram.ts";
import { PHONES, startWhatsAppHarness } from "../support/whatsapp.ts";
import { GLOW, seedGlowUp } from "./fixture.ts";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
let env: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  env = await createTestDatabase();
});
afterAll(async () => {
  await env?.drop();
});

/** The workbook's Summary sheet as fact → value. */
async function summaryOf(bytes: Uint8Array): Promise<Map<string, unknown>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as never);
  const rows = new Map<string, unknown>();
  wb.getWorksheet("Summary")!.eachRow((row) => rows.set(String(row.getCell(1).value), row.getCell(2).value));
  return rows;
}

function expectGlowPdf(bytes: Uint8Array) {
  expect(Buffer.from(bytes).subarray(0, 5).toString("latin1")).toBe("%PDF-");
  const text = pdfText(bytes);
  for (const words of ["Glow Up (#1)", GLOW.revenue, GLOW.agreed, "-69.3%", "Amara", "Bruno"]) expect(text, words).toContain(words);
}

async function expectGlowWorkbook(bytes: Uint8Array) {
  const facts = await summaryOf(bytes);
  expect(facts.get("Clicks")).toBe(GLOW.clicks);
  expect(facts.get("Revenue")).toBe(GLOW.revenueMajor);
}

/** The platform's harness for one describe block, with workers, and Glow Up seeded in its team. */
function harness<H extends { app: { runner: RunnerDeps }; team: Team; stop(): Promise<void> }>(start: (url: string, o: { workers: true }) => Promise<H>): () => H {
  let h: H | undefined;
  beforeAll(async () => {
    h = await start(env.url, { workers: true });
    await seedGlowUp(h.app.runner, h.team);
  });
  afterAll(() => h?.stop());
  return () => h!;
}

describe("on Slack", () => {
  const h = harness(startSlackHarness);

  it("says it is working, then uploads the workbook to the channel it was asked in", async () => {
    const ack = await h().command("analyst", 'report "Glow Up" --format xlsx', "report-xlsx");
    expect(ack.status).toBe(200);
    expect(textOf(ack.json)).toContain("Working on it");
    const answer = await h().api.waitForResponse((r) => r.id === "report-xlsx", 15_000);
    expect(textOf(answer.body)).toContain("report-1-glow-up.xlsx");
    await expect.poll(() => h().api.uploads.filter((u) => u.completed).length, { timeout: 15_000 }).toBe(1);
    const [upload] = h().api.uploads.filter((u) => u.completed);
    expect(upload).toMatchObject({ filename: "report-1-glow-up.xlsx", channelId: "C0CAMPAIGN" });
    expect(upload!.length).toBe(upload!.bytes!.length);
    await expectGlowWorkbook(upload!.bytes!);
  });

  it("answers bad input at once, with the formats and an example, and uploads nothing", async () => {
    const before = h().api.uploads.length;
    const ack = await h().command("analyst", 'report "Glow Up" --format doc');
    expect(textOf(ack.json)).toMatch(/pdf, xlsx/);
    expect(textOf(ack.json)).toMatch(/report "Summer Launch" --format pdf/);
    await new Promise((r) => setTimeout(r, 500));
    expect(h().api.uploads).toHaveLength(before);
  });
});

describe("on Discord", () => {
  const h = harness(startDiscordHarness);

  it("answers the interaction with the PDF attached, replacing the working note", async () => {
    const r = await h().command("manager", ["report"], { campaign: "Glow Up", format: "pdf" });
    expect(r.status).toBe(200);
    expect(h().api.deliverResponse(r.req.token, r.json)).toEqual([]);
    expect(JSON.stringify(r.json)).toContain("Working on it");
    const original = await h().api.waitForOriginal(r.req.token, (m) => m.attachments.length > 0, 15_000);
    const [file] = original.attachments;
    expect(file).toMatchObject({ filename: "report-1-glow-up.pdf", contentType: "application/pdf" });
    expectGlowPdf(file!.bytes);
  });

  it("attaches the workbook with its spreadsheet media type, asked as /clout more report (past Discord's 25 subcommands)", async () => {
    const r = await h().command("analyst", ["more", "report"], { campaign: "Glow Up", format: "xlsx" });
    expect(h().api.deliverResponse(r.req.token, r.json)).toEqual([]);
    const original = await h().api.waitForOriginal(r.req.token, (m) => m.attachments.length > 0, 15_000);
    expect(original.attachments[0]).toMatchObject({ filename: "report-1-glow-up.xlsx", contentType: XLSX });
    await expectGlowWorkbook(original.attachments[0]!.bytes);
  });
});

describe("on Telegram", () => {
  const h = harness(startTelegramHarness);

  it("edits the working note into the answer and sends the workbook as a document", async () => {
    const chat = TELEGRAM_USER.analyst.id;
    await h().say("analyst", '/report "Glow Up" --format xlsx');
    const note = await h().api.waitForMessage(chat, (m) => m.text?.includes("report-1-glow-up.xlsx") === true, 15_000);
    expect(note.edit_date).toBeDefined();
    const doc = await h().api.waitForMessage(chat, (m) => m.document !== undefined, 15_000);
    expect(doc.document!.file_name).toBe("report-1-glow-up.xlsx");
    await expectGlowWorkbook(h().api.file(doc.document!.file_id)!.bytes!);
  });
});

describe("on WhatsApp", () => {
  const h = harness(startWhatsAppHarness);

  it("says it is working, uploads the PDF as media and sends it as a document message", async () => {
    await h().say(PHONES.owner, 'report "Glow Up" --format pdf');
    const sent = await h().api.waitForMessage(PHONES.owner.waId, (m) => m.type === "document", 15_000);
    const upload = h().api.uploads.find((u) => u.id === (sent.body.document as { id: string }).id)!;
    expect(upload).toMatchObject({ type: "application/pdf", filename: "report-1-glow-up.pdf" });
    expect((sent.body.document as { filename: string }).filename).toBe("report-1-glow-up.pdf");
    expectGlowPdf(upload.bytes);
    expect(h().api.sent.some((m) => m.to === PHONES.owner.waId && JSON.stringify(m.body).includes("Working on it"))).toBe(true);
  });

  it("uploads the workbook with the spreadsheet media type", async () => {
    await h().say(PHONES.admin, 'report "Glow Up" --format xlsx');
    const sent = await h().api.waitForMessage(PHONES.admin.waId, (m) => m.type === "document", 15_000);
    const upload = h().api.uploads.find((u) => u.id === (sent.body.document as { id: string }).id)!;
    expect(upload).toMatchObject({ type: XLSX, filename: "report-1-glow-up.xlsx" });
    await expectGlowWorkbook(upload.bytes);
  });
});
