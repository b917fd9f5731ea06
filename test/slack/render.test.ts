/**
 * The Slack renderer, pure: the core's Reply as Block Kit within Slack's limits
 * (bots/slack/limits.ts), markdown → mrkdwn with escaping, and signed buttons.
 */
import type { ActionsBlock, Button, ContextBlock, HeaderBlock, KnownBlock, SectionBlock } from "@slack/types";
import { describe, expect, it } from "vitest";
import { ActionSigner } from "../../core/actions/signer.ts";
import { ManualClock } from "../../core/clock.ts";
import type { Reply, ReplyButton, ReplyField, ReplyTable } from "../../core/reply.ts";
import { SLACK_LIMITS, SLACK_STYLE } from "../../bots/slack/limits.ts";
import { BUTTON_ACTION_ID, renderMessage, renderView, toMrkdwn } from "../../bots/slack/render.ts";
import { randomReplies } from "../support/random-replies.ts";

const clock = new ManualClock(new Date("2025-03-01T12:00:00Z"));
const signer = new ActionSigner(Buffer.alloc(32, 7), clock);
const sign = (command: string) => signer.sign(command);

const isSection = (b: KnownBlock): b is SectionBlock => b.type === "section";
const isActions = (b: KnownBlock): b is ActionsBlock => b.type === "actions";
const isContext = (b: KnownBlock): b is ContextBlock => b.type === "context";
const isHeader = (b: KnownBlock): b is HeaderBlock => b.type === "header";
const sectionTexts = (blocks: KnownBlock[]) => blocks.filter(isSection).flatMap((s) => (s.text ? [s.text.text] : []));
const contextTexts = (blocks: KnownBlock[]) => blocks.filter(isContext).flatMap((c) => c.elements.map((e) => ("text" in e ? e.text : "")));
const buttonsOf = (blocks: KnownBlock[]) => blocks.filter(isActions).flatMap((a) => a.elements as Button[]);
/** The data rows of the code-block tables (header and rule lines left out). */
const tableRows = (blocks: KnownBlock[]) =>
  sectionTexts(blocks)
    .filter((t) => t.startsWith("```"))
    .flatMap((t) => t.slice(4, -4).split("\n").slice(2));

/** Every limit in limits.ts, checked on one rendering; also that mrkdwn is well escaped. */
function expectWithinLimits(out: { text: string; blocks: KnownBlock[] }, maxBlocks: number) {
  expect(limitProblems(out, maxBlocks)).toEqual([]);
}

/** What breaks a limit, as readable lines (plain checks: vitest's expect is too slow for thousands of them). */
function limitProblems(out: { text: string; blocks: KnownBlock[] }, maxBlocks: number): string[] {
  const L = SLACK_LIMITS;
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => void (ok || problems.push(what));
  const text = (where: string, t: string, max: number, escaped = true) => {
    check(t.trim().length > 0, `${where}: blank text`);
    check(t.length <= max, `${where}: ${t.length} > ${max} characters`);
    if (escaped) for (const p of escapeProblems(t)) problems.push(`${where}: ${p}`);
  };
  check(out.blocks.length > 0, "no blocks");
  check(out.blocks.length <= maxBlocks, `${out.blocks.length} blocks > ${maxBlocks}`);
  text("fallback text", out.text, L.fallbackText);
  const actionIds = new Set<string>();
  out.blocks.forEach((b, n) => {
    const at = `block ${n} (${b.type})`;
    if (isHeader(b)) {
      check(b.text.type === "plain_text", `${at}: not plain_text`);
      text(at, b.text.text, L.headerText, false);
    } else if (isSection(b)) {
      check(Boolean(b.text) || Boolean(b.fields?.length), `${at}: neither text nor fields`);
      if (b.text) text(at, b.text.text, L.sectionText);
      check((b.fields?.length ?? 0) <= L.sectionFields, `${at}: ${b.fields?.length} fields`);
      for (const f of b.fields ?? []) text(`${at} field`, f.text, L.sectionFieldText);
    } else if (isContext(b)) {
      check(b.elements.length > 0 && b.elements.length <= L.contextElements, `${at}: ${b.elements.length} elements`);
      for (const e of b.elements) text(`${at} element`, "text" in e ? e.text : "", L.contextText);
    } else if (isActions(b)) {
      const max = Math.min(L.actionsElements, SLACK_STYLE.buttonsPerActions);
      check(b.elements.length > 0 && b.elements.length <= max, `${at}: ${b.elements.length} elements`);
      for (const e of b.elements as Button[]) {
        check(e.type === "button", `${at}: ${e.type}`);
        text(`${at} button text`, e.text.text, L.buttonText, false);
        check((e.value?.length ?? 0) > 0 && e.value!.length <= L.buttonValue, `${at}: value of ${e.value?.length}`);
        check(BUTTON_ACTION_ID.test(e.action_id ?? "") && e.action_id!.length <= L.actionId, `${at}: action_id ${e.action_id}`);
        check(!actionIds.has(e.action_id!), `${at}: duplicate action_id ${e.action_id}`);
        actionIds.add(e.action_id!);
        check(e.style === undefined || e.style === "primary" || e.style === "danger", `${at}: style ${e.style}`);
      }
    } else {
      problems.push(`${at}: unexpected block type`);
    }
  });
  return problems;
}

