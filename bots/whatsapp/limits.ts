/**
 * WhatsApp Cloud API limits, kept as data. The renderer pages and truncates
 * to stay inside them, so a big reply never turns into a Graph API error.
 * Source: developers.facebook.com/documentation/business-messaging/whatsapp
 * (messages: text, interactive reply buttons, interactive list, template,
 * document and image; media upload).
 */
export const WHATSAPP_LIMITS = {
  /** `text.body`: up to 4096 characters. */
  textChars: 4096,
  /** `interactive.body.text`: up to 1024 characters. */
  interactiveBodyChars: 1024,
  /** `interactive.header.text` (type text): up to 60 characters. */
  headerChars: 60,
  /** `interactive.footer.text`: up to 60 characters. */
  footerChars: 60,
  /** Reply buttons in one interactive message: 1 to 3. */
  replyButtons: 3,
  /** A reply button's `title`: up to 20 characters. */
  buttonTitleChars: 20,
  /** A reply button's `id`: up to 256 characters; it carries our signed payload. */
  buttonIdChars: 256,
  /** A list's `action.button` (the label that opens it): up to 20 characters. */
  listButtonChars: 20,
  /** Rows in one list, across all its sections: up to 10. */
  listRows: 10,
  /** Sections in one list: up to 10. */
  listSections: 10,
  /** A section's `title`: up to 24 characters. */
  sectionTitleChars: 24,
  /** A row's `title`: up to 24 characters. */
  rowTitleChars: 24,
  /** A row's `id`: up to 200 characters; it carries our signed payload. */
  rowIdChars: 200,
  /** A row's `description`: up to 72 characters. */
  rowDescriptionChars: 72,
  /** A media message's `caption` (image, document): up to 1024 characters. */
  captionChars: 1024,
  /** A template's text parameter: no line breaks or tabs, at most 4 spaces in a row, and the body it fills stays under 1024. */
  templateParamChars: 900,
} as const;

/** Our own choices within those limits, for readability rather than validity. */
export const WHATSAPP_STYLE = {
  /** A long reply is sent as at most this many messages; the last says what was left out. */
  pages: 5,
  /** A table cell in a monospace table, in columns, before it is clipped with "…". */
  tableCellWidth: 24,
  /** A whole table line in columns: a phone is narrow, and WhatsApp wraps monospace text. */
  tableLineWidth: 40,
  /** A field's value, in characters. */
  fieldValueChars: 1024,
  /** A title, in characters. */
  titleChars: 256,
} as const;

/** What a Graph API answer means for the outbound queue, by error code. */
export const GRAPH_ERRORS = {
  /** Outside the 24-hour window a free-form message is refused: a template is needed. */
  reEngagement: 131047,
  /** The number can't receive it (not on WhatsApp, or an old app). */
  undeliverable: 131026,
  /** Cloud API throughput exceeded. */
  rateLimit: 130429,
  /** Too many messages to one number in a short time (pair rate limit). */
  pairRateLimit: 131056,
  /** Graph API call-rate limits (application, account). */
  callRateLimits: [4, 80007, 613],
} as const;

/** How long to wait when a rate-limit answer names no Retry-After. */
export const RATE_LIMIT_RETRY_MS = 2_000;

/** WhatsApp opens a 24-hour window for free-form messages each time the person writes. */
export const SERVICE_WINDOW_MS = 24 * 3_600_000;
