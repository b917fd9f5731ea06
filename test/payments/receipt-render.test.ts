/** A reply's files (a PDF receipt) as each adapter sends them: a document after the message, never dropped. */
import { describe, expect, it } from "vitest";
import { renderReply as renderConsole } from "../../bots/console/render.ts";
import { toRequest } from "../../bots/discord/messenger.ts";
import { renderMessage as renderDiscord } from "../../bots/discord/render.ts";
import { renderMessages as renderTelegram } from "../../bots/telegram/render.ts";
import { renderMessages as renderWhatsApp } from "../../bots/whatsapp/render.ts";
import type { Reply } from "../../core/reply.ts";

const pdf = { bytes: new Uint8Array(Buffer.from("%PDF-1.3 test")), filename: "receipt-12-advance.pdf", mime: "application/pdf" };
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
const reply: Reply = { title: "Receipt · Advance of invitation #12", text: "$90.00 paid to Cris Creator.", files: [pdf], images: [{ png, alt: "QR", filename: "qr.png" }] };
const sign = (c: string) => c;

describe("files on every adapter", () => {
  it("console names the file", () => {
    expect(renderConsole(reply)).toContain("[file receipt-12-advance.pdf]");
  });

  it("Telegram sends it as a document after the photos", () => {
    const out = renderTelegram(reply, { sign });
    expect(out.documents).toEqual([pdf]);
    expect(out.photos).toHaveLength(1);
  });

  it("Discord attaches it to the same multipart message, after the images", () => {
    const { body, files } = toRequest(renderDiscord(reply, { sign }));
    expect(body.attachments).toEqual([{ id: "0", filename: "qr.png" }, { id: "1", filename: "receipt-12-advance.pdf" }]);
    expect(files.map((f) => [f.name, f.contentType])).toEqual([["qr.png", "image/png"], ["receipt-12-advance.pdf", "application/pdf"]]);
    expect(Buffer.from(files[1]!.data as Buffer).toString("latin1")).toBe("%PDF-1.3 test");
  });

  it("WhatsApp sends a document message", () => {
    const out = renderWhatsApp(reply, { sign });
    expect(out.at(-1)).toEqual({ type: "document", bytes: pdf.bytes, filename: pdf.filename, mimeType: "application/pdf" });
  });
});
