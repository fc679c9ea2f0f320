const { PriorityQueue } = require('../lib/heap');

describe('PriorityQueue', () => {
  test('pops the smallest first', () => {
    const q = new PriorityQueue();
    [5, 1, 4, 2, 3].forEach((n) => q.push(n));
    expect(q.drain()).toEqual([1, 2, 3, 4, 5]);
  });
  test('sorts many numbers', () => {
    const q = new PriorityQueue();
    const numbers = Array.from({ length: 200 }, (_, i) => (i * 7919) % 211);
    numbers.forEach((n) => q.push(n));
    expect(q.drain()).toEqual([...numbers].sort((a, b) => a - b));
  });
  test('takes a custom order', () => {
    const q = new PriorityQueue((a, b) => a.priority > b.priority);
    q.push({ name: 'low', priority: 1 });
    q.push({ name: 'high', priority: 9 });
    expect(q.pop().name).toBe('high');
  });
  test('keeps insertion order among equals', () => {
    const q = new PriorityQueue((a, b) => a.p < b.p);
    ['a', 'b', 'c', 'd'].forEach((name, i) => q.push({ name, p: i % 2 }));
    expect(q.drain().map((x) => x.name)).toEqual(['a', 'c', 'b', 'd']);
  });
  test('peeks without removing', () => {
    const q = new PriorityQueue();
    q.push(2);
    q.push(1);
    expect([q.peek(), q.size]).toEqual([1, 2]);
  });
  test('an empty queue gives undefined', () => {
    expect(new PriorityQueue().pop()).toBeUndefined();
  });
});
