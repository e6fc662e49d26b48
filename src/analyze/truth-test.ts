import type { SyntaxNode } from '@lezer/common';

/**
 * Whether an expression's value is tested for truth: the whole condition of an `if`/`elif`/
 * `while` or of `a if X else b`, the operand of `not`, or an operand of `and`/`or` inside one of
 * those (`if settings.FOO_HOST and not settings.BAR:`). One rule for the detectors that treat an
 * empty default as an off switch.
 *
 * `loose` also counts an `and`/`or` operand anywhere (`x = settings.A or settings.B`): its truth
 * decides the result, though its value may be the result too. Use it where counting too many
 * switches is the safe side (not offering an example URL that would turn a feature on); keep it
 * off where a truth-only read gets no value at all.
 */
export function isTruthTest(node: SyntaxNode, { loose = false } = {}): boolean {
  let child: SyntaxNode = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (parent.name === 'ParenthesizedExpression') continue;
    if (parent.name === 'UnaryExpression' && parent.firstChild?.name === 'not') return true;
    if (parent.name === 'BinaryExpression' && ['and', 'or'].includes(parent.firstChild?.nextSibling?.name ?? '')) {
      if (loose) return true;
      continue;
    }
    if (['IfStatement', 'WhileStatement'].includes(parent.name)) return child.name !== 'Body';
    if (parent.name === 'ConditionalExpression') return child.prevSibling?.name === 'if';
    return false;
  }
  return false;
}
