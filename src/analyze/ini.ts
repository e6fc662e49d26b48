import ini from 'ini';

/**
 * Parses Python configparser-style INI (tox.ini, setup.cfg) with the `ini` package.
 * configparser continues a value on indented lines, which `ini` does not know; those
 * lines are folded into the value first, joined with newlines, as configparser does.
 */
export function parseConfigParserIni(text: string): Record<string, Record<string, string>> {
  const folded: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^\s+\S/.test(line) && folded.length > 0 && !/^\s*[#;]/.test(line) && !/^\s*\[/.test(folded.at(-1)!)) {
      folded[folded.length - 1] += `\\n${line.trim()}`;
    } else {
      folded.push(line);
    }
  }
  const parsed = ini.parse(folded.join('\n')) as Record<string, unknown>;
  const sections: Record<string, Record<string, string>> = {};
  for (const [name, section] of Object.entries(parsed)) {
    if (typeof section !== 'object' || section === null) continue;
    sections[name] = {};
    for (const [key, value] of Object.entries(section as Record<string, unknown>)) {
      sections[name][key] = String(value).replace(/\\n/g, '\n').trim();
    }
  }
  return sections;
}

/** The 1-based line of `key =` inside `[section]`, for reporting a fact's source. */
export function lineOfIniKey(text: string, section: string, key: string): number {
  const lines = text.split(/\r?\n/);
  let inSection = false;
  for (let i = 0; i < lines.length; i++) {
    const header = /^\s*\[([^\]]+)\]/.exec(lines[i]);
    if (header) inSection = header[1].trim() === section;
    else if (inSection && new RegExp(`^\\s*${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*[=:]`).test(lines[i]))
      return i + 1;
  }
  return 1;
}
