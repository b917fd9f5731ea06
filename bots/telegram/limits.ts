/**
 * Telegram Bot API limits, kept as data. The renderer pages and truncates to
 * stay inside them, so a big reply never turns into a 400 "message is too
 * long"; the command menu is clipped to them.
 * Source: core.telegram.org/bots/api (sendMessage, sendPhoto,
 * sendMediaGroup, InlineKeyboardButton, answerCallbackQuery, BotCommand,
 * setMyCommands) and core.telegram.org/bots/features (inline keyboards).
 */
export const TELEGRAM_LIMITS = {
  /** sendMessage / editMessageText `text`: 1–4096 characters after entity parsing (what is shown, not the HTML). */
  textChars: 4096,
  /** sendPhoto `caption`: 0–1024 characters after entity parsing. */
  captionChars: 1024,
  /** InlineKeyboardButton `callback_data`: 1–64 bytes (UTF-8), our signed payload. */
  callbackDataBytes: 64,
  /** Buttons in one inline keyboard row: Telegram shows at most 8 side by side. */
  rowButtons: 8,
  /** answerCallbackQuery `text`: 0–200 characters. */
  callbackAnswerChars: 200,
  /** sendMediaGroup: 2–10 photos in one album. */
  mediaGroup: 10,
  /** BotCommand `command`: 1–32 of lower-case letters, digits and underscores. */
  commandChars: 32,
  commandPattern: /^[a-z0-9_]{1,32}$/,
  /** BotCommand `description`: 3–256 characters. */
  commandDescriptionMin: 3,
  commandDescription: 256,
  /** setMyCommands: at most 100 commands in the menu. */
  menuCommands: 100,
} as const;

/** Our own choices within Telegram's limits, for readability rather than validity. */
export const TELEGRAM_STYLE = {
  /** A long reply is sent as at most this many messages; the last says what was left out. */
  pages: 5,
  /** Buttons per keyboard row: three labels still fit a phone's width. */
  rowButtons: 3,
  /** Keyboard rows at most: more buttons than this bury the chat. */
  keyboardRows: 8,
  /** A button's text (Telegram sets no limit, but a phone shows only so much). */
  buttonChars: 64,
  /** A title, in characters. */
  titleChars: 256,
  /** A field's value, in characters of HTML (never fewer than those shown). */
  fieldValueChars: 1024,
  /** A table cell in a <pre> table, in terminal columns, before it is clipped with "…". */
  tableCellWidth: 30,
  /** A whole table line, in terminal columns: a phone scrolls a <pre> block sideways, but not happily. */
  tableLineWidth: 80,
  /** A table line in characters (wide emoji take several). */
  tableLineChars: 300,
} as const;
