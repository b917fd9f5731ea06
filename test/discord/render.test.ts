/**
 * The Discord renderer, pure: the core's Reply as an embed, components and
 * files within Discord's limits (bots/discord/limits.ts), markdown escaped,
 * and signed buttons. Every message is checked with the fake Discord API's
 * own validation (test/fakes/discord-api.ts), the one the bot's REST calls
 * meet in the integration tests.
 */
import type { APIEmbed } from "discord-api-types/v10";
import { describe, expect, it } from "vitest";
import { ActionSigner } from "../../core/actions/signer.ts";
import { ManualClock } from "../../core/clock.ts";
import type { Reply, ReplyButton, ReplyField, ReplyImage, ReplyTable } from "../../core/reply.ts";
import { DISCORD_LIMITS } from "../../bots/discord/limits.ts";
import { escapeMarkdown, renderMessage, toDiscordMarkdown, type DiscordMessage } from "../../bots/discord/render.ts";
import { messageProblems } from "../fakes/discord-api.ts";
import { randomReplies } from "../support/random-replies.ts";

const clock = new ManualClock(new Date("2025-03-01T12:00:00Z"));
const signer = new ActionSigner(Buffer.alloc(32, 7), clock);
const sign = (command: string) => signer.sign(command);

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
const image = (filename: string, alt = filename): ReplyImage => ({ png, alt, filename });

const buttonsOf = (m: DiscordMessage) => m.components.flatMap((row) => row.components);
const fieldsOf = (m: DiscordMessage) => m.embeds.flatMap((e) => e.fields ?? []);
const footerOf = (m: DiscordMessage) => m.embeds.flatMap((e) => (e.footer ? [e.footer.text] : []));
/** What Discord shows of escaped markdown: backslash escapes gone, zero-width spaces unseen. */
const shown = (markdown: string) => markdown.replace(/\\([^\w\s])/g, "$1").replace(/\u200b/g, "");
/** The data rows of every code-block table in the message, header and rule left out. */
const tableRows = (m: DiscordMessage) =>
  [...m.embeds.map((e) => e.description ?? ""), ...fieldsOf(m).map((f) => f.value)].flatMap((t) =>
    [...t.matchAll(/```\n([\s\S]*?)\n```/g)].flatMap((block) => block[1]!.split("\n").slice(2)),
  );

const embedChars = (e: APIEmbed) =>
  [e.title, e.description, e.footer?.text, e.author?.name, ...(e.fields ?? []).flatMap((f) => [f.name, f.value])].reduce((n, s) => n + [...(s ?? "")].length, 0);

/** What Discord would refuse (the fake API's check) and what it would accept but we promise never to send. */
function problems(m: DiscordMessage): string[] {
  const { files, ...body } = m;
  const out = messageProblems(body, files.map((f) => f.filename));
  const check = (ok: boolean, what: string) => void (ok || out.push(what));
  const [main] = m.embeds;
  check(main !== undefined && Boolean(main.title || main.description || main.fields?.length || main.image), "no visible first embed");
  for (const e of m.embeds) check(Boolean(e.title || e.description || e.fields?.length || e.image || e.footer), "an empty embed");
  check(m.embeds.reduce((n, e) => n + embedChars(e), 0) <= DISCORD_LIMITS.embedsTotalChars, "over 6000 characters in embeds");
  check(m.files.length <= DISCORD_LIMITS.attachments, `${m.files.length} files`);
  check(new Set(m.files.map((f) => f.filename)).size === m.files.length, "two files with one name");
  check(m.files.every((f) => /^[A-Za-z0-9_-]+\.png$/.test(f.filename)), "a file name Discord would rewrite");
  const referenced = m.embeds.flatMap((e) => (e.image ? [e.image.url.replace("attachment://", "")] : []));
  check(referenced.length === m.files.length, "a file no embed shows");
  for (const b of buttonsOf(m)) {
    check(b.label !== undefined && b.label.trim().length > 0, "a button without a label");
    check([...b.custom_id].length <= DISCORD_LIMITS.customIdChars, "custom_id too long");
  }
  return out;
}

const expectValid = (m: DiscordMessage) => expect(problems(m)).toEqual([]);

