import { generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import type {
  APIInteraction,
  APIInteractionDataResolved,
  APIInteractionDataResolvedGuildMember,
  APIInteractionGuildMember,
  APIMessage,
  APIUser,
  GuildMemberFlags,
  MessageFlags,
  UserFlags,
} from "discord-api-types/v10";
import { discordTimestamp, snowflake } from "./discord-api.ts";

/**
 * Interaction requests as Discord POSTs them to an app's interactions
 * endpoint (`POST /discord/interactions`), signed for real: Ed25519 over
 * `timestamp + body` with a key pair made here, whose public half
 * (`publicKeyHex`, the hex the developer portal shows) goes in
 * DISCORD_PUBLIC_KEY.
 *
 *   const discord = new DiscordInteractions({ applicationId });
 *   const req = discord.command({ channelId, guildId, user, path: ["campaign", "list"] });
 *   await fetch(`${base}/discord/interactions`, { method: "POST", body: req.body, headers: req.headers });
 *   // then FakeDiscordApi.original(req.token) is what the app answered
 *
 * Time comes from `now` (seconds): `discord.at(now - 600)` signs a stale request.
 */

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

export interface DiscordInteractionRequest extends SignedRequest {
  /** The interaction id (a snowflake). */
  id: string;
  /** The interaction token: the `:token` of the webhook and callback routes the app answers on. */
  token: string;
  /** The body, parsed. */
  payload: APIInteraction;
}

export interface DiscordInteractionsOptions {
  /** Default "1180000000000000001", FakeDiscordApi's default. */
  applicationId?: string;
  /** Unix seconds; default the wall clock. */
  now?: () => number;
  /** Sign with this key pair instead of a new one. */
  keys?: { publicKey: KeyObject; privateKey: KeyObject };
}

export interface InteractionUser {
  id: string;
  username: string;
  globalName?: string;
  /** Guild interactions: the member's nickname, roles and permissions (a bit set as a decimal string). */
  nick?: string;
  roles?: string[];
  permissions?: string;
}

/** Chat-input option types: 3 string, 4 integer, 5 boolean, 6 user, 7 channel, 8 role, 9 mentionable, 10 number, 11 attachment. */
export type OptionType = 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11;

interface InteractionBase {
  applicationId?: string;
  /** In a guild when given, else in the bot's DM. */
  guildId?: string;
  channelId: string;
  user: InteractionUser;
  /** The user's client language; default "en-US". */
  locale?: string;
  /** Default "en-US". */
  guildLocale?: string;
  /** The bot's permissions in the channel; default what a bot with Send Messages, Embed Links and Attach Files has. */
  appPermissions?: string;
}

export interface CommandParams extends InteractionBase {
  /** Under the top-level command: [group, subcommand], [subcommand], or [] for a command without subcommands. */
  path: readonly string[];
  options?: Record<string, string | number | boolean>;
  /** Types the JS value cannot tell: `{ creator: 6 }` sends that id as a USER option (with a resolved user). */
  types?: Record<string, OptionType>;
  resolved?: APIInteractionDataResolved;
  /** The top-level command's name; default "clout". */
  command?: string;
  /** data.id, the registered command's id; default a stable snowflake per command name. */
  commandId?: string;
}

export interface AutocompleteParams extends CommandParams {
  /** The option the user is typing in; it is sent with `focused: true` and its value as text. */
  focused: string;
}

export interface ComponentParams extends InteractionBase {
  customId: string;
  /** The message holding the component; default a message by the bot in the channel. */
  message?: Partial<APIMessage>;
  /** A string select's chosen values; absent for a button. */
  values?: string[];
}

const DEFAULT_APPLICATION_ID = "1180000000000000001";
const bit = (n: number) => 1n << BigInt(n);
// View Channel, Send Messages, Embed Links, Attach Files, Read Message History, Use External Emojis, Use Application Commands.
const GUILD_PERMISSIONS = [10, 11, 14, 15, 16, 18, 31].reduce((p, n) => p | bit(n), 0n).toString();
// What Discord reports for the bot in its own DM: Embed Links, Attach Files, Mention Everyone, Use External Emojis.
const DM_APP_PERMISSIONS = [14, 15, 17, 18].reduce((p, n) => p | bit(n), 0n).toString();
const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

/** `X-Signature-Ed25519`: hex Ed25519 signature of `timestamp + body`. */
function signInteraction(body: string, timestamp: string, privateKey: KeyObject): string {
  return sign(null, Buffer.from(timestamp + body), privateKey).toString("hex");
}

/** The same request with another body, signature kept (a forgery). */
export function tampered<T extends SignedRequest>(req: T, body: string): T {
  return { ...req, body, headers: { ...req.headers } };
}

/** The same request without X-Signature-Ed25519 / X-Signature-Timestamp. */
export function withoutSignature<T extends SignedRequest>(req: T): T {
  const headers = { ...req.headers };
  delete headers["x-signature-ed25519"];
  delete headers["x-signature-timestamp"];
  return { ...req, headers };
}

export class DiscordInteractions {
  readonly applicationId: string;
  private readonly now: () => number;
  private readonly keys: { publicKey: KeyObject; privateKey: KeyObject };
  private readonly commandIds = new Map<string, string>();

  constructor(private readonly o: DiscordInteractionsOptions = {}) {
    this.applicationId = o.applicationId ?? DEFAULT_APPLICATION_ID;
    this.now = o.now ?? (() => Math.floor(Date.now() / 1000));
    this.keys = o.keys ?? generateKeyPairSync("ed25519");
  }

  /** The raw 32-byte public key in hex: what the developer portal shows and DISCORD_PUBLIC_KEY holds. */
  get publicKeyHex(): string {
    const jwk = this.keys.publicKey.export({ format: "jwk" });
    return Buffer.from(jwk.x!, "base64url").toString("hex");
  }

  /** The same builders and key with the clock fixed at `seconds`. */
  at(seconds: number): DiscordInteractions {
    return new DiscordInteractions({ ...this.o, keys: this.keys, now: () => seconds });
  }

  /** Signs any body as Discord would. */
  signed(body: string): SignedRequest {
    const timestamp = String(this.now());
    return {
      body,
      headers: {
        "content-type": "application/json",
        "user-agent": "Discord-Interactions/1.0 (+https://discord.com)",
        "x-signature-ed25519": signInteraction(body, timestamp, this.keys.privateKey),
        "x-signature-timestamp": timestamp,
      },
    };
  }

  /** The PING Discord sends when the endpoint URL is saved, and now and then after. */
  ping(applicationId = this.applicationId): DiscordInteractionRequest {
    const { id, token } = this.identity();
    return this.build({ id, token, type: 1, application_id: applicationId, version: 1, entitlements: [], authorizing_integration_owners: {}, attachment_size_limit: ATTACHMENT_SIZE_LIMIT, app_permissions: "0" });
  }

  /** A slash command (type 2): `/clout campaign create name:… budget:…` is path ["campaign", "create"]. */
  command(p: CommandParams): DiscordInteractionRequest {
    return this.commandLike(2, p);
  }

  /** What Discord sends while the user types in an autocomplete option (type 4). */
  autocomplete(p: AutocompleteParams): DiscordInteractionRequest {
    return this.commandLike(4, p, p.focused);
  }

  /** A button click (type 3), or a string select's choice when `values` is given. */
  component(p: ComponentParams): DiscordInteractionRequest {
    const { id, token } = this.identity();
    const data = p.values ? { custom_id: p.customId, component_type: 3, values: p.values } : { custom_id: p.customId, component_type: 2 };
    const message: APIMessage = {
      id: snowflake(this.now() * 1000 - 60_000),
      channel_id: p.channelId,
      type: 0,
      author: { ...botUser(p.applicationId ?? this.applicationId) },
      content: "",
      timestamp: discordTimestamp(this.now() * 1000 - 60_000),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      flags: 0 as MessageFlags,
      application_id: p.applicationId ?? this.applicationId,
      ...p.message,
    };
    return this.build({ ...this.context(p, id, token), type: 3, data, message });
  }

  private commandLike(type: 2 | 4, p: CommandParams, focused?: string): DiscordInteractionRequest {
    const { id, token } = this.identity();
    const resolved: APIInteractionDataResolved = { ...p.resolved };
    const leaves = Object.entries(p.options ?? {}).map(([name, value]) => {
      const optionType = p.types?.[name] ?? typeOf(value);
      if (optionType === 6) this.resolveUser(resolved, String(value), p.guildId);
      return name === focused ? { name, type: optionType, value: String(value), focused: true } : { name, type: optionType, value };
    });
    const [first, second] = p.path;
    const options =
      p.path.length === 0 ? leaves
      : p.path.length === 1 ? [{ name: first!, type: 1, options: leaves }]
      : [{ name: first!, type: 2, options: [{ name: second!, type: 1, options: leaves }] }];
    const name = p.command ?? "clout";
    const data = {
      id: p.commandId ?? this.commandId(name),
      name,
      type: 1,
      ...(p.guildId ? { guild_id: p.guildId } : {}),
      options,
      ...(Object.keys(resolved).length ? { resolved } : {}),
    };
    return this.build({ ...this.context(p, id, token), type, data });
  }

  /** Discord always resolves a USER option: the user, and in a guild the member too. */
  private resolveUser(resolved: APIInteractionDataResolved, userId: string, guildId: string | undefined): void {
    resolved.users = { [userId]: wireUser({ id: userId, username: `user${userId.slice(-6)}` }), ...resolved.users };
    if (!guildId) return;
    const member: APIInteractionDataResolvedGuildMember = {
      nick: null,
      roles: [],
      joined_at: discordTimestamp((this.now() - 86_400 * 30) * 1000),
      premium_since: null,
      pending: false,
      communication_disabled_until: null,
      flags: 0 as GuildMemberFlags,
      avatar: null,
      permissions: GUILD_PERMISSIONS,
    };
    resolved.members = { [userId]: member, ...resolved.members };
  }

  /** Who, where and in what language: `member` in a guild, `user` in a DM, as Discord splits them. */
  private context(p: InteractionBase, id: string, token: string): Record<string, unknown> {
    const applicationId = p.applicationId ?? this.applicationId;
    const user = wireUser(p.user);
    const base = {
      id,
      token,
      application_id: applicationId,
      version: 1,
      locale: p.locale ?? "en-US",
      entitlements: [],
      attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
      channel_id: p.channelId,
    };
    if (!p.guildId) {
      return {
        ...base,
        user,
        context: 1,
        app_permissions: p.appPermissions ?? DM_APP_PERMISSIONS,
        authorizing_integration_owners: { 0: "0" },
        channel: { id: p.channelId, type: 1, flags: 0, last_message_id: null, recipients: [user] },
      };
    }
    const member: APIInteractionGuildMember = {
      user,
      nick: p.user.nick ?? null,
      roles: p.user.roles ?? [],
      permissions: p.user.permissions ?? GUILD_PERMISSIONS,
      joined_at: discordTimestamp((this.now() - 86_400 * 90) * 1000),
      premium_since: null,
      deaf: false,
      mute: false,
      pending: false,
      flags: 0 as GuildMemberFlags,
      avatar: null,
      communication_disabled_until: null,
    };
    return {
      ...base,
      member,
      guild_id: p.guildId,
      guild: { id: p.guildId, locale: p.guildLocale ?? "en-US", features: [] },
      guild_locale: p.guildLocale ?? "en-US",
      context: 0,
      app_permissions: p.appPermissions ?? GUILD_PERMISSIONS,
      authorizing_integration_owners: { 0: p.guildId },
      channel: {
        id: p.channelId,
        type: 0,
        guild_id: p.guildId,
        name: "general",
        position: 0,
        flags: 0,
        parent_id: null,
        topic: null,
        nsfw: false,
        last_message_id: null,
        rate_limit_per_user: 0,
        permissions: member.permissions,
      },
    };
  }

  private build(payload: Record<string, unknown>): DiscordInteractionRequest {
    const interaction = payload as unknown as APIInteraction;
    return { ...this.signed(JSON.stringify(payload)), id: interaction.id, token: interaction.token, payload: interaction };
  }

  /** A fresh id, and a token shaped like Discord's: base64url of "interaction:<id>:<secret>". */
  private identity(): { id: string; token: string } {
    const id = snowflake(this.now() * 1000);
    const token = Buffer.from(`interaction:${id}:${randomBytes(96).toString("base64url")}`).toString("base64url");
    return { id, token };
  }

  private commandId(name: string): string {
    let id = this.commandIds.get(name);
    if (!id) {
      id = snowflake();
      this.commandIds.set(name, id);
    }
    return id;
  }
}

function typeOf(value: string | number | boolean): OptionType {
  if (typeof value === "boolean") return 5;
  if (typeof value === "number") return Number.isInteger(value) ? 4 : 10;
  return 3;
}

function wireUser(u: Pick<InteractionUser, "id" | "username" | "globalName">): APIUser {
  return {
    id: u.id,
    username: u.username,
    discriminator: "0",
    global_name: u.globalName ?? null,
    avatar: null,
    public_flags: 0 as UserFlags,
    flags: 0 as UserFlags,
  };
}

function botUser(applicationId: string): APIUser {
  return { ...wireUser({ id: applicationId, username: "Clout" }), discriminator: "4127", bot: true };
}
