import { DiscordAPIError, HTTPError, makeURLSearchParams, REST } from "@discordjs/rest";
import { Routes, type APIApplication, type APIApplicationCommand, type APIDMChannel, type APIMessage, type APIUser } from "discord-api-types/v10";
import { createPublicKey, verify } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { commandProblems, FakeDiscordApi, messageProblems, type FakeDiscordCall } from "./discord-api.ts";
import { DiscordInteractions, tampered, withoutSignature, type SignedRequest } from "./discord-interactions.ts";

const BOT_TOKEN = "MTE4MDAwMDAwMDAwMDAwMDAwMQ.Gfake1.bot-token-for-tests";
const APP = "1180000000000000001";
const GUILD = "1180000000000000100";
const CHANNEL = "1180000000000000200";
const USER = "1180000000000000300";
// A 1×1 transparent PNG.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

const discord = new DiscordInteractions({ applicationId: APP });
const fake = new FakeDiscordApi({
  botToken: BOT_TOKEN,
  applicationId: APP,
  publicKey: discord.publicKeyHex,
  users: { [USER]: { username: "ana", globalName: "Ana Souza" } },
  guilds: [GUILD],
});

let rest: REST;
const clients: REST[] = [];

/** The real client against the fake; a fresh one per test, so no bucket state leaks between tests. */
function client(token = BOT_TOKEN, retries = 3): REST {
  const r = new REST({ api: fake.url, version: "10", retries }).setToken(token);
  clients.push(r);
  return r;
}