/** Every & starts an entity and every < opens one of our links, closed in the same text. */
function escapeProblems(mrkdwn: string): string[] {
  const problems: string[] = [];
  if (mrkdwn.replace(/&(amp|lt|gt);/g, "").includes("&")) problems.push(`bare & in ${JSON.stringify(mrkdwn.slice(0, 200))}`);
  if (/[<>]/.test(mrkdwn.replace(/<https?:\/\/[^\s|<>]+\|[^<>]*>/g, ""))) problems.push(`bare < or > in ${JSON.stringify(mrkdwn.slice(0, 200))}`);
  return problems;
}

const expectEscaped = (mrkdwn: string) => expect(escapeProblems(mrkdwn)).toEqual([]);

describe("toMrkdwn", () => {
  it("converts the core's markdown subset", () => {
    expect(toMrkdwn("**bold** and _italic_ and `code`")).toBe("*bold* and _italic_ and `code`");
    expect(toMrkdwn("see [the report](https://clout.test/r/42)")).toBe("see <https://clout.test/r/42|the report>");
    expect(toMrkdwn("- one\n- two\nnot - a bullet")).toBe("• one\n• two\nnot - a bullet");
    expect(toMrkdwn("  - nested")).toBe("  • nested");
    expect(toMrkdwn("**[Q3](https://x.test)** done")).toBe("*<https://x.test|Q3>* done");
    expect(toMrkdwn("[**Q3** plan](https://x.test)")).toBe("<https://x.test|*Q3* plan>");
  });

  it("escapes &, < and > in user text", () => {
    expect(toMrkdwn("Campaign <script>alert(1)</script>")).toBe("Campaign &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(toMrkdwn("**Salt & Pepper** a & b")).toBe("*Salt &amp; Pepper* a &amp; b");
    expect(toMrkdwn("hey <!channel> <@U123>")).toBe("hey &lt;!channel&gt; &lt;@U123&gt;");
    expect(toMrkdwn("already &amp; escaped")).toBe("already &amp;amp; escaped");
  });

  it("keeps the links it makes, escaping & and the link's own delimiters inside them", () => {
    expect(toMrkdwn("[Q3 & more](https://x.test/r?a=1&b=2)")).toBe("<https://x.test/r?a=1&amp;b=2|Q3 &amp; more>");
    expect(toMrkdwn("[a](https://x.test/p|q)")).toBe("<https://x.test/p%7Cq|a>");
    // Only http(s) links become links; anything else stays visible text.
    expect(toMrkdwn("[x](javascript:alert(1))")).toBe("[x](javascript:alert(1))");
  });

  it("leaves code spans alone apart from escaping", () => {
    expect(toMrkdwn("run `campaign show **x** <a & b>`")).toBe("run `campaign show **x** &lt;a &amp; b&gt;`");
    expect(toMrkdwn("`[a](https://x.test)`")).toBe("`[a](https://x.test)`");
  });

  it("is not fooled by placeholder-like input", () => {
    expect(toMrkdwn("a\u00000\u0000b `c`")).toBe("a0b `c`");
  });
});

describe("renderMessage", () => {
  const campaigns: ReplyTable = {
    columns: ["Campaign", "Status", "Budget"],
    rows: [
      ["Summer <Glow>", "active", "USD 12,000.00"],
      ["Salt & Pepper", "draft", "BRL 4,500.00"],
      ["Q4 Launch", "submitted", "EUR 9,000.00"],
    ],
  };
  const reply: Reply = {
    title: "Campaigns · Acme & Co",
    tone: "info",
    fields: [
      { label: "Workspace", value: "Acme & Co", inline: true },
      { label: "Active", value: "**1**", inline: true },
      { label: "Owner", value: "Murugi <m@acme.test>" },
    ],
    text: "Budgets are **approved** by an admin.\nSee [the guide](https://clout.test/docs?a=1&b=2) or run `campaign show <name>`.",
    table: campaigns,
    buttons: [
      { label: "Approve Summer <Glow>", command: 'campaign approve "Summer <Glow>"', style: "primary" },
      { label: "Reject", command: 'campaign reject "Summer <Glow>"', style: "danger" },
      { label: "Report", command: 'report "Summer <Glow>" --format pdf' },
    ],
  };

  it("renders a realistic reply as header, fields, table, text and actions", () => {
    const out = renderMessage(reply, { sign });
    expect(out.blocks.map((b) => b.type)).toEqual(["header", "section", "section", "section", "actions"]);
    const [header, fields, table, text, actions] = out.blocks as [HeaderBlock, SectionBlock, SectionBlock, SectionBlock, ActionsBlock];

    // plain_text is literal: no escaping in the header.
    expect(header.text).toEqual({ type: "plain_text", text: "Campaigns · Acme & Co", emoji: true });
    expect(fields.fields!.map((f) => f.text)).toEqual(["*Workspace*\nAcme &amp; Co", "*Active*\n*1*", "*Owner*\nMurugi &lt;m@acme.test&gt;"]);

    expect(table.text!.text).toBe(
      [
        "```",
        "Campaign       Status     Budget",
        "─────────────  ─────────  ─────────────",
        "Summer &lt;Glow&gt;  active     USD 12,000.00",
        "Salt &amp; Pepper  draft      BRL 4,500.00",
        "Q4 Launch      submitted  EUR 9,000.00",
        "```",
      ].join("\n"),
    );
    expect(text.text!.text).toBe(
      "Budgets are *approved* by an admin.\nSee <https://clout.test/docs?a=1&amp;b=2|the guide> or run `campaign show &lt;name&gt;`.",
    );

    const buttons = actions.elements as Button[];
    expect(buttons.map((b) => [b.action_id, b.text.text, b.style])).toEqual([
      ["clout:btn:0", "Approve Summer <Glow>", "primary"],
      ["clout:btn:1", "Reject", "danger"],
      ["clout:btn:2", "Report", undefined],
    ]);
    expect(buttons[2]).not.toHaveProperty("style");

    expect(out.text).toBe(
      "Campaigns · Acme &amp; Co\nBudgets are approved by an admin.\nSee the guide (https://clout.test/docs?a=1&amp;b=2) or run campaign show &lt;name&gt;.",
    );
    expect(out.files).toEqual([]);
    expectWithinLimits(out, SLACK_LIMITS.blocksPerMessage);
  });

  it("signs every button's command: the value is what sign() returned, and it verifies back", () => {
    const out = renderMessage(reply, { sign });
    const buttons = buttonsOf(out.blocks);
    expect(buttons).toHaveLength(3);
    buttons.forEach((b, i) => {
      const command = reply.buttons![i]!.command;
      expect(b.value).toBe(signer.sign(command)); // the clock stands still: signing is deterministic
      expect(signer.verify(b.value!)).toBe(command);
    });
    const [mac = "", expiry = ""] = buttons[0]!.value!.split(".");
    expect(() => signer.verify(`${mac}.${expiry}.campaign approve everything`)).toThrow();
    expect(() => signer.verify(`${mac}.zzzzzzzz.${reply.buttons![0]!.command}`)).toThrow();
    expect(() => signer.verify(`${mac.slice(0, -1)}x.${expiry}.${reply.buttons![0]!.command}`)).toThrow();
    expect(() => signer.verify("no dots at all")).toThrow();
    // Bound to a workspace, a payload verifies only for that workspace's members.
    const scoped = signer.sign("campaign approve 12", "workspace-a");
    expect(signer.verify(scoped, "workspace-a")).toBe("campaign approve 12");
    expect(() => signer.verify(scoped, "workspace-b")).toThrow();
    expect(() => signer.verify(scoped)).toThrow();
    expect(scoped).toHaveLength(signer.sign("campaign approve 12").length);
    clock.advance(31 * 86_400_000);
    try {
      expect(() => signer.verify(buttons[0]!.value!)).toThrow();
    } finally {
      clock.advance(-31 * 86_400_000);
    }
  });

  it("calls sign() once per button shown, with the button's command", () => {
    const seen: string[] = [];
    const out = renderMessage(reply, { sign: (c) => (seen.push(c), `signed:${seen.length}`) });
    expect(seen).toEqual(reply.buttons!.map((b) => b.command));
    expect(buttonsOf(out.blocks).map((b) => b.value)).toEqual(["signed:1", "signed:2", "signed:3"]);
  });

  it("leads an error's text with :warning: (and a success title with a check)", () => {
    const error = renderMessage({ tone: "error", ephemeral: true, text: "Campaign `x` not found.\nExample: `campaign show Summer`" }, { sign });
    expect(sectionTexts(error.blocks)[0]).toBe(":warning: Campaign `x` not found.\nExample: `campaign show Summer`");
    expect(error.text.startsWith(":warning: ")).toBe(true);
    const ok = renderMessage({ tone: "success", title: "Workspace created", text: "Welcome." }, { sign });
    expect((ok.blocks[0] as HeaderBlock).text.text).toBe(":white_check_mark: Workspace created");
    expect(sectionTexts(ok.blocks)).toEqual(["Welcome."]);
  });

  it("truncates the header at 150 characters with an ellipsis", () => {
    const out = renderMessage({ title: `${"Campaign ".repeat(30)}end`, text: "x" }, { sign });
    const header = out.blocks[0] as HeaderBlock;
    expect(header.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    expect(header.text.text.endsWith("…")).toBe(true);
    expect(header.text.text.startsWith("Campaign Campaign")).toBe(true);
  });

  it("renders 200 campaigns within 50 blocks, every row shown, no section over 3000 characters", () => {
    const rows = Array.from({ length: 200 }, (_, i) => [
      `Campaign ${i + 1} & Friends`,
      i % 3 ? "active" : "draft",
      `USD ${(i * 1234.5).toFixed(2)}`,
      "2025-03-01",
      "2025-04-30",
    ]);
    const out = renderMessage({ title: "Campaigns", table: { columns: ["Name", "Status", "Budget", "Start", "End"], rows } }, { sign });
    expectWithinLimits(out, SLACK_LIMITS.blocksPerMessage);
    for (const t of sectionTexts(out.blocks)) expect(t.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    const shown = tableRows(out.blocks);
    expect(shown).toHaveLength(200);
    expect(shown[199]).toContain("Campaign 200 &amp; Friends");
    // Each section repeats the header.
    for (const t of sectionTexts(out.blocks)) expect(t.split("\n")[1]).toMatch(/^Name\s+Status\s+Budget\s+Start\s+End$/);
    expect(contextTexts(out.blocks)).toEqual([]);
  });

  it("says how many rows are not shown when the table is one page of more", () => {
    const rows = Array.from({ length: 200 }, (_, i) => [`Campaign ${i + 1}`, "active"]);
    const out = renderMessage({ table: { columns: ["Name", "Status"], rows, total: 1000 } }, { sign });
    expect(tableRows(out.blocks)).toHaveLength(200);
    expect(contextTexts(out.blocks)).toEqual(["… 800 more rows"]);
  });

  it("drops the rows that do not fit 50 blocks and says how many, keeping the buttons", () => {
    const wide = (i: number) => Array.from({ length: 8 }, (_, c) => `campaign-${i}-column-${c}-${"x".repeat(40)}`);
    const rows = Array.from({ length: 2000 }, (_, i) => wide(i));
    const buttons = Array.from({ length: 3 }, (_, i) => ({ label: `Page ${i + 2}`, command: `campaign list --page ${i + 2}` }));
    const table = { columns: wide(0).map((_, c) => `Col ${c}`), rows };
    const out = renderMessage({ title: "All campaigns", text: "Newest first.", table, buttons }, { sign });
    expectWithinLimits(out, SLACK_LIMITS.blocksPerMessage);
    expect(out.blocks).toHaveLength(SLACK_LIMITS.blocksPerMessage);
    const shown = tableRows(out.blocks).length;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(2000);
    expect(contextTexts(out.blocks)).toEqual([`… ${2000 - shown} more rows`]);
    expect(buttonsOf(out.blocks)).toHaveLength(3);
    expect(out.blocks.at(-1)!.type).toBe("actions");
    // Cells were clipped to the table's cell width.
    expect(tableRows(out.blocks)[0]).toContain("…");
  });

  it("gives a view (App Home, modal) up to 100 blocks", () => {
    const rows = Array.from({ length: 2000 }, (_, i) => Array.from({ length: 8 }, (_, c) => `campaign-${i}-column-${c}-${"x".repeat(40)}`));
    const table = { columns: rows[0]!.map((_, c) => `Col ${c}`), rows };
    const message = renderMessage({ table }, { sign }).blocks;
    const view = renderView({ table }, { sign });
    expect(view.length).toBeGreaterThan(SLACK_LIMITS.blocksPerMessage);
    expect(view.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerView);
    expect(tableRows(view).length).toBeGreaterThan(tableRows(message).length);
    expectWithinLimits({ text: "x", blocks: view }, SLACK_LIMITS.blocksPerView);
  });

  it("puts 30 fields in sections of at most 10", () => {
    const fields: ReplyField[] = Array.from({ length: 30 }, (_, i) => ({ label: `Metric ${i + 1}`, value: `${i * 10}` }));
    const out = renderMessage({ fields }, { sign });
    const sections = out.blocks.filter(isSection);
    expect(sections.map((s) => s.fields?.length)).toEqual([10, 10, 10]);
    expect(sections.flatMap((s) => s.fields!.map((f) => f.text))).toEqual(fields.map((f) => `*${f.label}*\n${f.value}`));
    expectWithinLimits(out, SLACK_LIMITS.blocksPerMessage);
  });

  it("clips a field over 2000 characters and shows an empty value as a dash", () => {
    const out = renderMessage({ fields: [{ label: "Notes", value: "word & ".repeat(500) }, { label: "Empty", value: "  " }] }, { sign });
    const [long, empty] = out.blocks.filter(isSection)[0]!.fields!;
    expect(long!.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionFieldText);
    expect(long!.text.endsWith("…")).toBe(true);
    expectEscaped(long!.text);
    expect(empty!.text).toBe("*Empty*\n—");
  });

  it("puts 12 buttons in actions blocks of at most 5", () => {
    const buttons: ReplyButton[] = Array.from({ length: 12 }, (_, i) => ({
      label: `Creator ${i + 1}`,
      command: `invite "Creator ${i + 1}" --campaign Summer --fee 100`,
      ...(i === 0 ? { style: "primary" as const } : {}),
    }));
    const out = renderMessage({ title: "Invite", buttons }, { sign });
    const actions = out.blocks.filter(isActions);
    expect(actions.map((a) => a.elements.length)).toEqual([5, 5, 2]);
    expect(out.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
    const shown = buttonsOf(out.blocks);
    expect(shown.map((b) => b.action_id)).toEqual(buttons.map((_, i) => `clout:btn:${i}`));
    shown.forEach((b, i) => expect(signer.verify(b.value!)).toBe(buttons[i]!.command));
    expect(shown[0]!.style).toBe("primary");
    expectWithinLimits(out, SLACK_LIMITS.blocksPerMessage);
  });

  it("truncates button labels at 75 characters", () => {
    const out = renderMessage({ buttons: [{ label: "Approve ".repeat(20), command: "campaign approve x" }] }, { sign });
    const [button] = buttonsOf(out.blocks);
    expect(button!.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonText);
    expect(button!.text.text.endsWith("…")).toBe(true);
  });

  it("leaves out a button whose signed payload would not fit Slack's value, and says so", () => {
    const out = renderMessage(
      { text: "Pick one.", buttons: [{ label: "Huge", command: `creator add ${"x".repeat(3000)}` }, { label: "Fine", command: "help" }] },
      { sign },
    );
    const shown = buttonsOf(out.blocks);
    expect(shown.map((b) => [b.action_id, b.text.text])).toEqual([["clout:btn:1", "Fine"]]);
    expect(contextTexts(out.blocks)).toEqual(["… 1 more button not shown"]);
    expectWithinLimits(out, SLACK_LIMITS.blocksPerMessage);
  });

  it("splits a 10,000-character text into sections under 3000 characters, on line boundaries", () => {
    const lines = Array.from({ length: 200 }, (_, i) => `- line ${String(i).padStart(3, "0")}: **${"creator & brand ".repeat(3)}**`);
    const text = lines.join("\n");
    expect(text.length).toBeGreaterThan(10_000);
    const out = renderMessage({ title: "Digest", text }, { sign });
    const sections = sectionTexts(out.blocks);
    expect(sections.length).toBeGreaterThan(3);
    for (const s of sections) expect(s.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    // Nothing lost, nothing split mid-line.
    expect(sections.join("\n")).toBe(toMrkdwn(text));
    expect(out.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
    expectWithinLimits(out, SLACK_LIMITS.blocksPerMessage);
  });

  it("cuts a single 10,000-character line without breaking its links or entities", () => {
    const text = Array.from({ length: 200 }, (_, i) => `a & b [link ${i}](https://clout.test/r/${i}?x=1&y=2) <tag>`).join(" ");
    const out = renderMessage({ text }, { sign });
    const sections = sectionTexts(out.blocks);
    expect(sections.length).toBeGreaterThan(3);
    for (const s of sections) {
      expect(s.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      expectEscaped(s);
    }
    expect(sections.join("").replace(/\s/g, "")).toBe(toMrkdwn(text).replace(/\s/g, ""));
  });

  it("truncates text that does not fit 50 blocks, keeps the buttons, and says it was truncated", () => {
    const text = Array.from({ length: 3000 }, (_, i) => `paragraph ${i}: ${"lorem ipsum ".repeat(6)}`).join("\n");
    const out = renderMessage({ title: "Too long", text, buttons: [{ label: "Report", command: "report Summer --format pdf" }] }, { sign });
    expectWithinLimits(out, SLACK_LIMITS.blocksPerMessage);
    expect(out.blocks).toHaveLength(SLACK_LIMITS.blocksPerMessage);
    expect(contextTexts(out.blocks)).toEqual(["… truncated to fit a Slack message"]);
    expect(out.blocks.at(-2)!.type).toBe("context");
    expect(out.blocks.at(-1)!.type).toBe("actions");
  });

  it("honours a smaller maxBlocks", () => {
    const fields = Array.from({ length: 100 }, (_, i) => ({ label: `F${i}`, value: "v" }));
    const out = renderMessage({ title: "T", fields, buttons: [{ label: "Go", command: "help" }] }, { sign, maxBlocks: 5 });
    expect(out.blocks.map((b) => b.type)).toEqual(["header", "section", "section", "context", "actions"]);
  });

  it("returns images as files to upload, not blocks", () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    const out = renderMessage({ title: "Digest", images: [{ png, alt: "Engagement by week", filename: "digest.png" }] }, { sign });
    expect(out.files).toEqual([{ png, alt: "Engagement by week", filename: "digest.png" }]);
    expect(out.blocks.map((b) => b.type)).toEqual(["header"]);
    const imageOnly = renderMessage({ images: [{ png, alt: "Chart", filename: "c.png" }] }, { sign });
    expect(imageOnly.text).toBe("Chart");
    expect(imageOnly.blocks).toHaveLength(1);
  });

  it("speaks Portuguese in its own notes when asked", () => {
    const out = renderMessage({ table: { columns: ["Nome"], rows: [["Verão"]], total: 3 } }, { sign, locale: "pt" });
    expect(contextTexts(out.blocks)).toEqual(["… mais 2 linhas"]);
  });

  it("never throws or breaks a limit: 200 generated replies (seeded)", () => {
    const replies = randomReplies(20250301, {
      count: 200,
      // mrkdwn's own syntax: the link delimiter, mentions, and entities whole and in parts.
      pieces: ["|", ";", "amp", "&amp;", "<!channel>"],
      longText: 6000,
      fields: { most: 600, usual: 25, longValue: 2000, inline: true },
      tableRows: 300,
      // A command too long for a button's value must be left out, not cut.
      buttons: { most: 300, usual: 14, styled: true, command: (f) => (f.chance(0.05) ? "x".repeat(3000) : `campaign approve ${f.str(5)}`) },
    });
    for (const reply of replies) {
      const message = renderMessage(reply, { sign });
      expectWithinLimits(message, SLACK_LIMITS.blocksPerMessage);
      for (const b of buttonsOf(message.blocks)) expect(reply.buttons!.map((x) => x.command)).toContain(signer.verify(b.value!));
      const view = renderView(reply, { sign });
      expectWithinLimits({ text: "x", blocks: view }, SLACK_LIMITS.blocksPerView);
    }
  });
});
