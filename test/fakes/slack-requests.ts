import { createHmac, randomBytes } from "node:crypto";

/**
 * What Slack POSTs to an app's request URL (`/slack/events`): slash commands,
 * interactivity payloads and Events API callbacks, with Slack's own field
 * names and body encodings, signed for real (v0: HMAC-SHA256 of
 * `v0:<timestamp>:<raw body>` with the signing secret).
 *
 *   const slack = new SlackRequests({ signingSecret });
 *   const req = slack.slashCommand({ text: "campaign list", teamId, userId, … });
 *   await fetch(`${base}/slack/events`, { method: "POST", ...req });
 *
 * Time comes from `now` (seconds), so `slack.at(now - 360)` makes a stale
 * request; `withRetry(req, 1)` makes Slack's redelivery of the same request.
 */

export interface SlackRequest {
  body: string;
  headers: Record<string, string>;
}

export interface SignOptions {
  secret: string;
  /** Unix seconds, as sent in x-slack-request-timestamp. */
  timestamp: number;
}

export interface SlackRequestsOptions {
  signingSecret: string;
  /** Unix seconds; default the wall clock. */
  now?: () => number;
  /** api_app_id; default "A0FAKEAPP". */
  apiAppId?: string;
  /** The deprecated verification token Slack still puts in bodies. */
  verificationToken?: string;
}

export interface SlashCommandParams {
  text: string;
  teamId: string;
  userId: string;
  userName: string;
  channelId: string;
  responseUrl: string;
  triggerId?: string;
  command?: string;
  teamDomain?: string;
  channelName?: string;
}

export interface BlockActionParams {
  teamId: string;
  userId: string;
  userName?: string;
  actionId: string;
  value: string;
  blockId?: string;
  buttonText?: string;
  /** Omitted for actions inside a view (App Home, modal). */
  responseUrl?: string;
  channelId?: string;
  channelName?: string;
  messageTs?: string;
  /** The message that holds the button (what the bot posted). */
  message?: { text?: string; blocks?: unknown[]; user?: string; botId?: string };
  /** The button sat in an ephemeral message. */
  ephemeral?: boolean;
  /** The button sat in a view (App Home or modal) instead of a message. */
  view?: { id: string; type: "home" | "modal"; callbackId?: string; privateMetadata?: string; blocks?: unknown[] };
  triggerId?: string;
  teamDomain?: string;
}

/** One input's state as Slack reports it in view.state.values[block_id][action_id]. */
export type ViewStateValue =
  | { type: "plain_text_input" | "email_text_input" | "url_text_input"; value: string | null }
  | { type: "number_input"; value: string | null }
  | { type: "static_select" | "radio_buttons" | "external_select"; selected_option: SlackOption | null }
  | { type: "multi_static_select" | "checkboxes"; selected_options: SlackOption[] }
  | { type: "datepicker"; selected_date: string | null }
  | { type: "timepicker"; selected_time: string | null }
  | { type: "users_select"; selected_user: string | null }
  | { type: "conversations_select"; selected_conversation: string | null }
  | { type: "channels_select"; selected_channel: string | null };

export interface SlackOption {
  text: { type: "plain_text"; text: string; emoji?: boolean };
  value: string;
}

/** Builders of view.state values: `{ name: { name: input.text("Summer") } }`. */
export const input = {
  text: (value: string | null): ViewStateValue => ({ type: "plain_text_input", value }),
  number: (value: string | null): ViewStateValue => ({ type: "number_input", value }),
  select: (value: string | null, label = value ?? ""): ViewStateValue => ({
    type: "static_select",
    selected_option: value === null ? null : { text: { type: "plain_text", text: label, emoji: true }, value },
  }),
  date: (date: string | null): ViewStateValue => ({ type: "datepicker", selected_date: date }),
  user: (userId: string | null): ViewStateValue => ({ type: "users_select", selected_user: userId }),
  channel: (channelId: string | null): ViewStateValue => ({ type: "conversations_select", selected_conversation: channelId }),
};

export interface ViewSubmissionParams {
  teamId: string;
  userId: string;
  userName?: string;
  callbackId: string;
  privateMetadata?: string;
  values: Record<string, Record<string, ViewStateValue>>;
  viewId?: string;
  /** The blocks of the view that was open (what views.open sent). */
  blocks?: unknown[];
  title?: string;
  hash?: string;
  triggerId?: string;
  teamDomain?: string;
  /** response_urls when the modal had response_url_enabled inputs. */
  responseUrls?: { blockId: string; actionId: string; channelId: string; responseUrl: string }[];
}