async function apiError(p: Promise<unknown>): Promise<DiscordAPIError> {
  const err = await p.then(
    () => {
      throw new Error("expected the request to fail");
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DiscordAPIError);
  return err as DiscordAPIError;
}

/** Statuses of the calls to one path since the test began. */
function statuses(calls: FakeDiscordCall[]): number[] {
  return calls.map((c) => c.status);
}

const cloutCommand = () => ({
  name: "clout",
  description: "Run Clout",
  options: [
    {
      type: 2,
      name: "campaign",
      description: "Campaigns",
      options: [
        {
          type: 1,
          name: "create",
          description: "Create a campaign",
          description_localizations: { "pt-BR": "Criar uma campanha" },
          options: [
            { type: 3, name: "name", description: "Campaign name", required: true },
            { type: 4, name: "budget", description: "Budget in minor units", required: true },
            { type: 3, name: "currency", description: "ISO currency", choices: [{ name: "BRL", value: "BRL" }, { name: "USD", value: "USD" }] },
          ],
        },
      ],
    },
    { type: 1, name: "help", description: "Show help", options: [{ type: 3, name: "command", description: "A command", autocomplete: true }] },
  ],
});

beforeAll(() => fake.start());
afterAll(() => fake.stop());
beforeEach(() => {
  fake.reset();
  rest = client();
});
afterEach(() => {
  for (const r of clients.splice(0)) {
    r.clearHashSweeper();
    r.clearHandlerSweeper();
  }
});

describe("FakeDiscordApi through the real @discordjs/rest", () => {
  it("answers the bot user and the application for the bot token, 401 otherwise", async () => {
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/);
    const me = (await rest.get(Routes.user())) as APIUser;
    expect(me).toMatchObject({ id: APP, bot: true, username: "Clout" });
    const app = (await rest.get(Routes.currentApplication())) as APIApplication;
    expect(app).toMatchObject({ id: APP, verify_key: discord.publicKeyHex, bot: { id: APP } });
    expect(fake.callsTo({ path: "/users/@me" })[0]).toMatchObject({ method: "GET", token: BOT_TOKEN, status: 200 });

    const err = await apiError(client("not-the-token").get(Routes.user()));
    expect(err.status).toBe(401);
    expect(err.code).toBe(0);
    expect(err.rawError).toEqual({ message: "401: Unauthorized", code: 0 });
  });

  it("bulk-overwrites global and guild commands, keeping ids and bumping versions like Discord", async () => {
    const body = [cloutCommand()];
    const global = (await rest.put(Routes.applicationCommands(APP), { body })) as APIApplicationCommand[];
    expect(global).toHaveLength(1);
    expect(global[0]).toMatchObject({ name: "clout", type: 1, application_id: APP, default_member_permissions: null });
    expect(global[0]!.id).toMatch(/^\d{17,20}$/);
    expect(global[0]!.version).toMatch(/^\d{17,20}$/);
    expect(global[0]).not.toHaveProperty("guild_id");
    expect(global[0]!.options).toEqual(body[0]!.options);
    expect(await rest.get(Routes.applicationCommands(APP))).toEqual(global);

    const guild = (await rest.put(Routes.applicationGuildCommands(APP, GUILD), { body })) as APIApplicationCommand[];
    expect(guild[0]).toMatchObject({ name: "clout", guild_id: GUILD, application_id: APP });
    expect(fake.commandsOf(GUILD)).toEqual(guild);

    const again = (await rest.put(Routes.applicationCommands(APP), { body })) as APIApplicationCommand[];
    expect(again[0]).toMatchObject({ id: global[0]!.id, version: global[0]!.version });
    const changed = (await rest.put(Routes.applicationCommands(APP), { body: [{ ...cloutCommand(), description: "Run Clout!" }] })) as APIApplicationCommand[];
    expect(changed[0]!.id).toBe(global[0]!.id);
    expect(changed[0]!.version).not.toBe(global[0]!.version);

    const elsewhere = await apiError(rest.put(Routes.applicationGuildCommands(APP, "1180000000000009999"), { body }));
    expect([elsewhere.status, elsewhere.code]).toEqual([403, 50001]);
    const otherApp = await apiError(rest.put(Routes.applicationCommands("1180000000000000002"), { body }));
    expect([otherApp.status, otherApp.code]).toEqual([403, 50001]);
  });

  it("refuses a command set Discord would refuse with 50035 and keeps the previous one", async () => {
    await rest.put(Routes.applicationCommands(APP), { body: [cloutCommand()] });
    const bad = [{ ...cloutCommand(), name: "Clout" }];
    const err = await apiError(rest.put(Routes.applicationCommands(APP), { body: bad }));
    expect([err.status, err.code]).toEqual([400, 50035]);
    expect(err.rawError).toMatchObject({
      message: "Invalid Form Body",
      errors: { 0: { name: { _errors: [{ code: "APPLICATION_COMMAND_INVALID_NAME", message: "Command name is invalid" }] } } },
    });
    expect(err.message).toBe(`Invalid Form Body\n${commandProblems(bad).join("\n")}`);
    expect(fake.commandsOf()[0]!.name).toBe("clout");
  });

  it("commandProblems checks names, descriptions, option counts and order, choices, nesting, types and duplicates", () => {
    const withOption = (option: Record<string, unknown>) => [{ name: "clout", description: "Run Clout", options: [option] }];
    const sub = (options: unknown[]) => withOption({ type: 1, name: "help", description: "Help", options });
    const str = (name: string, extra: Record<string, unknown> = {}) => ({ type: 3, name, description: name, ...extra });

    expect(commandProblems([cloutCommand()])).toEqual([]);
    expect(commandProblems([{ name: "कार्य", description: "Devanagari names are allowed" }, { name: "criar-campanha_2", description: "ok" }])).toEqual([]);
    expect(commandProblems({})).toEqual(["BASE_TYPE_ARRAY: Must be an array."]);

    const cases: [unknown, string][] = [
      [[{ name: "Clout", description: "x" }], "0.name[APPLICATION_COMMAND_INVALID_NAME]"],
      [[{ name: "two words", description: "x" }], "0.name[APPLICATION_COMMAND_INVALID_NAME]"],
      [[{ name: "a".repeat(33), description: "x" }], "0.name[APPLICATION_COMMAND_INVALID_NAME]"],
      [[{ name: "clout", description: "" }], "0.description[BASE_TYPE_BAD_LENGTH]: Must be between 1 and 100 in length."],
      [[{ name: "clout", description: "d".repeat(101) }], "0.description[BASE_TYPE_BAD_LENGTH]"],
      [[{ name: "clout", description: "x", description_localizations: { "pt-BR": "d".repeat(101) } }], "0.description_localizations.pt-BR[BASE_TYPE_BAD_LENGTH]"],
      [[{ name: "clout", description: "x", description_localizations: { pt: "Criar" } }], "0.description_localizations.pt[BASE_TYPE_CHOICES]"],
      [[{ name: "clout", description: "x", name_localizations: { "pt-BR": "Criar" } }], "0.name_localizations.pt-BR[APPLICATION_COMMAND_INVALID_NAME]"],
      [[{ name: "clout" }], "0.description[BASE_TYPE_REQUIRED]"],
      [[{ name: "clout", description: "x", options: Array.from({ length: 26 }, (_, i) => str(`o${i}`)) }], "0.options[BASE_TYPE_MAX_LENGTH]: Must be 25 or fewer in length."],
      [sub([str("a"), str("b", { required: true })]), "0.options[0].options[1].required[APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID]"],
      [sub([str("a", { description: "" })]), "0.options[0].options[0].description[BASE_TYPE_BAD_LENGTH]"],
      [sub([str("a", { description_localizations: { "pt-BR": "" } })]), "0.options[0].options[0].description_localizations.pt-BR[BASE_TYPE_BAD_LENGTH]"],
      [sub([str("a"), str("a")]), "0.options[0].options[1].name[APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS]"],
      [sub([str("a", { choices: Array.from({ length: 26 }, (_, i) => ({ name: `c${i}`, value: `c${i}` })) })]), "0.options[0].options[0].choices[BASE_TYPE_MAX_LENGTH]"],
      [sub([str("a", { choices: [{ name: "n".repeat(101), value: "v" }] })]), "0.options[0].options[0].choices[0].name[BASE_TYPE_BAD_LENGTH]"],
      [sub([str("a", { choices: [{ name: "n", value: "v".repeat(101) }] })]), "0.options[0].options[0].choices[0].value[BASE_TYPE_BAD_LENGTH]"],
      [sub([{ type: 4, name: "n", description: "n", choices: [{ name: "half", value: 0.5 }] }]), "0.options[0].options[0].choices[0].value[NUMBER_TYPE_COERCE]"],
      [sub([str("a", { autocomplete: true, choices: [{ name: "n", value: "v" }] })]), "0.options[0].options[0].autocomplete["],
      [withOption({ type: 2, name: "campaign", description: "c", options: [str("a")] }), "0.options[0].options[0].type[APPLICATION_COMMAND_OPTIONS_TYPE_INVALID]"],
      [sub([{ type: 1, name: "deeper", description: "d" }]), "0.options[0].options[0].type[APPLICATION_COMMAND_OPTIONS_TYPE_INVALID]"],
      [[{ name: "clout", description: "x", options: [str("a"), { type: 1, name: "s", description: "s" }] }], "0.options[APPLICATION_COMMAND_OPTIONS_TYPE_INVALID]"],
      [sub([{ type: 12, name: "a", description: "a" }]), "0.options[0].options[0].type[BASE_TYPE_CHOICES]: Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}."],
      [[{ name: "clout", description: "x" }, { name: "clout", description: "y" }], "1.name[APPLICATION_COMMANDS_DUPLICATE_NAME]"],
    ];
    for (const [commands, expected] of cases) {
      const problems = commandProblems(commands);
      expect(problems.some((p) => p.startsWith(expected)), `${JSON.stringify(commands).slice(0, 120)} → ${JSON.stringify(problems)}`).toBe(true);
    }
  });

  it("opens a stable DM channel and posts an embed with buttons, answering with rate-limit headers", async () => {
    const dm = (await rest.post(Routes.userChannels(), { body: { recipient_id: USER } })) as APIDMChannel;
    expect(dm).toMatchObject({ type: 1, recipients: [{ id: USER, username: "ana", global_name: "Ana Souza" }] });
    expect(((await rest.post(Routes.userChannels(), { body: { recipient_id: USER } })) as APIDMChannel).id).toBe(dm.id);
    expect(fake.dmChannelOf(USER)).toBe(dm.id);

    const body = {
      content: "You are invited",
      embeds: [{ title: "Summer Launch", description: "Fee **R$ 1.500,00**", color: 0x5865f2, fields: [{ name: "Campaign", value: "Summer", inline: true }] }],
      components: [
        {
          type: 1,
          components: [
            { type: 2, style: 3, label: "Accept", custom_id: "invite:accept:42" },
            { type: 2, style: 4, label: "Decline", custom_id: "invite:decline:42" },
            { type: 2, style: 5, label: "Details", url: "https://clout.example/i/42" },
          ],
        },
      ],
    };
    const sent = (await rest.post(Routes.channelMessages(dm.id), { body })) as APIMessage;
    expect(sent).toMatchObject({ channel_id: dm.id, content: "You are invited", author: { id: APP, bot: true }, edited_timestamp: null, components: body.components });
    expect(sent.id).toMatch(/^\d{17,20}$/);
    expect(sent.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
    expect(sent.embeds[0]).toMatchObject({ type: "rich", title: "Summer Launch" });
    expect(fake.messagesIn(dm.id)).toMatchObject([{ id: sent.id, kind: "channel", embeds: body.embeds, components: body.components }]);

    const headers = fake.callsTo({ method: "POST", path: `/channels/${dm.id}/messages` })[0]!.responseHeaders;
    expect(headers).toMatchObject({ "x-ratelimit-limit": "5", "x-ratelimit-remaining": "4" });
    expect(headers["x-ratelimit-bucket"]).toMatch(/^[0-9a-f]{32}$/);
    expect(Number(headers["x-ratelimit-reset-after"])).toBeGreaterThan(4);
    expect(Number(headers["x-ratelimit-reset"])).toBeGreaterThan(Date.now() / 1000);

    const edited = (await rest.patch(Routes.channelMessage(dm.id, sent.id), { body: { content: "Accepted", components: [] } })) as APIMessage;
    expect(edited).toMatchObject({ id: sent.id, content: "Accepted", components: [], embeds: [{ title: "Summer Launch" }] });
    expect(edited.edited_timestamp).not.toBeNull();
    expect(fake.messagesIn(dm.id)[0]).toMatchObject({ content: "Accepted", edits: 1 });

    const unknown = await apiError(rest.patch(Routes.channelMessage(dm.id, "1180000000000000999"), { body: { content: "x" } }));
    expect([unknown.status, unknown.code]).toEqual([404, 10008]);

    const closed = "1180000000000000301";
    fake.blockDms(closed);
    const closedDm = (await rest.post(Routes.userChannels(), { body: { recipient_id: closed } })) as APIDMChannel;
    const refused = await apiError(rest.post(Routes.channelMessages(closedDm.id), { body: { content: "hi" } }));
    expect([refused.status, refused.code, refused.message]).toEqual([403, 50007, "Cannot send messages to this user"]);
  });

  it("takes files as multipart (payload_json + files[n]) and resolves attachment:// in embeds", async () => {
    const sent = (await rest.post(Routes.channelMessages(CHANNEL), {
      body: { embeds: [{ title: "Reach", image: { url: "attachment://chart.png" } }], attachments: [{ id: 0, description: "Reach by day" }] },
      files: [{ name: "chart.png", data: PNG }],
    })) as APIMessage;

    const call = fake.callsTo({ method: "POST", path: `/channels/${CHANNEL}/messages` })[0]!;
    expect(call.body).toMatchObject({ embeds: [{ title: "Reach" }] });
    expect(call.files).toHaveLength(1);
    expect(call.files[0]).toMatchObject({ field: "files[0]", index: 0, filename: "chart.png", contentType: "image/png" });
    expect(call.files[0]!.bytes.equals(PNG)).toBe(true);

    expect(sent.attachments).toHaveLength(1);
    expect(sent.attachments[0]).toMatchObject({ filename: "chart.png", content_type: "image/png", size: PNG.length, width: 1, height: 1, description: "Reach by day" });
    expect(sent.embeds[0]!.image!.url).toBe(sent.attachments[0]!.url);
    expect(fake.messagesIn(CHANNEL)[0]!.attachments[0]!.bytes.equals(PNG)).toBe(true);

    const missing = await apiError(
      rest.post(Routes.channelMessages(CHANNEL), { body: { embeds: [{ image: { url: "attachment://other.png" } }] }, files: [{ name: "chart.png", data: PNG }] }),
    );
    expect(missing.code).toBe(50035);
    expect(missing.message).toContain("embeds[0].image.url[ATTACHMENT_NOT_FOUND]");

    const small = new FakeDiscordApi({ botToken: BOT_TOKEN, applicationId: APP, attachmentSizeLimit: 50 });
    await small.start();
    try {
      const r = new REST({ api: small.url, version: "10" }).setToken(BOT_TOKEN);
      clients.push(r);
      const tooBig = await apiError(r.post(Routes.channelMessages(CHANNEL), { files: [{ name: "chart.png", data: PNG }] }));
      expect([tooBig.status, tooBig.code]).toEqual([413, 40005]);
    } finally {
      await small.stop();
    }
  });

  it("refuses message bodies over Discord's limits with 50035 and keeps nothing", async () => {
    const err = await apiError(rest.post(Routes.channelMessages(CHANNEL), { body: { content: "x".repeat(2001) } }));
    expect([err.status, err.code]).toEqual([400, 50035]);
    expect(err.rawError).toMatchObject({ errors: { content: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH", message: "Must be 2000 or fewer in length." }] } } });
    expect(err.message).toBe("Invalid Form Body\ncontent[BASE_TYPE_MAX_LENGTH]: Must be 2000 or fewer in length.");
    const empty = await apiError(rest.post(Routes.channelMessages(CHANNEL), { body: { content: "" } }));
    expect([empty.status, empty.code]).toEqual([400, 50006]);
    expect(fake.messagesIn(CHANNEL)).toEqual([]);
  });

  it("messageProblems checks content, embeds, components and flags the way Discord does", () => {
    const embed = (e: Record<string, unknown>) => ({ embeds: [e] });
    const row = (...components: unknown[]) => ({ components: [{ type: 1, components }] });
    const button = (b: Record<string, unknown> = {}) => ({ type: 2, style: 1, label: "Go", custom_id: "go", ...b });
    const field = (name: string, value: string) => ({ name, value });

    expect(messageProblems({ content: "x".repeat(2000), ...row(button()) })).toEqual([]);
    expect(messageProblems({ content: "👍".repeat(2000) }), "Discord counts characters, not UTF-16 units").toEqual([]);
    expect(messageProblems(embed({ image: { url: "attachment://a.png" } }), ["a.png"])).toEqual([]);

    const cases: [unknown, string, string[]?][] = [
      [{ content: "x".repeat(2001) }, "content[BASE_TYPE_MAX_LENGTH]"],
      [{ embeds: Array.from({ length: 11 }, () => ({ title: "t" })) }, "embeds[BASE_TYPE_MAX_LENGTH]: Must be 10 or fewer in length."],
      [embed({ title: "t".repeat(257) }), "embeds[0].title[BASE_TYPE_MAX_LENGTH]: Must be 256 or fewer in length."],
      [embed({ description: "d".repeat(4097) }), "embeds[0].description[BASE_TYPE_MAX_LENGTH]"],
      [embed({ fields: Array.from({ length: 26 }, () => field("n", "v")) }), "embeds[0].fields[BASE_TYPE_MAX_LENGTH]: Must be 25 or fewer in length."],
      [embed({ fields: [field("n".repeat(257), "v")] }), "embeds[0].fields[0].name[BASE_TYPE_MAX_LENGTH]"],
      [embed({ fields: [field("n", "v".repeat(1025))] }), "embeds[0].fields[0].value[BASE_TYPE_MAX_LENGTH]: Must be 1024 or fewer in length."],
      [embed({ fields: [field("n", "")] }), "embeds[0].fields[0].value[BASE_TYPE_REQUIRED]"],
      [embed({ fields: [field("", "v")] }), "embeds[0].fields[0].name[BASE_TYPE_REQUIRED]"],
      [embed({ footer: { text: "f".repeat(2049) } }), "embeds[0].footer.text[BASE_TYPE_MAX_LENGTH]"],
      [embed({ author: { name: "a".repeat(257) } }), "embeds[0].author.name[BASE_TYPE_MAX_LENGTH]"],
      [embed({ color: 0x1000000 }), "embeds[0].color[NUMBER_TYPE_MAX]"],
      [embed({ url: "ftp://clout.example" }), "embeds[0].url[URL_TYPE_INVALID_SCHEME]"],
      [{ embeds: [{ description: "d".repeat(4000) }, { description: "d".repeat(2001) }] }, "embeds[MAX_EMBED_SIZE_EXCEEDED]: Embed size exceeds maximum size of 6000"],
      [embed({ thumbnail: { url: "attachment://chart.png" } }), "embeds[0].thumbnail.url[ATTACHMENT_NOT_FOUND]", ["other.png"]],
      [{ components: Array.from({ length: 6 }, (_, i) => ({ type: 1, components: [button({ custom_id: `b${i}` })] })) }, "components[BASE_TYPE_MAX_LENGTH]: Must be 5 or fewer in length."],
      [row(...Array.from({ length: 6 }, (_, i) => button({ custom_id: `b${i}` }))), "components[0].components[BASE_TYPE_BAD_LENGTH]: Must be between 1 and 5 in length."],
      [{ components: [button()] }, "components[0].type[UNION_TYPE_CHOICES]"],
      [row(button({ label: "l".repeat(81) })), "components[0].components[0].label[BASE_TYPE_MAX_LENGTH]: Must be 80 or fewer in length."],
      [row(button({ custom_id: "c".repeat(101) })), "components[0].components[0].custom_id[BASE_TYPE_BAD_LENGTH]: Must be between 1 and 100 in length."],
      [row(button({ custom_id: "" })), "components[0].components[0].custom_id[BASE_TYPE_REQUIRED]"],
      [{ components: [{ type: 1, components: [button()] }, { type: 1, components: [button()] }] }, "components[1].components[0].custom_id[COMPONENT_CUSTOM_ID_DUPLICATED]"],
      [row(button({ style: 0 })), "components[0].components[0].style[BASE_TYPE_CHOICES]"],
      [row(button({ style: 6 })), "components[0].components[0].style[BASE_TYPE_CHOICES]"],
      [row(button({ style: 5, url: "https://clout.example" })), "components[0].components[0].custom_id[BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED]"],
      [row({ type: 2, style: 5, label: "Open" }), "components[0].components[0].url[BUTTON_COMPONENT_URL_REQUIRED]"],
      [row(button({ url: "https://clout.example" })), "components[0].components[0].url[BUTTON_COMPONENT_URL_NOT_ALLOWED]"],
      [row(button(), { type: 3, custom_id: "pick", options: [{ label: "a", value: "a" }] }), "components[0].components[COMPONENT_LAYOUT_WIDTH_EXCEEDED]"],
      [{ content: "x", flags: 2 }, "flags[MESSAGE_FLAGS_INVALID]"],
      [{ content: "x" }, "attachments[BASE_TYPE_MAX_LENGTH]", Array.from({ length: 11 }, (_, i) => `f${i}.png`)],
    ];
    for (const [body, expected, names] of cases) {
      const problems = messageProblems(body, names);
      expect(problems.some((p) => p.startsWith(expected)), `${JSON.stringify(body).slice(0, 120)} → ${JSON.stringify(problems)}`).toBe(true);
    }
    expect(messageProblems({ content: "x", flags: 64 | 4 })).toEqual([]);
  });

  it("answers an injected 429 like Discord, and discordjs waits retry_after before retrying", async () => {
    const path = `/channels/${CHANNEL}/messages`;
    fake.rateLimitNext({ method: "POST", path: /^\/channels\/\d+\/messages$/ }, { retryAfter: 0.4 });
    const succeeded = fake.waitForCall((c) => c.path === path && c.status === 200);
    const sent = (await rest.post(Routes.channelMessages(CHANNEL), { body: { content: "digest" } })) as APIMessage;
    expect(sent.content).toBe("digest");
    expect((await succeeded).response).toMatchObject({ id: sent.id });

    const [limited, retried] = fake.callsTo({ method: "POST", path });
    expect(statuses(fake.callsTo({ path }))).toEqual([429, 200]);
    expect(limited!.response).toEqual({ message: "You are being rate limited.", retry_after: 0.4, global: false });
    expect(limited!.responseHeaders).toMatchObject({ "retry-after": "1", "x-ratelimit-remaining": "0", "x-ratelimit-reset-after": "0.400", "x-ratelimit-scope": "user" });
    expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(400);
    expect(fake.messagesIn(CHANNEL)).toHaveLength(1);
  });

  it("answers an injected global 429 on every bot route until retry_after passes", async () => {
    fake.rateLimitNext({ path: "/users/@me" }, { retryAfter: 0.25, global: true });
    await rest.get(Routes.user());
    const [limited, retried] = fake.callsTo({ path: "/users/@me" });
    expect(statuses([limited!, retried!])).toEqual([429, 200]);
    expect(limited!.response).toEqual({ message: "You are being rate limited.", retry_after: 0.25, global: true });
    expect(limited!.responseHeaders).toEqual({ "retry-after": "1", "x-ratelimit-global": "true", "x-ratelimit-scope": "global" });
    expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(250);

    fake.rateLimitNext({ path: "/users/@me" }, { retryAfter: 0.3, global: true });
    const raw = (path: string) => fetch(`${fake.url}/v10${path}`, { headers: { authorization: `Bot ${BOT_TOKEN}` } });
    expect((await raw("/users/@me")).status).toBe(429);
    expect((await raw("/applications/@me")).status).toBe(429);
  });

  it("enforces the bucket it announces: a client that ignores the headers gets a 429", async () => {
    const post = () =>
      fetch(`${fake.url}/v10/channels/${CHANNEL}/messages`, {
        method: "POST",
        headers: { authorization: `Bot ${BOT_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ content: "spam" }),
      });
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await post();
      expect(res.status).toBe(200);
      remaining.push(res.headers.get("x-ratelimit-remaining"));
    }
    expect(remaining).toEqual(["4", "3", "2", "1", "0"]);
    const refused = await post();
    expect(refused.status).toBe(429);
    expect(refused.headers.get("x-ratelimit-scope")).toBe("user");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(((await refused.json()) as { retry_after: number }).retry_after).toBeGreaterThan(0);

    const otherChannel = await fetch(`${fake.url}/v10/channels/1180000000000000201/messages`, {
      method: "POST",
      headers: { authorization: `Bot ${BOT_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ content: "elsewhere" }),
    });
    expect(otherChannel.status).toBe(200);
  });

  it("injects 5xx faults: discordjs retries them, and gives up after its retries", async () => {
    const path = `/channels/${CHANNEL}/messages`;
    fake.failNext({ method: "POST", path }, { status: 502 });
    await rest.post(Routes.channelMessages(CHANNEL), { body: { content: "after a 502" } });
    expect(statuses(fake.callsTo({ path }))).toEqual([502, 200]);

    fake.reset();
    fake.failNext({ path: "/users/@me" }, { times: 2 });
    const err = await client(BOT_TOKEN, 1)
      .get(Routes.user())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HTTPError);
    expect((err as HTTPError).status).toBe(500);
    expect(statuses(fake.callsTo({ path: "/users/@me" }))).toEqual([500, 500]);
  });

  it("serves an interaction's callback, @original and follow-ups on its token", async () => {
    const req = discord.command({ guildId: GUILD, channelId: CHANNEL, user: { id: USER, username: "ana" }, path: ["campaign", "list"] });
    await rest.post(Routes.interactionCallback(req.id, req.token), { body: { type: 5, data: { flags: 64 } }, auth: false });
    expect(fake.callsTo({ method: "POST" })[0]).toMatchObject({ status: 204, token: undefined });
    expect(fake.original(req.token)).toMatchObject({ kind: "original", content: "", flags: 128 | 64 });

    const twice = await apiError(rest.post(Routes.interactionCallback(req.id, req.token), { body: { type: 4, data: { content: "x" } }, auth: false }));
    expect([twice.status, twice.code]).toEqual([400, 40060]);

    const waiting = fake.waitForOriginal(req.token, (m) => m.content === "2 campaigns");
    const edited = (await rest.patch(Routes.webhookMessage(APP, req.token), {
      body: { content: "2 campaigns", embeds: [{ title: "Campaigns" }] },
      auth: false,
    })) as APIMessage;
    expect(await waiting).toMatchObject({ id: edited.id, flags: 64, edits: 1 });
    expect(edited).toMatchObject({ content: "2 campaigns", webhook_id: APP, flags: 64 });
    expect(await rest.get(Routes.webhookMessage(APP, req.token), { auth: false })).toEqual(edited);

    const followup = (await rest.post(Routes.webhook(APP, req.token), { body: { content: "Page 2", flags: 64 }, auth: false })) as APIMessage;
    expect(followup.id).not.toBe(edited.id);
    await rest.patch(Routes.webhookMessage(APP, req.token, followup.id), { body: { content: "Page 2 of 2" }, auth: false });
    expect(fake.followups(req.token)).toMatchObject([{ id: followup.id, kind: "followup", content: "Page 2 of 2", edits: 1 }]);

    await rest.delete(Routes.webhookMessage(APP, req.token), { auth: false });
    expect(fake.original(req.token)).toBeUndefined();
    const gone = await apiError(rest.get(Routes.webhookMessage(APP, req.token), { auth: false }));
    expect([gone.status, gone.code]).toEqual([404, 10008]);
    const wrongApp = await apiError(rest.patch(Routes.webhookMessage("1180000000000000002", req.token), { body: { content: "x" }, auth: false }));
    expect([wrongApp.status, wrongApp.code]).toEqual([404, 10015]);
  });

  it("answers ?with_response=true callbacks, refuses expired tokens and invalid response data", async () => {
    const req = discord.command({ channelId: CHANNEL, user: { id: USER, username: "ana" }, path: ["help"] });
    const answer = (await rest.post(Routes.interactionCallback(req.id, req.token), {
      body: { type: 4, data: { content: "Help" } },
      query: makeURLSearchParams({ with_response: true }),
      auth: false,
    })) as { interaction: Record<string, unknown>; resource: { type: number; message: APIMessage } };
    expect(answer.interaction).toMatchObject({ id: req.id, type: 2, response_message_loading: false, response_message_ephemeral: false });
    expect(answer.resource).toMatchObject({ type: 4, message: { content: "Help", id: answer.interaction.response_message_id } });

    const late = discord.command({ channelId: CHANNEL, user: { id: USER, username: "ana" }, path: ["help"] });
    fake.expireInteraction(late.token);
    const expired = await apiError(rest.patch(Routes.webhookMessage(APP, late.token), { body: { content: "x" }, auth: false }));
    expect([expired.status, expired.code]).toEqual([401, 50027]);
    const unknown = await apiError(rest.post(Routes.interactionCallback(late.id, late.token), { body: { type: 5 }, auth: false }));
    expect([unknown.status, unknown.code]).toEqual([404, 10062]);

    const invalid = discord.command({ channelId: CHANNEL, user: { id: USER, username: "ana" }, path: ["help"] });
    const refused = await apiError(rest.post(Routes.interactionCallback(invalid.id, invalid.token), { body: { type: 4, data: { content: "x".repeat(2001) } }, auth: false }));
    expect(refused.message).toContain("data.content[BASE_TYPE_MAX_LENGTH]");
    expect(fake.original(invalid.token)).toBeUndefined();

    const http = discord.command({ channelId: CHANNEL, user: { id: USER, username: "ana" }, path: ["help"] });
    expect(fake.deliverResponse(http.token, { type: 4, data: { embeds: [{ title: "t".repeat(257) }] } })).toEqual([
      "data.embeds[0].title[BASE_TYPE_MAX_LENGTH]: Must be 256 or fewer in length.",
    ]);
    expect(fake.deliverResponse(http.token, { type: 4, data: { content: "" } })).toEqual(["Cannot send an empty message"]);
    expect(fake.deliverResponse(http.token, { type: 4, data: { content: "Help", flags: 64 } })).toEqual([]);
    expect(fake.original(http.token)).toMatchObject({ content: "Help", flags: 64 });
    expect(fake.deliverResponse(http.token, { type: 4, data: { content: "again" } })).toEqual(["Interaction has already been acknowledged."]);

    const click = discord.component({ channelId: CHANNEL, user: { id: USER, username: "ana" }, customId: "invite:accept:42" });
    expect(fake.deliverResponse(click.token, { type: 6 })).toEqual([]);
    await rest.patch(Routes.webhookMessage(APP, click.token), { body: { content: "Accepted", components: [] }, auth: false });
    expect(fake.original(click.token)).toMatchObject({ kind: "original", content: "Accepted" });

    const choices = discord.autocomplete({ channelId: CHANNEL, user: { id: USER, username: "ana" }, path: ["help"], options: { command: "ca" }, focused: "command" });
    const tooMany = Array.from({ length: 26 }, (_, i) => ({ name: `c${i}`, value: `c${i}` }));
    expect(fake.deliverResponse(choices.token, { type: 8, data: { choices: tooMany } })).toEqual(["data.choices[BASE_TYPE_MAX_LENGTH]: Must be 25 or fewer in length."]);
  });
});

describe("DiscordInteractions", () => {
  const user = { id: USER, username: "ana", globalName: "Ana Souza" };

  function publicKeyFromHex(hex: string) {
    return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(hex, "hex").toString("base64url") }, format: "jwk" });
  }

  function verifies(req: SignedRequest, hex = discord.publicKeyHex): boolean {
    const signature = req.headers["x-signature-ed25519"];
    const timestamp = req.headers["x-signature-timestamp"];
    if (!signature || !timestamp) return false;
    return verify(null, Buffer.from(timestamp + req.body), publicKeyFromHex(hex), Buffer.from(signature, "hex"));
  }

  it("signs timestamp + body with Ed25519; publicKeyHex is the raw key that verifies it", () => {
    expect(discord.publicKeyHex).toMatch(/^[0-9a-f]{64}$/);
    const req = discord.ping();
    expect(req.headers).toMatchObject({ "content-type": "application/json" });
    expect(req.headers["x-signature-ed25519"]).toMatch(/^[0-9a-f]{128}$/);
    expect(Math.abs(Number(req.headers["x-signature-timestamp"]) - Date.now() / 1000)).toBeLessThan(5);
    expect(verifies(req)).toBe(true);

    expect(verifies(tampered(req, req.body.replace('"type":1', '"type":2')))).toBe(false);
    expect(verifies(withoutSignature(req))).toBe(false);
    expect(withoutSignature(req).headers).not.toHaveProperty("x-signature-ed25519");
    expect(verifies(new DiscordInteractions({ applicationId: APP }).ping())).toBe(false);

    const stale = discord.at(Math.floor(Date.now() / 1000) - 600).ping();
    expect(Number(stale.headers["x-signature-timestamp"])).toBeLessThan(Date.now() / 1000 - 590);
    expect(verifies(stale)).toBe(true);
    expect(JSON.parse(req.body)).toMatchObject({ type: 1, application_id: APP, version: 1, id: req.id, token: req.token });
  });

  it("builds a guild slash command with nested subcommand options and resolved users", () => {
    const owner = "1180000000000000302";
    const req = discord.command({
      guildId: GUILD,
      channelId: CHANNEL,
      user: { ...user, nick: "Ana (Acme)", roles: ["1180000000000000400"] },
      locale: "pt-BR",
      path: ["campaign", "create"],
      options: { name: "Summer", budget: 500_000, remote: true, ratio: 1.5, owner },
      types: { owner: 6 },
    });
    const body = JSON.parse(req.body) as Record<string, any>;
    expect(body).toMatchObject({
      type: 2,
      id: req.id,
      token: req.token,
      application_id: APP,
      version: 1,
      entitlements: [],
      locale: "pt-BR",
      guild_locale: "en-US",
      guild_id: GUILD,
      channel_id: CHANNEL,
      context: 0,
      member: { nick: "Ana (Acme)", roles: ["1180000000000000400"], user: { id: USER, username: "ana", global_name: "Ana Souza" } },
      channel: { id: CHANNEL, type: 0, guild_id: GUILD },
    });
    expect(body).not.toHaveProperty("user");
    expect(body.app_permissions).toMatch(/^\d+$/);
    expect(body.member.permissions).toMatch(/^\d+$/);
    expect(body.data).toMatchObject({ name: "clout", type: 1, guild_id: GUILD });
    expect(body.data.id).toMatch(/^\d{17,20}$/);
    expect(body.data.options).toEqual([
      {
        name: "campaign",
        type: 2,
        options: [
          {
            name: "create",
            type: 1,
            options: [
              { name: "name", type: 3, value: "Summer" },
              { name: "budget", type: 4, value: 500_000 },
              { name: "remote", type: 5, value: true },
              { name: "ratio", type: 10, value: 1.5 },
              { name: "owner", type: 6, value: owner },
            ],
          },
        ],
      },
    ]);
    expect(body.data.resolved.users[owner]).toMatchObject({ id: owner });
    expect(body.data.resolved.members[owner]).toMatchObject({ roles: [] });
    expect(req.payload).toEqual(body);
  });

  it("builds DM commands, autocomplete, button clicks and selects, each with a fresh id and token", () => {
    const dm = JSON.parse(discord.command({ channelId: CHANNEL, user, path: ["help"], options: { command: "invite" } }).body) as Record<string, any>;
    expect(dm).toMatchObject({ type: 2, context: 1, user: { id: USER }, channel: { id: CHANNEL, type: 1 }, authorizing_integration_owners: { 0: "0" } });
    expect(dm).not.toHaveProperty("member");
    expect(dm).not.toHaveProperty("guild_id");
    expect(dm.data.options).toEqual([{ name: "help", type: 1, options: [{ name: "command", type: 3, value: "invite" }] }]);

    const ac = JSON.parse(discord.autocomplete({ guildId: GUILD, channelId: CHANNEL, user, path: ["campaign", "show"], options: { campaign: "Sum", limit: 5 }, focused: "campaign" }).body) as Record<string, any>;
    expect(ac.type).toBe(4);
    expect(ac.data.options[0].options[0].options).toEqual([
      { name: "campaign", type: 3, value: "Sum", focused: true },
      { name: "limit", type: 4, value: 5 },
    ]);

    const click = discord.component({ guildId: GUILD, channelId: CHANNEL, user, customId: "invite:accept:42", message: { content: "You are invited" } });
    const clickBody = JSON.parse(click.body) as Record<string, any>;
    expect(clickBody).toMatchObject({ type: 3, data: { custom_id: "invite:accept:42", component_type: 2 }, message: { channel_id: CHANNEL, content: "You are invited", author: { id: APP, bot: true } } });
    const select = JSON.parse(discord.component({ channelId: CHANNEL, user, customId: "pick", values: ["a"] }).body) as Record<string, any>;
    expect(select.data).toEqual({ custom_id: "pick", component_type: 3, values: ["a"] });

    const many = Array.from({ length: 20 }, () => discord.command({ channelId: CHANNEL, user, path: ["help"] }));
    expect(new Set(many.map((r) => r.id)).size).toBe(20);
    expect(new Set(many.map((r) => r.token)).size).toBe(20);
    expect(many[0]!.token).toMatch(/^[A-Za-z0-9_-]{100,}$/);
    expect(verifies(click)).toBe(true);
  });
});
