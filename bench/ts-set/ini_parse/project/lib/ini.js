'use strict';
/** Reads INI text into { section: { key: value } }; keys before any section go in "". Lines
 * starting with ";" or "#" are comments; values may be quoted to keep spaces or those marks. */

function unquote(value) {
  const match = /^"((?:[^"\\]|\\.)*)"$/.exec(value);
  return match ? match[1].replace(/\\(.)/g, '$1') : value;
}

function parseIni(text) {
  const data = { '': {} };
  let section = '';
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) return;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      section = header[1].trim();
      data[section] = data[section] || {};
      return;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new SyntaxError(`line ${index + 1}: expected key = value`);
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    if (!value.startsWith('"')) value = value.replace(/\s+[;#].*$/, '');
    data[section][key] = unquote(value);
  });
  return data;
}

function getBoolean(data, section, key, fallback = false) {
  const value = (data[section] || {})[key];
  if (value === undefined) return fallback;
  if (/^(true|yes|on|1)$/i.test(value)) return true;
  if (/^(false|no|off|0)$/i.test(value)) return false;
  throw new TypeError(`${section}.${key} is not a boolean: ${value}`);
}

function getNumber(data, section, key, fallback) {
  const value = (data[section] || {})[key];
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value === '' || Number.isNaN(n)) throw new TypeError(`${section}.${key} is not a number: ${value}`);
  return n;
}

module.exports = { parseIni, getBoolean, getNumber, unquote };
