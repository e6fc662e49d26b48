import fs from 'fs-extra';
import { join, resolve } from 'node:path';
import { IdaError } from '../errors.js';

/** Whether a directory is itself a repo the tool works on (a service or an operator repo). */
function isRepo(dir: string): boolean {
  return ['manage.py', '.yo-rc.json'].some((file) => fs.existsSync(join(dir, file)));
}

/**
 * The repos a batch runs over: each DIR that is a repo, else its subdirectories; plus the
 * paths listed in `listFile` (one per line, `#` comments), relative to the list file.
 */
export function collectRepos(dirs: string[], listFile?: string): string[] {
  const repos: string[] = [];
  for (const dir of dirs) {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      repos.push(dir);
      continue;
    }
    if (isRepo(dir)) repos.push(dir);
    else
      for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)))
        if (entry.isDirectory() && !entry.name.startsWith('.')) repos.push(join(dir, entry.name));
  }
  if (listFile) {
    let text: string;
    try {
      text = fs.readFileSync(listFile, 'utf8');
    } catch (error) {
      throw new IdaError(
        `cannot read the repo list ${listFile} (${(error as NodeJS.ErrnoException).code})`,
        'pass --list with a file of repo paths, one per line',
      );
    }
    for (const line of text.split('\n')) {
      const path = line.replace(/#.*/, '').trim();
      if (path) repos.push(resolve(join(listFile, '..'), path));
    }
  }
  if (repos.length === 0) throw new IdaError('no repos to run over', 'pass directories of repos, or --list FILE');
  return [...new Set(repos)];
}
