/**
 * The Telegram renderer, pure: the core's Reply as HTML messages (pages)
 * within Telegram's limits (bots/telegram/limits.ts), with signed inline
 * keyboards. Every message goes through the fake Bot API's own check
 * (test/fakes/telegram-api.ts, a port of Telegram's HTML parser), strictly.
 */
import { describe, expect, it } from "vitest";
import { ActionSigner } from "../../core/actions/signer.ts";
import { ManualClock } from "../../core/clock.ts";
import type { Reply, ReplyButton, ReplyField, ReplyImage } from "../../core/reply.ts";
import { TELEGRAM_LIMITS, TELEGRAM_STYLE } from "../../bots/telegram/limits.ts";
import { escapeHtml, renderMessages, toHtml, type TelegramMessage, type TelegramReply } from "../../bots/telegram/render.ts";
import { messageProblems, parseHtml, parseHtmlEntities } from "../fakes/telegram-api.ts";
import { randomReplies } from "../support/random-replies.ts";

const clock = new ManualClock(new Date("2025-03-01T12:00:00Z"));
const signer = new ActionSigner(Buffer.alloc(32, 7), clock);
const sign = (command: string) => signer.sign(command);

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
const image = (filename: string, alt = filename): ReplyImage => ({ png, alt, filename });

const buttonsOf = (out: TelegramReply) => out.messages.flatMap((m) => m.reply_markup?.inline_keyboard.flat() ?? []);
const shown = (m: TelegramMessage) => parseHtml(m.text);

/** What Telegram would refuse (the fake API's check) and what it would take but we promise never to send. */
function problems(out: TelegramReply): string[] {
  const found: string[] = [];
  const check = (ok: boolean, what: string) => void (ok || found.push(what));
  check(out.messages.length > 0 && out.messages.length <= TELEGRAM_STYLE.pages, `${out.messages.length} messages`);
  out.messages.forEach((m, n) => {
    for (const p of messageProblems({ ...m }, { strictHtml: true })) found.push(`message ${n}: ${p}`);
    check(m.parse_mode === "HTML" && m.link_preview_options.is_disabled, `message ${n}: options`);
    check(n === out.messages.length - 1 || !m.reply_markup, `message ${n}: a keyboard before the last message`);
    check(!/<(?!\/?(b|i|code|pre|a)[ >])/.test(m.text), `message ${n}: a tag we do not make`);
    let parsed;
    try {
      parsed = parseHtmlEntities(m.text);
    } catch {
      return;
    }
    check(parsed.text.length <= TELEGRAM_LIMITS.textChars, `message ${n}: ${parsed.text.length} characters shown`);
    // Telegram lets no entity hold or cross a code span or a <pre> block.
    for (const code of parsed.entities.filter((e) => e.type === "code" || e.type === "pre")) {
      const crossing = parsed.entities.filter((e) => e !== code && e.offset < code.offset + code.length && code.offset < e.offset + e.length);
      check(crossing.length === 0, `message ${n}: ${crossing.map((e) => e.type).join(", ")} across a ${code.type}`);
    }
  });
  const keyboard = out.messages.at(-1)?.reply_markup?.inline_keyboard ?? [];
  check(keyboard.length <= TELEGRAM_STYLE.keyboardRows, `${keyboard.length} keyboard rows`);
  check(keyboard.every((row) => row.length > 0 && row.length <= TELEGRAM_STYLE.rowButtons), "a keyboard row of the wrong size");
  check(out.photos.length <= TELEGRAM_LIMITS.mediaGroup, `${out.photos.length} photos`);
  check(out.photos.every((p) => p.alt.length <= TELEGRAM_LIMITS.captionChars), "a caption too long");
  return found;
}

const expectValid = (out: TelegramReply) => expect(problems(out)).toEqual([]);