export interface EventParams {
  teamId: string;
  /** The inner event: { type: "app_home_opened", user, … }; event_ts is filled in when missing. */
  event: Record<string, unknown>;
  eventId?: string;
  /** The bot user the event is delivered for (authorizations[0].user_id). */
  authorizedUserId?: string;
}

/** `x-slack-signature` for a body: "v0=" + hex HMAC-SHA256 of `v0:<timestamp>:<body>`. */
export function sign(body: string, o: SignOptions): string {
  return `v0=${createHmac("sha256", o.secret).update(`v0:${o.timestamp}:${body}`).digest("hex")}`;
}

/** The same request as Slack redelivers it: x-slack-retry-num / x-slack-retry-reason added, signature kept. */
export function withRetry(req: SlackRequest, n = 1, reason = "http_timeout"): SlackRequest {
  return { body: req.body, headers: { ...req.headers, "x-slack-retry-num": String(n), "x-slack-retry-reason": reason } };
}

/** A request whose body was changed after signing (a forgery). */
export function tampered(req: SlackRequest, body: string): SlackRequest {
  return { body, headers: { ...req.headers } };
}

const FORM = "application/x-www-form-urlencoded";
const JSON_TYPE = "application/json";

export class SlackRequests {
  private readonly now: () => number;
  private seq = 0;

  constructor(private readonly o: SlackRequestsOptions) {
    this.now = o.now ?? (() => Math.floor(Date.now() / 1000));
  }

  get signingSecret(): string {
    return this.o.signingSecret;
  }

  private get appId(): string {
    return this.o.apiAppId ?? "A0FAKEAPP";
  }

  private get token(): string {
    return this.o.verificationToken ?? "fakeVerificationToken0000";
  }

  /** The same builders with the clock fixed at `seconds` (e.g. 6 minutes ago for a stale request). */
  at(seconds: number): SlackRequests {
    return new SlackRequests({ ...this.o, now: () => seconds });
  }

  /** The same builders signing with another secret (a forgery). */
  withSecret(signingSecret: string): SlackRequests {
    return new SlackRequests({ ...this.o, signingSecret });
  }

  /** Signs any raw body as Slack would. */
  signed(body: string, contentType: string): SlackRequest {
    const timestamp = this.now();
    return {
      body,
      headers: {
        "content-type": contentType,
        "user-agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        "x-slack-request-timestamp": String(timestamp),
        "x-slack-signature": sign(body, { secret: this.o.signingSecret, timestamp }),
      },
    };
  }

  slashCommand(p: SlashCommandParams): SlackRequest {
    const form = new URLSearchParams({
      token: this.token,
      team_id: p.teamId,
      team_domain: p.teamDomain ?? domainOf(p.teamId),
      channel_id: p.channelId,
      channel_name: p.channelName ?? (p.channelId.startsWith("D") ? "directmessage" : "general"),
      user_id: p.userId,
      user_name: p.userName,
      command: p.command ?? "/clout",
      text: p.text,
      api_app_id: this.appId,
      is_enterprise_install: "false",
      response_url: p.responseUrl,
      trigger_id: p.triggerId ?? this.triggerId(),
    });
    return this.signed(form.toString(), FORM);
  }

  blockAction(p: BlockActionParams): SlackRequest {
    const ts = this.actionTs();
    const team = { id: p.teamId, domain: p.teamDomain ?? domainOf(p.teamId) };
    const user = { id: p.userId, username: p.userName ?? p.userId.toLowerCase(), name: p.userName ?? p.userId.toLowerCase(), team_id: p.teamId };
    const action = {
      action_id: p.actionId,
      block_id: p.blockId ?? "actions",
      text: { type: "plain_text", text: p.buttonText ?? p.actionId, emoji: true },
      value: p.value,
      type: "button",
      action_ts: ts,
    };
    const payload: Record<string, unknown> = {
      type: "block_actions",
      user,
      api_app_id: this.appId,
      token: this.token,
      trigger_id: p.triggerId ?? this.triggerId(),
      team,
      enterprise: null,
      is_enterprise_install: false,
    };
    if (p.view) {
      payload.container = { type: "view", view_id: p.view.id };
      payload.view = {
        id: p.view.id,
        team_id: p.teamId,
        type: p.view.type,
        blocks: p.view.blocks ?? [],
        private_metadata: p.view.privateMetadata ?? "",
        callback_id: p.view.callbackId ?? "",
        state: { values: {} },
        hash: `${this.now()}.fakehash`,
        title: { type: "plain_text", text: "Clout", emoji: true },
        clear_on_close: false,
        notify_on_close: false,
        close: null,
        submit: null,
        previous_view_id: null,
        root_view_id: p.view.id,
        app_id: this.appId,
        external_id: "",
        app_installed_team_id: p.teamId,
        bot_id: "B0FAKEBOT",
      };
    }
    if (p.channelId) {
      const messageTs = p.messageTs ?? `${this.now()}.000100`;
      payload.container ??= { type: "message", message_ts: messageTs, channel_id: p.channelId, is_ephemeral: p.ephemeral ?? false };
      payload.channel = { id: p.channelId, name: p.channelName ?? (p.channelId.startsWith("D") ? "directmessage" : "general") };
      if (!p.ephemeral) {
        payload.message = {
          type: "message",
          user: p.message?.user ?? "U0FAKEBOT",
          ts: messageTs,
          bot_id: p.message?.botId ?? "B0FAKEBOT",
          app_id: this.appId,
          text: p.message?.text ?? "",
          team: p.teamId,
          blocks: p.message?.blocks ?? [],
        };
      }
    }
    payload.state = { values: {} };
    if (p.responseUrl) payload.response_url = p.responseUrl;
    payload.actions = [action];
    return this.signed(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM);
  }

