import QRCode from "qrcode";
import type { ReplyImage } from "../reply.ts";

/**
 * A QR code of a URL as PNG bytes. Medium error correction survives a printed
 * code that is a little scuffed; a quiet zone of 4 modules is what phone
 * cameras need to find it on a busy poster.
 */
export async function qrPng(url: string): Promise<Uint8Array> {
  const png = await QRCode.toBuffer(url, { type: "png", errorCorrectionLevel: "M", margin: 4, scale: 8 });
  return new Uint8Array(png);
}

export async function qrImage(url: string, alt: string, filename: string): Promise<ReplyImage> {
  return { png: await qrPng(url), alt, filename };
}
