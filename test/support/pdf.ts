/**
 * The words of an uncompressed PDF (as Clout's receipts are written): each
 * text-showing operator's strings, hex or literal, decoded as the standard
 * fonts' single-byte encoding, one line per operator. Enough to assert what
 * a document says without a PDF parser.
 */
export function pdfText(bytes: Uint8Array): string {
  const src = Buffer.from(bytes).toString("latin1");
  const lines: string[] = [];
  const string = /<([0-9a-fA-F\s]*)>|\(((?:\\.|[^\\)])*)\)/g;
  for (const op of src.matchAll(/\[((?:<[0-9a-fA-F\s]*>|\((?:\\.|[^\\)])*\)|[-\d.\s])*)\]\s*TJ|(<[0-9a-fA-F\s]*>|\((?:\\.|[^\\)])*\))\s*Tj/g)) {
    const body = op[1] ?? op[2] ?? "";
    let line = "";
    for (const s of body.matchAll(string)) {
      if (s[1] !== undefined) line += Buffer.from(s[1].replace(/\s/g, ""), "hex").toString("latin1");
      else line += s[2]!.replace(/\\([()\\])/g, "$1");
    }
    lines.push(line);
  }
  return lines.join("\n");
}
