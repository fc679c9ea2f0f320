'use strict';
/** Routes like "/users/:id/posts/*": ":name" matches one segment, "*" the rest. Static segments
 * beat parameters, which beat wildcards; a trailing slash is ignored. */

function compile(pattern) {
  const segments = pattern.split('/').filter(Boolean);
  const names = [];
  let score = 0;
  const parts = segments.map((segment, i) => {
    if (segment === '*') {
      if (i !== segments.length - 1) throw new SyntaxError('* must be the last segment');
      names.push('*');
      return '(.*)';
    }
    if (segment.startsWith(':')) {
      names.push(segment.slice(1));
      score += 2;
      return '([^/]+)';
    }
    score += 3;
    return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  const body = parts.map((p, i) => (p === '(.*)' ? `(?:/${p})?` : `/${p}`)).join('');
  return { pattern, names, score, regex: new RegExp(`^${body || '/'}/?$`) };
}

class Router {
  constructor() {
    this.routes = [];
  }

  add(pattern, handler) {
    this.routes.push({ ...compile(pattern), handler });
    return this;
  }

  match(path) {
    const clean = path.split('?')[0];
    let best = null;
    for (const route of this.routes) {
      const m = route.regex.exec(clean);
      if (!m) continue;
      if (best && best.route.score >= route.score) continue;
      const params = {};
      route.names.forEach((name, i) => {
        params[name] = decodeURIComponent(m[i + 1] || '');
      });
      best = { route, params };
    }
    return best && { handler: best.route.handler, params: best.params, pattern: best.route.pattern };
  }
}

module.exports = { Router, compile };
