/**
 * Slack's Block Kit limits, kept as data. The renderer truncates or pages to
 * stay inside them, so a big reply never turns into an `invalid_blocks` error.
 * Lengths are JavaScript string lengths (UTF-16 units, never fewer than the
 * characters Slack counts), measured after escaping.
 * Source: docs.slack.dev/reference/block-kit (blocks, block elements, composition objects).
 */
export const SLACK_LIMITS = {
  /** chat.postMessage / response_url / chat.postEphemeral: blocks per message. */
  blocksPerMessage: 50,
  /** views.open / views.publish (modals, App Home): blocks per view. */
  blocksPerView: 100,
  /** section block: `text` (mrkdwn or plain_text). */
  sectionText: 3000,
  /** section block: how many `fields`. */
  sectionFields: 10,
  /** section block: each field's text. */
  sectionFieldText: 2000,
  /** header block: `text` (plain_text only). */
  headerText: 150,
  /** context block: how many elements (text or image). */
  contextElements: 10,
  /** context block: each text element (a text object's general cap). */
  contextText: 3000,
  /** actions block: how many interactive elements Slack accepts. */
  actionsElements: 25,
  /** button element: `text` (plain_text). */
  buttonText: 75,
  /** button element: `value`, sent back on click (our signed payload). */
  buttonValue: 2000,
  /** button element / any interactive element: `action_id`. */
  actionId: 255,
  /** any block: `block_id`. */
  blockId: 255,
  /** image block / image element: `alt_text`. */
  imageAltText: 2000,
  /** message top-level `text`: Slack truncates at 40,000; as the notification/screen-reader fallback we keep it short. */
  fallbackText: 3000,
  /** modal view: `title`, `submit` and `close` (plain_text). */
  modalTitle: 24,
  /** modal / home view: `private_metadata`. */
  privateMetadata: 3000,
  /** input block: `label` and `hint` (plain_text). */
  inputLabel: 2000,
  /** plain_text_input element: `placeholder`. */
  placeholder: 150,
  /** option object (selects, radio buttons): `text`. */
  optionText: 75,
  /** option object: `value`. */
  optionValue: 150,
  /** static select: how many options. */
  selectOptions: 100,
} as const;

/** Our own choices within Slack's limits, for readability rather than validity. */
export const SLACK_STYLE = {
  /** Buttons per actions block (Slack allows 25; more than 5 in a row wraps into a wall of buttons). */
  buttonsPerActions: 5,
  /** Actions blocks may take at most this share of a message's or view's blocks; the rest is content. */
  actionsShareOfBlocks: 1 / 5,
  /** A whole <url|label> link in mrkdwn: longer ones render as "label (url)" so text can be split without breaking them. */
  linkChars: 1000,
  /** A table cell in a code-block table, in terminal columns, before it is clipped with "…". */
  tableCellWidth: 40,
  /** Table rows considered per block of budget (10,000 for a message): later rows count as "… N more rows". */
  tableRowsPerBlock: 200,
  /** A whole table line, in terminal columns: wider tables are clipped at the right. */
  tableLineWidth: 160,
  /** A table line in characters after escaping: header, rule and one row always fit one section. */
  tableLineChars: 900,
} as const;
