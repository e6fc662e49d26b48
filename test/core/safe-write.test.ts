import fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UnsafeWriteError, WriteFailedError, writeFileAtomic, writeFilesAtomic } from '../../src/core/safe-write.js';

const repo = () => fs.mkdtempSync(join(tmpdir(), 'openedx-ida-safe-write-'));
const outsideFile = (content?: string) => {
  const path = join(fs.mkdtempSync(join(tmpdir(), 'openedx-ida-outside-')), 'target');
  if (content !== undefined) fs.writeFileSync(path, content);
  return path;
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temporary file beside it', () => {
    const root = repo();
    fs.writeFileSync(join(root, 'Dockerfile'), 'old\n');
    writeFileAtomic(root, 'Dockerfile', 'new\n');
    expect(fs.readFileSync(join(root, 'Dockerfile'), 'utf8')).toBe('new\n');
    expect(fs.readdirSync(root)).toEqual(['Dockerfile']);
  });

  it('keeps the old file intact when the disk fills up half-way (ENOSPC)', () => {
    const root = repo();
    fs.writeFileSync(join(root, 'Dockerfile'), 'old content\n');
    let calls = 0;
    const write = fs.writeSync;
    vi.spyOn(fs, 'writeSync').mockImplementation(((fd: number, buffer: Uint8Array, offset: number) => {
      if (calls++ === 0) return write(fd, buffer, offset, 4); // a short write, then the disk is full
      throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    }) as typeof fs.writeSync);
    expect(() => writeFileAtomic(root, 'Dockerfile', 'new content that does not fit\n')).toThrow(WriteFailedError);
    expect(() => writeFileAtomic(root, 'Dockerfile', 'again\n')).toThrow(/cannot write Dockerfile \(ENOSPC\)/);
    expect(fs.readFileSync(join(root, 'Dockerfile'), 'utf8')).toBe('old content\n');
    expect(fs.readdirSync(root)).toEqual(['Dockerfile']);
  });

  it.each([
    ['a symlink to a file outside the repo', (path: string) => fs.symlinkSync(outsideFile('theirs\n'), path)],
    ['a dangling symlink', (path: string) => fs.symlinkSync(outsideFile(), path)],
  ])('refuses to write through %s', (_case, link) => {
    const root = repo();
    link(join(root, '.yo-rc.json'));
    const target = fs.readlinkSync(join(root, '.yo-rc.json'));
    const before = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : null;
    expect(() => writeFileAtomic(root, '.yo-rc.json', '{}\n')).toThrow(UnsafeWriteError);
    expect(fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : null).toBe(before);
  });

  it('refuses a parent directory that is a dangling symlink', () => {
    const root = repo();
    const outside = join(fs.mkdtempSync(join(tmpdir(), 'openedx-ida-outside-')), 'state');
    fs.symlinkSync(outside, join(root, '.openedx-ida'));
    expect(() => writeFileAtomic(root, '.openedx-ida/facts.json', '{}\n')).toThrow(
      /a parent directory is a dangling symlink/,
    );
    expect(fs.existsSync(outside)).toBe(false);
  });
});

describe('writeFilesAtomic', () => {
  it('writes nothing when one file of the run is unsafe', () => {
    const root = repo();
    fs.symlinkSync(outsideFile('theirs\n'), join(root, '.yo-rc.json'));
    expect(() =>
      writeFilesAtomic(
        root,
        new Map([
          ['Dockerfile', 'FROM x\n'],
          ['.yo-rc.json', '{}\n'],
        ]),
      ),
    ).toThrow(/refusing to write \.yo-rc\.json: it is a symlink/);
    expect(fs.existsSync(join(root, 'Dockerfile'))).toBe(false);
  });
});