describe("toDiscordMarkdown", () => {
  it("keeps the core's markdown subset, which Discord speaks too", () => {
    expect(toDiscordMarkdown("**bold** and _italic_ and `code`")).toBe("**bold** and _italic_ and `code`");
    expect(toDiscordMarkdown("see [the report](https://clout.test/r/42?a=1&b=2)")).toBe("see [the report](https://clout.test/r/42?a=1&b=2)");
    expect(toDiscordMarkdown("- one\n- two\nnot - a bullet")).toBe("- one\n- two\nnot - a bullet");
    expect(toDiscordMarkdown("**[Q3](https://x.test)** done")).toBe("**[Q3](https://x.test)** done");
    expect(toDiscordMarkdown("[**Q3** plan](https://x.test)")).toBe("[**Q3** plan](https://x.test)");
  });

  it("escapes Discord's own markup in user text", () => {
    expect(toDiscordMarkdown("a *b* ~~c~~ ||d|| snake_case_name")).toBe("a \\*b\\* \\~\\~c\\~\\~ \\|\\|d\\|\\| snake\\_case\\_name");
    expect(toDiscordMarkdown("[x](javascript:alert(1)) \\o/")).toBe("\\[x\\](javascript:alert(1)) \\\\o/");
    expect(toDiscordMarkdown("<@123> <#456> <t:1700000000:R> <:emoji:1>")).toBe("\\<@123\\> \\<#456\\> \\<t:1700000000:R\\> \\<:emoji:1\\>");
    // Block syntax that only counts at a line's start: headings, quotes, lists, subtext.
    expect(toDiscordMarkdown("# Big\n> quote\n-# small\n+ item\n1. first\nmid # - > + 2.")).toBe(
      "\\# Big\n\\> quote\n\\-# small\n\\+ item\n1\\. first\nmid # - \\> + 2.",
    );
  });

  it("breaks mass mentions with a zero-width space, in text and in code", () => {
    expect(toDiscordMarkdown("hey @everyone and @here")).toBe("hey @\u200beveryone and @\u200bhere");
    expect(toDiscordMarkdown("`ping @everyone`")).toBe("`ping @\u200beveryone`");
    expect(escapeMarkdown("@HERE")).toBe("@\u200bHERE");
  });

  it("leaves code spans alone apart from mentions", () => {
    expect(toDiscordMarkdown("run `campaign show **x** <a> _b_`")).toBe("run `campaign show **x** <a> _b_`");
  });
});

