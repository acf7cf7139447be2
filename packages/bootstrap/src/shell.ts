// Shell quoting and template minification.

/**
 * A single-quoted shell literal: inside '…' nothing is special, and a ' is written as '"'"'.
 * The result is always exactly one shell word whose value is `value`.
 */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'"'"'`)}'`;
}

/**
 * Drop blank lines and full-line "#" comments from a shell template to keep user-data small.
 * Kept: the "#!" line, "##" comments (meant for whoever reads the script on the machine),
 * "# shellcheck" directives, and everything inside quoted here-documents (<<'WORD').
 */
export function minifyShell(source: string): string {
  const out: string[] = [];
  let heredocEnd: string | null = null;
  for (const line of source.split("\n")) {
    if (heredocEnd !== null) {
      out.push(line);
      if (line === heredocEnd) heredocEnd = null;
      continue;
    }
    const trimmed = line.trim();
    if (trimmed === "") continue;
    if (trimmed.startsWith("#") && !trimmed.startsWith("#!") && !trimmed.startsWith("##") && !trimmed.startsWith("# shellcheck")) continue;
    out.push(line);
    const heredoc = /<<-?'([A-Za-z_]+)'\s*$/.exec(line);
    if (heredoc?.[1]) heredocEnd = heredoc[1];
  }
  if (heredocEnd !== null) throw new Error(`unterminated here-document ${heredocEnd}`);
  return `${out.join("\n")}\n`;
}