  viewSubmission(p: ViewSubmissionParams): SlackRequest {
    const viewId = p.viewId ?? `V${String(++this.seq).padStart(10, "0")}`;
    const payload = {
      type: "view_submission",
      team: { id: p.teamId, domain: p.teamDomain ?? domainOf(p.teamId) },
      user: { id: p.userId, username: p.userName ?? p.userId.toLowerCase(), name: p.userName ?? p.userId.toLowerCase(), team_id: p.teamId },
      api_app_id: this.appId,
      token: this.token,
      trigger_id: p.triggerId ?? this.triggerId(),
      view: {
        id: viewId,
        team_id: p.teamId,
        type: "modal",
        blocks: p.blocks ?? [],
        private_metadata: p.privateMetadata ?? "",
        callback_id: p.callbackId,
        state: { values: p.values },
        hash: p.hash ?? `${this.now()}.fakehash`,
        title: { type: "plain_text", text: p.title ?? "Clout", emoji: true },
        clear_on_close: false,
        notify_on_close: false,
        close: { type: "plain_text", text: "Cancel", emoji: true },
        submit: { type: "plain_text", text: "Submit", emoji: true },
        previous_view_id: null,
        root_view_id: viewId,
        app_id: this.appId,
        external_id: "",
        app_installed_team_id: p.teamId,
        bot_id: "B0FAKEBOT",
      },
      response_urls: (p.responseUrls ?? []).map((r) => ({ block_id: r.blockId, action_id: r.actionId, channel_id: r.channelId, response_url: r.responseUrl })),
      is_enterprise_install: false,
      enterprise: null,
    };
    return this.signed(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM);
  }

  event(p: EventParams): SlackRequest {
    const now = this.now();
    const body = {
      token: this.token,
      team_id: p.teamId,
      api_app_id: this.appId,
      event: { event_ts: `${now}.${String(++this.seq).padStart(6, "0")}`, ...p.event },
      type: "event_callback",
      event_id: p.eventId ?? `Ev${randomBytes(5).toString("hex").toUpperCase()}`,
      event_time: now,
      authorizations: [
        { enterprise_id: null, team_id: p.teamId, user_id: p.authorizedUserId ?? "U0FAKEBOT", is_bot: true, is_enterprise_install: false },
      ],
      is_ext_shared_channel: false,
      event_context: `4-${randomBytes(12).toString("base64url")}`,
    };
    return this.signed(JSON.stringify(body), JSON_TYPE);
  }

  /** The app_home_opened event Slack sends when a user opens the App Home tab. */
  appHomeOpened(p: { teamId: string; userId: string; eventId?: string; tab?: "home" | "messages"; authorizedUserId?: string }): SlackRequest {
    return this.event({
      teamId: p.teamId,
      eventId: p.eventId,
      authorizedUserId: p.authorizedUserId,
      event: { type: "app_home_opened", user: p.userId, channel: `D${p.userId}`, tab: p.tab ?? "home" },
    });
  }

  urlVerification(challenge: string): SlackRequest {
    return this.signed(JSON.stringify({ token: this.token, challenge, type: "url_verification" }), JSON_TYPE);
  }

  sslCheck(): SlackRequest {
    return this.signed(new URLSearchParams({ ssl_check: "1", token: this.token }).toString(), FORM);
  }

  /** Slack's trigger_id shape: "<digits>.<digits>.<hex>". */
  triggerId(): string {
    return `${this.now()}${String(++this.seq).padStart(3, "0")}.${1_000_000_000 + this.seq}.${randomBytes(16).toString("hex")}`;
  }

  private actionTs(): string {
    return `${this.now()}.${String(++this.seq).padStart(6, "0")}`;
  }
}

function domainOf(teamId: string): string {
  return `team-${teamId.toLowerCase()}`;
}
