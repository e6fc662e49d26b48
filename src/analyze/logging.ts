import type { SyntaxNode } from '@lezer/common';
import type { PyModule } from './python.js';

/** The syslog handler class Python's logging configures from a dict. */
const SYSLOG_HANDLER = 'logging.handlers.SysLogHandler';

/** The value node of `key` in a dict literal, or undefined. */
function dictValue(module: PyModule, dict: SyntaxNode, key: string): SyntaxNode | undefined {
  for (let child = dict.firstChild; child; child = child.nextSibling) {
    if (child.name === 'String' && module.stringValue(child) === key && child.nextSibling?.name === ':') {
      return child.nextSibling.nextSibling ?? undefined;
    }
  }
  return undefined;
}

/**
 * Where the settings' `LOGGING` sends records to a local syslog socket: the last module-level
 * `LOGGING = {...}` of the production settings whose handlers include a `SysLogHandler` with a
 * socket path for its address (`'/dev/log'`, or a variable holding it: blockstore's and
 * course-discovery's `syslog_address`) rather than a `(host, port)` pair. A container has no
 * `/dev/log`: every record through that handler prints "--- Logging error ---" to stderr and is
 * lost. `file:line` of that `LOGGING`, or null (also when `LOGGING` comes from a function call,
 * whose handlers cannot be read, or the settings assign it again after the YAML load, where the
 * YAML could not replace it anyway: `overwritten`).
 */
export function detectSyslogLogging(settings: PyModule[], overwritten: ReadonlySet<string>): string | null {
  if (overwritten.has('LOGGING')) return null;
  let last: { module: PyModule; value: SyntaxNode; line: number } | undefined;
  for (const module of settings) {
    const assignment = module.assignments().get('LOGGING');
    if (assignment && !assignment.conditional) last = { module, value: assignment.value, line: assignment.line };
  }
  if (!last || last.value.name !== 'DictionaryExpression') return null;
  const { module, value } = last;
  let local = false;
  module.tree.iterate({
    from: value.from,
    to: value.to,
    enter: (ref) => {
      if (local || ref.name !== 'DictionaryExpression' || ref.from < value.from) return;
      const handler = dictValue(module, ref.node, 'class');
      if (!handler || module.stringValue(handler) !== SYSLOG_HANDLER) return;
      const address = dictValue(module, ref.node, 'address');
      // No address is ('localhost', 514) over UDP: a server, not a socket.
      if (address && address.name !== 'TupleExpression' && address.name !== 'ListExpression') local = true;
    },
  });
  return local ? `${module.file}:${last.line}` : null;
}
