// The Yeoman floor for bench/generate: start yeoman-environment, register a generator
// that writes one file, and run it, without yo: what any Yeoman-based CLI pays to start.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEnv } from 'yeoman-environment';
import Generator from 'yeoman-generator';

class Floor extends Generator {
  writing() {
    this.fs.write(this.destinationPath('floor.txt'), 'floor\n');
  }
}
const dir = mkdtempSync(join(tmpdir(), 'bench-floor-'));
const env = createEnv({ cwd: dir, skipInstall: true });
env.register(Floor, { namespace: 'floor:app', resolved: join(dir, 'floor.js') });
await env.run(['floor:app'], { skipInstall: true });
