/**
 * Discord's limits, kept as data. The renderer truncates to stay inside them,
 * so a big reply never turns into a 400 "Invalid Form Body"; command
 * registration clips its names and descriptions to them. Lengths are
 * JavaScript string lengths (UTF-16 units, never fewer than the characters
 * Discord counts).
 * Source: discord.com/developers/docs — resources/message (content, embeds,
 * "Embed Limits", attachments), components/reference (action rows, buttons),
 * interactions/application-commands (names, descriptions, options, choices).
 */
export const DISCORD_LIMITS = {
  /** message `content`. */
  contentChars: 2000,
  /** embeds per message. */
  embeds: 10,
  /** embed `title`. */
  embedTitleChars: 256,
  /** embed `description`. */
  embedDescriptionChars: 4096,
  /** fields per embed. */
  embedFields: 25,
  /** embed field `name`. */
  fieldNameChars: 256,
  /** embed field `value`. */
  fieldValueChars: 1024,
  /** embed `footer.text`. */
  footerChars: 2048,
  /** embed `author.name`. */
  authorNameChars: 256,
  /** All titles, descriptions, field names and values, footer texts and author names of a message's embeds, together. */
  embedsTotalChars: 6000,
  /** action rows per message. */
  actionRows: 5,
  /** buttons per action row. */
  rowButtons: 5,
  /** button `label`. */
  buttonLabelChars: 80,
  /** a component's `custom_id` (our signed payload). */
  customIdChars: 100,
  /** files attached to one message. */
  attachments: 10,
  /** bytes of one message's files, in all: 10 MiB without a server's boosts, which a bot can't count on. */
  uploadBytes: 10 * 1024 * 1024,
  /** application command and option `name` (1–32, lower case, no spaces). */
  nameChars: 32,
  /** application command and option `description` (1–100). */
  descriptionChars: 100,
  /** options of a command or subcommand. */
  options: 25,
  /** choices of a string, integer or number option. */
  choices: 25,
  /** a choice's `name` and string `value`. */
  choiceChars: 100,
} as const;

/** Our own choices within Discord's limits, for readability rather than validity. */
export const DISCORD_STYLE = {
  /** Embeds of fields at most (25 each); the other embeds are left to images. */
  fieldEmbeds: 2,
  /** A table cell in a code-block table, in terminal columns, before it is clipped with "…". */
  tableCellWidth: 30,
  /** A whole table line, in terminal columns: an embed's code block wraps wider lines on most screens. */
  tableLineWidth: 80,
  /** A table line in characters (wide emoji take several): header, rule and one row always fit one field. */
  tableLineChars: 300,
  /** An attachment's file name, in characters. */
  fileNameChars: 64,
} as const;
