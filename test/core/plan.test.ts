import { describe, expect, it } from 'vitest';
import { type FilePlan, hasConflictMarkers, planWrite, writesFor } from '../../src/core/plan.js';

const OLD = 'FROM base\nRUN a\nRUN b\nCMD ["x"]\n';

describe('planWrite', () => {
  it.each([
    { case: 'no file on disk', next: OLD, disk: undefined, pristine: undefined, action: 'create', content: OLD },
    { case: 'disk already has it', next: OLD, disk: OLD, pristine: OLD, action: 'identical', content: OLD },
    {
      case: 'hand-written file, never generated',
      next: OLD,
      disk: 'FROM mine\n',
      pristine: undefined,
      action: 'ask',
      content: OLD,
    },
    {
      case: 'untouched file, new template',
      next: OLD.replace('RUN b', 'RUN c'),
      disk: OLD,
      pristine: OLD,
      action: 'update',
      content: OLD.replace('RUN b', 'RUN c'),
    },
    {
      case: 'edited file, same template',
      next: OLD,
      disk: `${OLD}# mine\n`,
      pristine: OLD,
      action: 'keep',
      content: `${OLD}# mine\n`,
    },
    {
      case: 'edit and template change apart',
      next: OLD.replace('CMD ["x"]', 'CMD ["y"]'),
      disk: OLD.replace('FROM base', 'FROM base\n# mine'),
      pristine: OLD,
      action: 'merge',
      content: 'FROM base\n# mine\nRUN a\nRUN b\nCMD ["y"]\n',
    },
  ])('$case → $action', ({ next, disk, pristine, action, content }) => {
    expect(planWrite(next, disk, pristine)).toEqual({ action, content });
  });

  it('leaves conflict markers where the edit and the template change meet', () => {
    const plan = planWrite(OLD.replace('RUN b', 'RUN generator'), OLD.replace('RUN b', 'RUN mine'), OLD);
    expect(plan.action).toBe('conflict');
    expect(plan.content).toBe(
      'FROM base\nRUN a\n<<<<<<< your edit\nRUN mine\n||||||| last generated\nRUN b\n=======\nRUN generator\n>>>>>>> generator\nCMD ["x"]\n',
    );
  });
});

describe('conflicts are state', () => {
  const MARKED =
    'FROM base\n<<<<<<< your edit\nRUN mine\n||||||| last generated\nRUN b\n=======\nRUN generator\n>>>>>>> generator\n';

  it('a file that still has the markers is unresolved on every later run, whatever changed', () => {
    expect(planWrite(OLD, MARKED, OLD)).toEqual({ action: 'unresolved', content: MARKED });
    expect(planWrite(OLD.replace('RUN a', 'RUN z'), MARKED, OLD)).toEqual({ action: 'unresolved', content: MARKED });
  });

  it('markers quoted inside a line are not a conflict', () => {
    expect(hasConflictMarkers('RUN echo "<<<<<<< your edit"\nRUN echo ">>>>>>> generator"\n')).toBe(false);
  });
});

describe('writesFor', () => {
  const plan = (action: FilePlan['action'], disk: string | undefined, pristine?: string): FilePlan => ({
    file: 'Dockerfile',
    next: OLD,
    disk,
    pristine,
    action,
    content: action === 'keep' ? (disk ?? OLD) : OLD,
  });

  it('adopts nothing: a refused hand-written file gets no pristine copy', () => {
    expect(writesFor([plan('ask', 'FROM mine\n')], {})).toEqual(new Map());
    expect(writesFor([plan('unresolved', 'x')], {})).toEqual(new Map());
  });

  it('--force writes the generated version and its pristine copy', () => {
    expect(writesFor([plan('ask', 'FROM mine\n')], { force: true })).toEqual(
      new Map([
        ['Dockerfile', OLD],
        ['.openedx-ida/pristine/Dockerfile', OLD],
      ]),
    );
  });

  it('writes nothing that would not change', () => {
    expect(writesFor([plan('identical', OLD, OLD)], {})).toEqual(new Map());
    expect(writesFor([plan('identical', OLD, undefined)], {})).toEqual(
      new Map([['.openedx-ida/pristine/Dockerfile', OLD]]),
    );
  });
});
