'use strict';
/** JSON Pointers (RFC 6901): "/a/b/0" addresses data.a.b[0]; "~1" stands for "/" and "~0" for
 * "~" inside a token, and "-" is the end of an array (for set only). */

function parsePointer(pointer) {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new SyntaxError(`a pointer starts with "/": ${pointer}`);
  return pointer.slice(1).split('/').map((token) => {
    if (/~[^01]|~$/.test(token)) throw new SyntaxError(`bad escape in ${token}`);
    return token.replace(/~1/g, '/').replace(/~0/g, '~');
  });
}

function formatPointer(tokens) {
  return tokens.map((t) => '/' + String(t).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

function child(container, token) {
  if (Array.isArray(container)) {
    if (!/^(0|[1-9]\d*)$/.test(token)) return undefined;
    return container[Number(token)];
  }
  if (container !== null && typeof container === 'object' && Object.prototype.hasOwnProperty.call(container, token)) {
    return container[token];
  }
  return undefined;
}

function get(data, pointer) {
  return parsePointer(pointer).reduce((node, token) => (node === undefined ? undefined : child(node, token)), data);
}

function set(data, pointer, value) {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const last = tokens.pop();
  const parent = get(data, formatPointer(tokens));
  if (parent === null || typeof parent !== 'object') throw new Error(`no container at ${formatPointer(tokens)}`);
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(index) || index > parent.length) throw new RangeError(`index ${last} out of range`);
    parent[index] = value;
  } else {
    parent[last] = value;
  }
  return data;
}

module.exports = { parsePointer, formatPointer, get, set };
