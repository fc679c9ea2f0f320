const { Router, compile } = require('../lib/router');

function router() {
  return new Router()
    .add('/', 'home')
    .add('/users/:id', 'user')
    .add('/users/me', 'me')
    .add('/users/:id/posts/:post', 'post')
    .add('/files/*', 'files');
}

describe('Router', () => {
  test('matches the root', () => {
    expect(router().match('/').handler).toBe('home');
  });
  test('reads parameters', () => {
    expect(router().match('/users/42/posts/hello%20world').params).toEqual({ id: '42', post: 'hello world' });
  });
  test('a static segment beats a parameter', () => {
    expect(router().match('/users/me').handler).toBe('me');
  });
  test('ignores a trailing slash and the query', () => {
    expect(router().match('/users/7/?tab=posts')).toMatchObject({ handler: 'user', params: { id: '7' } });
  });
  test('a wildcard takes the rest of the path', () => {
    expect(router().match('/files/a/b/c.txt').params).toEqual({ '*': 'a/b/c.txt' });
    expect(router().match('/files').params).toEqual({ '*': '' });
  });
  test('returns null when nothing matches', () => {
    expect(router().match('/nope')).toBeNull();
    expect(router().match('/users')).toBeNull();
  });
  test('refuses a wildcard in the middle', () => {
    expect(() => compile('/a/*/b')).toThrow(SyntaxError);
  });
});
