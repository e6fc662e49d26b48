import { describe, expect, it } from 'vitest';
import { PyModule, parseStringToken } from '../../src/analyze/python.js';

describe('PyModule', () => {
  it.each([
    ["'x'", 'x'],
    ['"a" "b"', 'ab'],
    ["r'\\d+'", '\\d+'],
    ["'tab\\there'", 'tab\there'],
    ['3', 3],
    ['-1.5', -1.5],
    ['True', true],
    ['None', null],
    ["['a', 1, None]", ['a', 1, null]],
    ["('JWT_AUTH',)", ['JWT_AUTH']],
    ["{'A': {'B': [1]}}", { A: { B: [1] } }],
  ])('evaluates the literal %s', (source, expected) => {
    const module = new PyModule('x.py', `VALUE = ${source}\n`);
    expect(module.literal(module.assignments().get('VALUE')!.value)).toEqual(expected);
  });

  it.each(['f"{x}"', 'root("a")', "b'bytes'", '{**BASE}', 'A + 1'])('does not evaluate %s', (source) => {
    const module = new PyModule('x.py', `VALUE = ${source}\n`);
    expect(module.literal(module.assignments().get('VALUE')!.value)).toBeUndefined();
  });

  it('finds module-level assignments, also inside top-level if and try, last one winning', () => {
    const module = new PyModule(
      'x.py',
      'A = 1\nif X:\n    B = 2\ntry:\n    A = 3\nexcept Exception:\n    pass\ndef f():\n    C = 4\n',
    );
    const assignments = module.assignments();
    expect([...assignments.keys()].sort()).toEqual(['A', 'B']);
    expect(assignments.get('A')).toMatchObject({ line: 5, conditional: true });
  });

  it('lists star imports as written', () => {
    const module = new PyModule(
      'x.py',
      'from .base import *\nfrom pkg.settings.yaml_config import *\nfrom os import environ\n',
    );
    expect(module.starImports()).toEqual(['.base', 'pkg.settings.yaml_config']);
  });

  it.each([
    ["environ['X_CFG']", { name: 'X_CFG', required: true, form: 'subscript' }],
    ["os.environ['X_CFG']", { name: 'X_CFG', required: true, form: 'subscript' }],
    ["os.environ.get('X_CFG')", { name: 'X_CFG', required: false, form: 'get' }],
    ["os.getenv('X_CFG', '/x.yml')", { name: 'X_CFG', required: false, form: 'get' }],
    ["get_env_setting('X_CFG')", { name: 'X_CFG', required: true, form: 'helper' }],
    ["'X_CFG' in os.environ", { name: 'X_CFG', required: false, form: 'membership-test' }],
  ])('reads the environment variable in %s', (source, expected) => {
    const [read] = new PyModule('x.py', `value = ${source}\n`).envReads();
    expect(read).toMatchObject(expected);
  });

  it('reports the lines where the parser recovered from a syntax error', () => {
    expect(new PyModule('x.py', 'A = 1\ndef broken(:\n    pass\n').parseErrors).toEqual([2]);
    expect(new PyModule('x.py', 'A = 1\n').parseErrors).toEqual([]);
  });

  it.each([
    ['a statement (analytics-data-api utils.py)', 'def f():\n    yield\n    g()\nA = 1\n'],
    ['a statement with a comment', 'def f():\n    yield  # hand over\n    g()\nA = 1\n'],
    ['a value', 'def f():\n    x = yield\n    y = (yield)\n    yield; g()\nA = 1\n'],
    ['a CRLF line', 'def f():\r\n    yield\r\n    g()\r\nA = 1\r\n'],
  ])('parses a bare yield as CPython does: %s, keeping the text and lines', (_, source) => {
    const module = new PyModule('utils.py', source);
    expect(module.parseErrors).toEqual([]);
    expect(module.text).toBe(source);
    const a = module.assignments().get('A')!;
    const line = source.split('\n').findIndex((text) => text.startsWith('A = 1')) + 1;
    expect([module.textOf(a.value), a.line]).toEqual(['1', line]);
    expect(module.calls().map((call) => call.callee)).toEqual(['g']);
  });

  it('parses string tokens and leaves byte and f-strings alone', () => {
    expect(parseStringToken("'''multi\nline'''")).toBe('multi\nline');
    expect(parseStringToken('b"x"')).toBeUndefined();
    expect(parseStringToken('f"x"')).toBeUndefined();
  });
});
