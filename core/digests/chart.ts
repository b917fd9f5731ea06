import { createCanvas, type SKRSContext2D } from "@napi-rs/canvas";
import { toLocale, type Locale } from "../i18n/locale.ts";
import { translator } from "../i18n/t.ts";
import type { DigestFacts } from "./facts.ts";

/**
 * The digest's picture: engagement (bars) and clicks (line) per day on two
 * axes of their own, beside the creators with the largest part of the
 * engagement. Skia draws it in-process (@napi-rs/canvas ships its binary as
 * an npm package), so no browser and no system cairo are needed; the fonts
 * are the system's DejaVu, which covers Portuguese accents.
 */
const W = 1200;
const H = 640;
const FONT = '"DejaVu Sans", sans-serif';
const INK = "#1f2933";
const MUTED = "#7b8794";
const GRID = "#e4e7eb";
const CLICKS = "#2563eb";
const ENGAGEMENT = "#f59e0b";
const BARS = "#10b981";
const TOP_ROWS = 5;

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A round axis maximum (1, 2, 2.5, 5 × 10ⁿ) at or above the data's, so ticks land on readable numbers. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * magnitude >= value)!;
  return step * magnitude;
}

function text(g: SKRSContext2D, s: string, x: number, y: number, o: { size?: number; color?: string; align?: CanvasTextAlign; bold?: boolean } = {}) {
  g.font = `${o.bold ? "bold " : ""}${o.size ?? 14}px ${FONT}`;
  g.fillStyle = o.color ?? INK;
  g.textAlign = o.align ?? "left";
  g.textBaseline = "middle";
  g.fillText(s, x, y);
}

/** Cuts a label to fit `width`, with an ellipsis, so a long name never runs into the bar. */
function fit(g: SKRSContext2D, s: string, width: number): string {
  if (g.measureText(s).width <= width) return s;
  let cut = s;
  while (cut.length > 1 && g.measureText(`${cut}…`).width > width) cut = cut.slice(0, -1);
  return `${cut}…`;
}

function series(g: SKRSContext2D, facts: DigestFacts, box: Box, locale: Locale) {
  const t = translator(locale);
  const count = new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 });
  const days = facts.daily;
  const clickMax = niceMax(Math.max(...days.map((d) => d.clicks), 0));
  const engagementMax = niceMax(Math.max(...days.map((d) => d.engagement), 0));
  const ticks = 4;
  g.lineWidth = 1;
  for (let i = 0; i <= ticks; i++) {
    const y = box.y + box.h - (box.h * i) / ticks;
    g.strokeStyle = GRID;
    g.beginPath();
    g.moveTo(box.x, y);
    g.lineTo(box.x + box.w, y);
    g.stroke();
    text(g, count.format((clickMax * i) / ticks), box.x - 8, y, { size: 12, color: CLICKS, align: "right" });
    text(g, count.format((engagementMax * i) / ticks), box.x + box.w + 8, y, { size: 12, color: ENGAGEMENT });
  }
  const slot = box.w / Math.max(days.length, 1);
  const xAt = (i: number) => box.x + slot * (i + 0.5);
  g.fillStyle = ENGAGEMENT;
  days.forEach((d, i) => {
    const h = (d.engagement / engagementMax) * box.h;
    g.fillRect(xAt(i) - slot * 0.3, box.y + box.h - h, slot * 0.6, h);
  });
  g.strokeStyle = CLICKS;
  g.lineWidth = 3;
  g.beginPath();
  days.forEach((d, i) => {
    const y = box.y + box.h - (d.clicks / clickMax) * box.h;
    if (i === 0) g.moveTo(xAt(i), y);
    else g.lineTo(xAt(i), y);
  });
  g.stroke();
  g.fillStyle = CLICKS;
  days.forEach((d, i) => {
    g.beginPath();
    g.arc(xAt(i), box.y + box.h - (d.clicks / clickMax) * box.h, 4, 0, Math.PI * 2);
    g.fill();
  });
  // At most about eight date labels, whatever the period's length.
  const every = Math.max(1, Math.ceil(days.length / 8));
  days.forEach((d, i) => {
    if (i % every === 0) text(g, d.date.slice(5), xAt(i), box.y + box.h + 16, { size: 12, color: MUTED, align: "center" });
  });
  g.fillStyle = CLICKS;
  g.fillRect(box.x, box.y - 30, 14, 14);
  text(g, t("digest.chart.clicks"), box.x + 20, box.y - 23, { size: 13 });
  g.fillStyle = ENGAGEMENT;
  g.fillRect(box.x + 160, box.y - 30, 14, 14);
  text(g, t("digest.chart.engagement"), box.x + 180, box.y - 23, { size: 13 });
}

function leaders(g: SKRSContext2D, facts: DigestFacts, box: Box, locale: Locale) {
  const t = translator(locale);
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  text(g, t("digest.chart.top"), box.x, box.y - 23, { size: 15, bold: true });
  const rows = facts.creators.filter((c) => c.engagement > 0).slice(0, TOP_ROWS);
  if (rows.length === 0) {
    text(g, t("digest.chart.no_engagement"), box.x, box.y + 30, { size: 14, color: MUTED });
    return;
  }
  const labelW = 150;
  const rowH = Math.min(56, box.h / TOP_ROWS);
  const barW = box.w - labelW - 56;
  rows.forEach((c, i) => {
    const y = box.y + rowH * i + rowH / 2;
    const share = c.engagementShare ?? 0;
    g.font = `14px ${FONT}`;
    text(g, fit(g, c.name, labelW - 10), box.x, y, { size: 14 });
    g.fillStyle = GRID;
    g.fillRect(box.x + labelW, y - 11, barW, 22);
    g.fillStyle = BARS;
    g.fillRect(box.x + labelW, y - 11, Math.max(2, barW * share), 22);
    text(g, percent.format(share), box.x + labelW + barW + 8, y, { size: 13, bold: true });
  });
}

export async function renderDigestChart(facts: DigestFacts, locale: Locale = toLocale(facts.workspace.locale)): Promise<Buffer> {
  const t = translator(locale);
  const canvas = createCanvas(W, H);
  const g = canvas.getContext("2d");
  g.fillStyle = "#ffffff";
  g.fillRect(0, 0, W, H);
  const scope = facts.campaign ? facts.campaign.name : facts.workspace.name;
  const from = facts.period.from.slice(0, 10);
  const to = new Date(new Date(facts.period.to).getTime() - 1).toISOString().slice(0, 10);
  text(g, t("digest.chart.title", { scope }), 40, 36, { size: 22, bold: true });
  text(g, t("digest.chart.period", { from, to }), 40, 66, { size: 14, color: MUTED });
  series(g, facts, { x: 90, y: 130, w: 620, h: 430 }, locale);
  leaders(g, facts, { x: 800, y: 130, w: 370, h: 430 }, locale);
  return canvas.encode("png");
}
