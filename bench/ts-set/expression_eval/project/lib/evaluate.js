'use strict';
/** Evaluates with the shunting-yard algorithm: ^ binds tightest and to the right, unary minus
 * above * and /, and the rest to the left. */
const { tokenize } = require('./tokenize');

const OPS = {
  '+': { prec: 1, right: false, apply: (a, b) => a + b },
  '-': { prec: 1, right: false, apply: (a, b) => a - b },
  '*': { prec: 2, right: false, apply: (a, b) => a * b },
  '/': { prec: 2, right: false, apply: (a, b) => a / b },
  '%': { prec: 2, right: false, apply: (a, b) => a % b },
  'neg': { prec: 3, right: true, unary: true, apply: (a) => -a },
  '^': { prec: 4, right: true, apply: (a, b) => a ** b },
};

function toRpn(tokens) {
  const out = [];
  const stack = [];
  let expectOperand = true;
  for (const token of tokens) {
    if (token.type !== 'op') {
      out.push(token);
      expectOperand = false;
    } else if (token.value === '(') {
      stack.push('(');
      expectOperand = true;
    } else if (token.value === ')') {
      while (stack.length && stack[stack.length - 1] !== '(') out.push({ type: 'op', value: stack.pop() });
      if (!stack.length) throw new SyntaxError('unbalanced )');
      stack.pop();
      expectOperand = false;
    } else {
      const name = expectOperand && token.value === '-' ? 'neg' : token.value;
      const op = OPS[name];
      while (stack.length && stack[stack.length - 1] !== '(' && !op.unary) {
        const top = OPS[stack[stack.length - 1]];
        if (top.prec > op.prec || (top.prec === op.prec && !op.right)) out.push({ type: 'op', value: stack.pop() });
        else break;
      }
      stack.push(name);
      expectOperand = true;
    }
  }
  while (stack.length) {
    const op = stack.pop();
    if (op === '(') throw new SyntaxError('unbalanced (');
    out.push({ type: 'op', value: op });
  }
  return out;
}

function evaluate(text, variables = {}) {
  const values = [];
  for (const token of toRpn(tokenize(text))) {
    if (token.type === 'number') values.push(token.value);
    else if (token.type === 'name') {
      if (!(token.value in variables)) throw new ReferenceError(`unknown name ${token.value}`);
      values.push(variables[token.value]);
    } else {
      const op = OPS[token.value];
      const args = values.splice(values.length - (op.unary ? 1 : 2));
      if (args.length < (op.unary ? 1 : 2) || args.some((a) => a === undefined)) throw new SyntaxError('missing operand');
      values.push(op.apply(...args));
    }
  }
  if (values.length !== 1) throw new SyntaxError('malformed expression');
  return values[0];
}

module.exports = { evaluate, toRpn };
