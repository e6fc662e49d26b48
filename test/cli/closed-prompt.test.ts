import { describe, expect, it } from 'vitest';
import { closedPrompt } from '../../src/cli/main.js';

describe('a prompt that ends without an answer', () => {
  it('Ctrl-C is the user stopping the run, not a missing terminal', () => {
    const closed = closedPrompt('User force closed the prompt with SIGINT');
    expect(closed?.exitCode).toBe(130);
    expect(closed?.message).toMatch(/^interrupted \(Ctrl-C\)/);
    expect(closed?.message).not.toMatch(/no terminal/);
  });

  it('a closed stdin means nobody could answer the conflict question', () => {
    expect(closedPrompt('User force closed the prompt with 0 null')).toEqual({
      message: expect.stringMatching(/no terminal is attached/),
      exitCode: 1,
    });
  });

  it('other errors are not prompt closes', () => {
    expect(closedPrompt('ENOENT')).toBeNull();
  });
});
