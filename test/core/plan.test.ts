import { describe, expect, it } from 'vitest';
import { planWrite } from '../../src/core/plan.js';

const OLD = 'FROM base\nRUN a\nRUN b\nCMD ["x"]\n';

describe('planWrite', () => {
  it.each([
    { case: 'no file on disk', next: OLD, disk: undefined, pristine: undefined, action: 'create', content: OLD },
    { case: 'disk already has it', next: OLD, disk: OLD, pristine: OLD, action: 'identical', content: OLD },
    { case: 'hand-written file, never generated', next: OLD, disk: 'FROM mine\n', pristine: undefined, action: 'ask', content: OLD },
    { case: 'untouched file, new template', next: OLD.replace('RUN b', 'RUN c'), disk: OLD, pristine: OLD, action: 'update', content: OLD.replace('RUN b', 'RUN c') },
    { case: 'edited file, same template', next: OLD, disk: `${OLD}# mine\n`, pristine: OLD, action: 'keep', content: `${OLD}# mine\n` },
    { case: 'edit and template change apart', next: OLD.replace('CMD ["x"]', 'CMD ["y"]'), disk: OLD.replace('FROM base', 'FROM base\n# mine'), pristine: OLD, action: 'merge', content: 'FROM base\n# mine\nRUN a\nRUN b\nCMD ["y"]\n' },
  ])('$case → $action', ({ next, disk, pristine, action, content }) => {
    expect(planWrite(next, disk, pristine)).toEqual({ action, content });
  });

  it('leaves conflict markers where the edit and the template change meet', () => {
    const plan = planWrite(OLD.replace('RUN b', 'RUN generator'), OLD.replace('RUN b', 'RUN mine'), OLD);
    expect(plan.action).toBe('conflict');
    expect(plan.content).toBe('FROM base\nRUN a\n<<<<<<< your edit\nRUN mine\n||||||| last generated\nRUN b\n=======\nRUN generator\n>>>>>>> generator\nCMD ["x"]\n');
  });
});