describe("toHtml", () => {
  it("converts the core's markdown subset", () => {
    expect(toHtml("**bold** and _italic_ and `code`")).toBe("<b>bold</b> and <i>italic</i> and <code>code</code>");
    expect(toHtml("see [the report](https://clout.test/r/42?a=1&b=2)")).toBe('see <a href="https://clout.test/r/42?a=1&amp;b=2">the report</a>');
    expect(toHtml("- one\n- two\nnot - a bullet")).toBe("• one\n• two\nnot - a bullet");
    expect(toHtml("**[Q3](https://x.test)** done")).toBe('<b><a href="https://x.test">Q3</a></b> done');
    expect(toHtml("[**Q3** plan](https://x.test)")).toBe('<a href="https://x.test"><b>Q3</b> plan</a>');
    expect(toHtml("snake_case_name")).toBe("snake_case_name");
  });

  it("escapes &, <, > and quotes in user text and link addresses", () => {
    expect(toHtml('Campaign <script>alert("1")</script> & co')).toBe("Campaign &lt;script&gt;alert(&quot;1&quot;)&lt;/script&gt; &amp; co");
    expect(toHtml("already &amp; escaped")).toBe("already &amp;amp; escaped");
    expect(toHtml('[x](https://x.test/?q="a"&b=<c>)')).toBe('[x](https://x.test/?q=&quot;a&quot;&amp;b=&lt;c&gt;)');
    expect(toHtml('[x](https://x.test/?q="a"&b=1)')).toBe('<a href="https://x.test/?q=&quot;a&quot;&amp;b=1">x</a>');
    expect(toHtml("[x](javascript:alert(1))")).toBe("[x](javascript:alert(1))");
    expect(escapeHtml(`<a href="x">&</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
  });

  it("nests every tag properly, and keeps code spans out of other entities", () => {
    expect(toHtml("**a _b** c_")).toBe("<b>a _b</b> c_");
    expect(toHtml("_a **b** c_")).toBe("<i>a <b>b</b> c</i>");
    expect(toHtml("**run `campaign show x`**")).toBe("<b>run campaign show x</b>");
    expect(toHtml("run `campaign show **x** <a>`")).toBe("run <code>campaign show **x** &lt;a&gt;</code>");
    for (const md of ["**a _b** c_", "[a **b](https://x.test) c**", "_`x` **y _z**_"]) expect(() => parseHtml(toHtml(md), { strict: true })).not.toThrow();
  });
});

describe("renderMessages", () => {
  const reply: Reply = {
    title: "Campaigns · Acme & Co",
    tone: "success",
    fields: [
      { label: "Workspace", value: "Acme & Co", inline: true },
      { label: "Active", value: "**1**", inline: true },
    ],
    table: {
      columns: ["Campaign", "Status"],
      rows: [
        ["Summer <Glow>", "active"],
        ["Salt & Pepper", "draft"],
      ],
    },
    text: "Budgets are **approved** by an admin.\nSee [the guide](https://clout.test/docs).",
    buttons: [
      { label: "Approve", command: "campaign approve 12", style: "primary" },
      { label: "Reject", command: "campaign reject 12", style: "danger" },
      { label: "Report", command: "report 12 --format pdf" },
      { label: "Show", command: "campaign show 12" },
    ],
  };

  it("renders a realistic reply as one HTML message with its keyboard", () => {
    const out = renderMessages(reply, { sign });
    expectValid(out);
    expect(out.messages).toHaveLength(1);
    const [m] = out.messages as [TelegramMessage];
    expect(m.text).toBe(
      [
        "✅ <b>Campaigns · Acme &amp; Co</b>",
        "",
        "<b>Workspace</b>: Acme &amp; Co",
        "<b>Active</b>: <b>1</b>",
        "",
        "<pre>Campaign       Status",
        "─────────────  ──────",
        "Summer &lt;Glow&gt;  active",
        "Salt &amp; Pepper  draft</pre>",
        "",
        "Budgets are <b>approved</b> by an admin.",
        'See <a href="https://clout.test/docs">the guide</a>.',
      ].join("\n"),
    );
    expect(m.parse_mode).toBe("HTML");
    expect(m.link_preview_options).toEqual({ is_disabled: true });
    expect(m.reply_markup!.inline_keyboard.map((row) => row.map((b) => b.text))).toEqual([["Approve", "Reject", "Report"], ["Show"]]);
    expect(out.photos).toEqual([]);
  });

  it("signs every button's command into its callback_data, which verifies back", () => {
    const out = renderMessages(reply, { sign });
    buttonsOf(out).forEach((b, i) => {
      expect(b.callback_data).toBe(signer.sign(reply.buttons![i]!.command));
      expect(signer.verify(b.callback_data)).toBe(reply.buttons![i]!.command);
    });
    expect(Buffer.byteLength(buttonsOf(out)[0]!.callback_data)).toBe(43);
  });

  it("leaves out a button whose signed callback_data passes 64 bytes, counting bytes not characters", () => {
    const accented = "creator show Conceição Gonçalves Araújo"; // 39 characters, 43 bytes
    expect(sign(accented).length).toBeLessThanOrEqual(TELEGRAM_LIMITS.callbackDataBytes);
    expect(Buffer.byteLength(sign(accented))).toBeGreaterThan(TELEGRAM_LIMITS.callbackDataBytes);
    const out = renderMessages({ text: "Pick one.", buttons: [{ label: "Verão", command: accented }, { label: "Fine", command: "help" }] }, { sign });
    expectValid(out);
    expect(buttonsOf(out).map((b) => [b.text, signer.verify(b.callback_data)])).toEqual([["Fine", "help"]]);
    expect(out.messages.at(-1)!.text).toBe("Pick one.\n\n<i>… 1 more button not shown</i>");
  });

  it("leads an error's text with ❌ when there is no title", () => {
    const out = renderMessages({ tone: "error", text: "Campaign `x` not found." }, { sign });
    expect(out.messages[0]!.text).toBe("❌ Campaign <code>x</code> not found.");
    const list = renderMessages({ tone: "warning", text: "\n- first\n- second" }, { sign });
    expect(list.messages[0]!.text).toBe("⚠️ • first\n• second");
  });

  it("pages 28 KB of text into messages of at most 4096 characters, nothing lost, the keyboard on the last", () => {
    const lines = Array.from({ length: 300 }, (_, i) => `- line ${String(i).padStart(3, "0")}: **creator** & _brand_, see [the report](https://clout.test/r/${i}?utm=digest) words`);
    const text = lines.join("\n");
    expect(text.length).toBeGreaterThan(20_000);
    const out = renderMessages({ title: "Digest", text, buttons: [{ label: "More", command: "digest now" }] }, { sign });
    expectValid(out);
    expect(out.messages.length).toBeGreaterThan(3);
    for (const m of out.messages) expect(shown(m).length).toBeLessThanOrEqual(TELEGRAM_LIMITS.textChars);
    expect(out.messages.slice(0, -1).every((m) => !m.reply_markup)).toBe(true);
    expect(buttonsOf(out)).toHaveLength(1);
    const visible = out.messages.map(shown).join("\n").split("\n").filter((l) => l.startsWith("•"));
    expect(visible).toEqual(lines.map((l) => parseHtml(toHtml(l))));
  });

  it("splits one very long line between tags, never inside one", () => {
    const text = Array.from({ length: 300 }, (_, i) => `a & b [link ${i}](https://clout.test/r/${i}?x=1&y=2) **bold ${i}** <tag>`).join(" ");
    const out = renderMessages({ text }, { sign });
    expectValid(out);
    expect(out.messages.length).toBeGreaterThan(2);
    const all = out.messages.map(shown).join(" ");
    expect(all.replace(/\s+/g, " ")).toBe(parseHtml(toHtml(text)).replace(/\s+/g, " "));
    // Every link survives whole, on one page or the next.
    expect(out.messages.reduce((n, m) => n + (m.text.match(/<a href=/g) ?? []).length, 0)).toBe(300);
  });

  it("shows a 200-row table in <pre> blocks, the heading repeated on each page", () => {
    const rows = Array.from({ length: 200 }, (_, i) => [`Campaign ${i + 1} & Friends`, i % 3 ? "active" : "draft", `USD ${(i * 1234.5).toFixed(2)}`, "2025-03-01", "2025-04-30"]);
    const out = renderMessages({ title: "Campaigns", table: { columns: ["Name", "Status", "Budget", "Start", "End"], rows } }, { sign });
    expectValid(out);
    expect(out.messages.length).toBeGreaterThan(1);
    const blocks = out.messages.flatMap((m) => [...m.text.matchAll(/<pre>([\s\S]*?)<\/pre>/g)].map((b) => parseHtml(b[1]!).split("\n")));
    for (const b of blocks) expect(b[0]).toMatch(/^Name\s+Status\s+Budget\s+Start\s+End$/);
    const shownRows = blocks.flatMap((b) => b.slice(2));
    expect(shownRows).toHaveLength(200);
    expect(shownRows[199]).toMatch(/^Campaign 200 & Friends\s+active/);
  });

  it("keeps a huge reply within every limit and says what went", () => {
    const rows = Array.from({ length: 200 }, (_, i) => [`Campaign ${i + 1}`, "active", `USD ${i}.00`]);
    const fields: ReplyField[] = Array.from({ length: 40 }, (_, i) => ({ label: `Metric ${i + 1}`, value: `${i * 10}% of **target**`, inline: true }));
    const buttons: ReplyButton[] = Array.from({ length: 30 }, (_, i) => ({ label: `Invite ${i + 1}`, command: `invite ${i + 1} --campaign 7` }));
    const text = Array.from({ length: 400 }, (_, i) => `paragraph ${i}: **creator** & _brand_ ${"lorem ipsum ".repeat(4)}`).join("\n");
    const images = Array.from({ length: 12 }, (_, i) => image(`chart-${i + 1}.png`, `Chart ${i + 1}: ${"reach ".repeat(300)}`));
    const out = renderMessages({ title: "Digest", text, fields, buttons, images, table: { columns: ["Name", "Status", "Budget"], rows, total: 500 } }, { sign });
    expectValid(out);
    expect(out.messages).toHaveLength(TELEGRAM_STYLE.pages);
    const all = out.messages.map(shown).join("\n");
    expect(all).toContain("Metric 40: 390% of target");
    expect(all).toContain("Campaign 200");
    expect(all).toContain("… 300 more rows");
    expect(shown(out.messages.at(-1)!).endsWith("… truncated to fit a Telegram message · … 6 more buttons not shown")).toBe(true);
    const keyboard = out.messages.at(-1)!.reply_markup!.inline_keyboard;
    expect(keyboard.map((r) => r.length)).toEqual([3, 3, 3, 3, 3, 3, 3, 3]);
    buttonsOf(out).forEach((b, i) => expect(signer.verify(b.callback_data)).toBe(buttons[i]!.command));
    expect(out.photos.map((p) => p.filename)).toEqual(images.slice(0, 10).map((i) => i.filename));
    expect(out.photos[0]!.alt.length).toBeLessThanOrEqual(TELEGRAM_LIMITS.captionChars);
    expect(out.photos[0]!.alt.endsWith("…")).toBe(true);
  });

  it("shows a campaign named with markup literally, everywhere it appears", () => {
    const name = '<b>&"x"</b> @everyone **not bold**';
    const out = renderMessages(
      { title: name, fields: [{ label: name, value: "draft" }], table: { columns: ["Name"], rows: [[name]] }, buttons: [{ label: name, command: "campaign show 3" }] },
      { sign },
    );
    expectValid(out);
    const words = '<b>&"x"</b> @everyone not bold';
    const [m] = out.messages as [TelegramMessage];
    expect(shown(m).split("\n")).toEqual([words, "", `${words}: draft`, "", "Name", "─".repeat(words.length), words]);
    // The only entities are the renderer's own: the title, the field's label, the table.
    expect(parseHtmlEntities(m.text).entities.map((e) => e.type)).toEqual(["bold", "bold", "pre"]);
    expect(buttonsOf(out)[0]!.text).toBe(words);
  });

  it("never sends an empty message", () => {
    for (const r of [{}, { text: " \n\t " }, { tone: "error" as const }, { buttons: [{ label: "Go", command: "help" }] }, { table: { columns: [], rows: [[""], [" "]] } }]) {
      const out = renderMessages(r, { sign });
      expectValid(out);
      expect(out.messages.map((m) => m.text)).toEqual(["Clout"]);
    }
    const imageOnly = renderMessages({ images: [image("c.png", "Engagement <by> week")] }, { sign });
    expectValid(imageOnly);
    expect(imageOnly.messages.map((m) => m.text)).toEqual(["Engagement &lt;by&gt; week"]);
    expect(imageOnly.photos).toEqual([image("c.png", "Engagement <by> week")]);
  });

  it("speaks Portuguese in its own notes when asked", () => {
    const out = renderMessages(
      { table: { columns: ["Nome"], rows: [["Verão"]], total: 3 }, buttons: [{ label: "x", command: "x".repeat(100) }] },
      { sign, locale: "pt" },
    );
    expect(shown(out.messages[0]!).split("\n").slice(-3)).toEqual(["… mais 2 linhas", "", "… mais 1 botão não mostrado"]);
    const long = renderMessages({ text: "palavra ".repeat(5000) }, { sign, locale: "pt" });
    expect(shown(long.messages.at(-1)!).endsWith("… cortado para caber numa mensagem do Telegram")).toBe(true);
  });

  it("never throws or breaks a limit: 300 generated replies (seeded)", () => {
    const replies = randomReplies(20250303, {
      count: 300,
      // HTML parse mode: tags, entities and quotes in user text, accents, and a lone surrogate.
      pieces: ["\t", "&amp;", "&#33;", "</b>", "<b>", '"', "'", '<a href="x">', "ã", "São João", "\ud800", '[x](https://x.test/"q")', "_it `c`_"],
      longText: 8000,
      fields: { most: 300, usual: 30, longValue: 1500, inline: false },
      tableRows: 600,
      buttons: { most: 40, usual: 14, styled: false, command: (f) => (f.chance(0.1) ? `x ${f.str(30)}` : `campaign approve ${f.int(30)}`) },
      // Alt text becomes a caption, which has its own limit.
      images: { longAlts: true },
    });
    let i = 0;
    for (const reply of replies) {
      const out = renderMessages(reply, { sign });
      const found = problems(out);
      if (found.length) expect({ reply: i, problems: found }).toEqual({ reply: i, problems: [] });
      for (const b of buttonsOf(out)) expect(reply.buttons!.map((x) => x.command)).toContain(signer.verify(b.callback_data));
      i++;
    }
  });
});