describe("renderMessage", () => {
  const campaigns: ReplyTable = {
    columns: ["Campaign", "Status", "Budget"],
    rows: [
      ["Summer <Glow>", "active", "USD 12,000.00"],
      ["Salt & Pepper", "draft", "BRL 4,500.00"],
    ],
  };
  const reply: Reply = {
    title: "Campaigns · Acme & Co",
    tone: "success",
    fields: [
      { label: "Workspace", value: "Acme & Co", inline: true },
      { label: "Active", value: "**1**", inline: true },
      { label: "Owner", value: "Murugi <m@acme.test>" },
    ],
    text: "Budgets are **approved** by an admin.\nRun `campaign show <name>`.",
    table: campaigns,
    buttons: [
      { label: "Approve", command: "campaign approve 12", style: "primary" },
      { label: "Reject", command: "campaign reject 12", style: "danger" },
      { label: "Report", command: "report 12 --format pdf" },
    ],
  };

  it("renders a realistic reply as one coloured embed, fields and a row of buttons", () => {
    const out = renderMessage(reply, { sign });
    expectValid(out);
    expect(out.embeds).toHaveLength(1);
    const [embed] = out.embeds as [APIEmbed];
    expect(embed.title).toBe("✅ Campaigns · Acme & Co");
    expect(embed.color).toBe(0x57f287);
    expect(embed.description).toBe(
      [
        "Budgets are **approved** by an admin.",
        "Run `campaign show <name>`.",
        "```",
        "Campaign       Status  Budget",
        "─────────────  ──────  ─────────────",
        "Summer <Glow>  active  USD 12,000.00",
        "Salt & Pepper  draft   BRL 4,500.00",
        "```",
      ].join("\n"),
    );
    expect(embed.fields).toEqual([
      { name: "Workspace", value: "Acme & Co", inline: true },
      { name: "Active", value: "**1**", inline: true },
      { name: "Owner", value: "Murugi \\<m@acme.test\\>" },
    ]);
    expect(embed.footer).toBeUndefined();
    expect(out.components).toHaveLength(1);
    expect(buttonsOf(out).map((b) => [b.type, b.style, b.label])).toEqual([
      [2, 1, "Approve"],
      [2, 4, "Reject"],
      [2, 2, "Report"],
    ]);
    expect(out.flags).toBeUndefined();
    expect(out.files).toEqual([]);
  });

  it("signs every button's command into its custom_id, which verifies back", () => {
    const out = renderMessage(reply, { sign });
    buttonsOf(out).forEach((b, i) => {
      expect(b.custom_id).toBe(signer.sign(reply.buttons![i]!.command));
      expect(signer.verify(b.custom_id)).toBe(reply.buttons![i]!.command);
    });
    expect(signer.sign("campaign approve 12")).toHaveLength(43);
    const [mac, expiry] = buttonsOf(out)[0]!.custom_id.split(".");
    expect(() => signer.verify(`${mac}.${expiry}.campaign approve 13`)).toThrow();
  });

  it("leaves out a button whose signed custom_id would pass 100 characters, and says so", () => {
    const long = `campaign approve "${"x".repeat(80)}"`;
    expect(sign(long).length).toBeGreaterThan(DISCORD_LIMITS.customIdChars);
    const out = renderMessage({ text: "Pick one.", buttons: [{ label: "Long", command: long }, { label: "Fine", command: "help" }] }, { sign });
    expectValid(out);
    expect(buttonsOf(out).map((b) => [b.label, signer.verify(b.custom_id)])).toEqual([["Fine", "help"]]);
    expect(footerOf(out)).toEqual(["… 1 more button not shown"]);
  });

  it("shows a command once though two buttons run it (Discord refuses repeated custom_ids)", () => {
    const out = renderMessage({ text: "x", buttons: [{ label: "A", command: "help" }, { label: "B", command: "help" }] }, { sign });
    expectValid(out);
    expect(buttonsOf(out).map((b) => b.label)).toEqual(["A"]);
    expect(footerOf(out)).toEqual(["… 1 more button not shown"]);
  });

  it("puts 12 buttons in rows of 5, clips labels at 80 and marks ephemeral replies", () => {
    const buttons: ReplyButton[] = Array.from({ length: 12 }, (_, i) => ({ label: `Creator ${i + 1} `.repeat(i ? 1 : 20), command: `creator show ${i + 1}` }));
    const out = renderMessage({ title: "Invite", buttons, ephemeral: true }, { sign });
    expectValid(out);
    expect(out.components.map((r) => r.components.length)).toEqual([5, 5, 2]);
    expect(buttonsOf(out)[0]!.label!.length).toBeLessThanOrEqual(DISCORD_LIMITS.buttonLabelChars);
    expect(buttonsOf(out)[0]!.label!.endsWith("…")).toBe(true);
    expect(out.flags).toBe(64);
  });

  it("leads with the tone: ⚠️ amber for warnings, ❌ red for errors (on the text when there is no title)", () => {
    const error = renderMessage({ tone: "error", text: "Campaign `x` not found." }, { sign });
    expect(error.embeds[0]!.description).toBe("❌ Campaign `x` not found.");
    expect(error.embeds[0]!.color).toBe(0xed4245);
    const warning = renderMessage({ tone: "warning", title: "Budget almost spent" }, { sign });
    expect(warning.embeds[0]!.title).toBe("⚠️ Budget almost spent");
    expect(warning.embeds[0]!.color).toBe(0xf0b232);
  });

  it("shows a campaign named with markup and mentions literally, everywhere it appears", () => {
    const name = '<b>&"x"</b> @everyone **not bold**';
    const out = renderMessage(
      {
        title: name,
        fields: [{ label: name, value: "draft" }],
        table: { columns: ["Name"], rows: [[name]] },
        buttons: [{ label: name, command: "campaign show 3" }],
      },
      { sign },
    );
    expectValid(out);
    const [embed] = out.embeds as [APIEmbed];
    // Plain slots (title, names, cells, labels) show the words: markdown markers are dropped, nothing else is markup.
    const words = '<b>&"x"</b> @everyone not bold';
    expect(shown(embed.title!)).toBe(words);
    expect(embed.title).toBe('\\<b\\>&"x"\\</b\\> @\u200beveryone not bold');
    expect(shown(embed.fields![0]!.name)).toBe(words);
    expect(embed.description).toContain('<b>&"x"</b> @\u200beveryone not bold');
    expect(buttonsOf(out)[0]!.label).toBe(words);
    // In text, the markup is the core's own: user text is escaped, the mention broken.
    expect(toDiscordMarkdown('Campaign <b>&"x"</b> @everyone')).toBe('Campaign \\<b\\>&"x"\\</b\\> @\u200beveryone');
  });

  it("shows a 200-row table in the description and then in fields, heading repeated, the rest counted", () => {
    const rows = Array.from({ length: 200 }, (_, i) => [`Campaign ${i + 1}`, i % 3 ? "active" : "draft", `USD ${(i * 1234.5).toFixed(2)}`, "2025-03-01"]);
    const out = renderMessage({ title: "Campaigns", table: { columns: ["Name", "Status", "Budget", "Start"], rows } }, { sign });
    expectValid(out);
    const shownRows = tableRows(out);
    expect(shownRows.length).toBeGreaterThan(50);
    expect(shownRows.length).toBeLessThan(200);
    expect(shownRows[0]).toMatch(/^Campaign 1\s+draft/);
    expect(shownRows.at(-1)).toMatch(new RegExp(`^Campaign ${shownRows.length}\\s`));
    const main = out.embeds[0]!;
    expect(main.description!.startsWith("```\nName")).toBe(true);
    for (const f of fieldsOf(out)) expect(f.value.split("\n")[1]).toMatch(/^Name\s+Status\s+Budget\s+Start$/);
    expect(fieldsOf(out).at(-1)!.value.endsWith(`\n_… ${200 - shownRows.length} more rows_`)).toBe(true);
    expect(footerOf(out)).toEqual([]);
  });

  it("keeps a huge reply within every limit and says what went", () => {
    const rows = Array.from({ length: 200 }, (_, i) => [`Campaign ${i + 1} & Friends`, "active", `USD ${i}.00`, "2025-03-01", "2025-04-30"]);
    const fields: ReplyField[] = Array.from({ length: 40 }, (_, i) => ({ label: `Metric ${i + 1}`, value: `${i * 10}% of **target**`, inline: i % 2 === 0 }));
    const buttons: ReplyButton[] = Array.from({ length: 30 }, (_, i) => ({ label: `Invite ${i + 1}`, command: `invite ${i + 1} --campaign 7 --fee 100` }));
    const text = Array.from({ length: 400 }, (_, i) => `- line ${i}: **creator** & _brand_ ${"words ".repeat(6)}`).join("\n");
    expect(text.length).toBeGreaterThan(20_000);
    const images = Array.from({ length: 12 }, (_, i) => image(`chart ${i + 1}.png`));
    const out = renderMessage({ title: "Digest", tone: "info", text, fields, buttons, images, table: { columns: ["Name", "Status", "Budget", "Start", "End"], rows } }, { sign });
    expectValid(out);

    expect(out.embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embeds);
    expect(out.embeds.reduce((n, e) => n + embedChars(e), 0)).toBeLessThanOrEqual(DISCORD_LIMITS.embedsTotalChars);
    // Text, table and fields each got a fair part of the 6,000 characters.
    expect(out.embeds[0]!.description!.length).toBeGreaterThan(1000);
    expect(tableRows(out).length).toBeGreaterThan(5);
    expect(fieldsOf(out).filter((f) => f.name.startsWith("Metric")).length).toBeGreaterThan(5);

    expect(out.components).toHaveLength(5);
    expect(buttonsOf(out)).toHaveLength(25);
    buttonsOf(out).forEach((b, i) => expect(signer.verify(b.custom_id)).toBe(buttons[i]!.command));

    expect(out.files.length).toBeGreaterThan(0);
    expect(out.files.length).toBeLessThanOrEqual(DISCORD_LIMITS.attachments);
    expect(out.files[0]).toEqual({ png, alt: "chart 1.png", filename: "chart_1.png" });
    expect(out.embeds[0]!.image).toEqual({ url: "attachment://chart_1.png" });
    expect(footerOf(out)).toEqual(["… truncated to fit a Discord message · … 5 more buttons not shown"]);
    expect(out.embeds.at(-1)!.footer).toBeDefined();
  });

  it("puts each further image in an embed of its own and gives the files names Discord keeps", () => {
    const out = renderMessage({ title: "Charts", images: [image("a b.png", "Reach"), image("a b.png"), image("ünï.PNG")] }, { sign });
    expectValid(out);
    expect(out.files.map((f) => f.filename)).toEqual(["a_b.png", "a_b-2.png", "_n_.png"]);
    expect(out.embeds.map((e) => e.image?.url)).toEqual(["attachment://a_b.png", "attachment://a_b-2.png", "attachment://_n_.png"]);
    expect(out.files[0]!.alt).toBe("Reach");
  });

  it("attaches documents up to the upload size Discord takes, and says when one was left out", () => {
    const doc = (filename: string, bytes: number) => ({ filename, mime: "application/pdf", bytes: new Uint8Array(bytes) });
    const fits = renderMessage({ text: "Report", files: [doc("report-1.pdf", 2_000_000)] }, { sign });
    expect(fits.documents.map((d) => d.filename)).toEqual(["report-1.pdf"]);
    expect(footerOf(fits)).toEqual([]);
    const big = renderMessage({ text: "Report", files: [doc("huge.pdf", DISCORD_LIMITS.uploadBytes + 1), doc("small.pdf", 1_000)] }, { sign });
    expect(big.documents.map((d) => d.filename)).toEqual(["small.pdf"]);
    expect(footerOf(big)).toEqual(["… truncated to fit a Discord message"]);
  });

  it("never sends an empty message", () => {
    for (const r of [{}, { text: "  \n " }, { buttons: [{ label: "Go", command: "help" }] }, { tone: "error" as const }]) {
      const out = renderMessage(r, { sign });
      expectValid(out);
      expect(out.embeds[0]!.description).toBe("Clout");
    }
    const imageOnly = renderMessage({ images: [image("c.png")] }, { sign });
    expectValid(imageOnly);
    expect(imageOnly.embeds[0]!.description).toBeUndefined();
  });

  it("speaks Portuguese in its own notes when asked", () => {
    const out = renderMessage({ table: { columns: ["Nome"], rows: [["Verão"]], total: 3 }, text: "x".repeat(9000) }, { sign, locale: "pt" });
    expect(fieldsOf(out).at(-1)!.value.endsWith("\n_… mais 2 linhas_")).toBe(true);
    expect(footerOf(out)).toEqual(["… cortado para caber numa mensagem do Discord"]);
    const one = renderMessage({ table: { columns: ["Nome"], rows: [["Verão"]], total: 2 }, buttons: [{ label: "x", command: "x".repeat(200) }] }, { sign, locale: "pt" });
    expect(one.embeds[0]!.description!.endsWith("\n_… mais 1 linha_")).toBe(true);
    expect(footerOf(one)).toEqual(["… mais 1 botão não mostrado"]);
  });

  it("never throws or breaks a limit: 300 generated replies (seeded)", () => {
    const replies = randomReplies(20250302, {
      count: 300,
      // Discord's own markdown (headings, quotes, lists, subtext, spoilers, strikes), mentions, and the zero-width space it escapes with.
      pieces: ["# ", "> ", "1. ", "-# ", "\\", "|", "~", "@everyone", "@here", "<@123>", "<#4>", ":x:", "```", '"', "\u200b"],
      longText: 6000,
      fields: { most: 80, usual: 30, longValue: 1500, inline: true },
      tableRows: 300,
      buttons: { most: 40, usual: 14, styled: true, command: (f) => (f.chance(0.1) ? `x ${f.str(60)}` : `campaign approve ${f.int(30)}`) },
      images: { longAlts: false },
      ephemeral: true,
    });
    let i = 0;
    for (const reply of replies) {
      const out = renderMessage(reply, { sign });
      const found = problems(out);
      if (found.length) expect({ reply: i, problems: found }).toEqual({ reply: i, problems: [] });
      for (const b of buttonsOf(out)) expect(reply.buttons!.map((x) => x.command)).toContain(signer.verify(b.custom_id));
      i++;
    }
  });
});
