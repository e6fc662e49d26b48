// Preloaded with `node --import` by the fast-path test: prints every Yeoman module a run loads.
import { register } from 'node:module';

const hook = `export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (/node_modules\\/yeoman-(environment|generator)\\//.test(resolved.url)) process.stderr.write('yeoman module loaded: ' + resolved.url + '\\n');
  return resolved;
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
