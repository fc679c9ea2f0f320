const { firstSlot, freeSlots } = require('../lib/slots');
const { toClock, toMinutes } = require('../lib/time');

describe('time', () => {
  test('converts both ways', () => {
    expect([toMinutes('09:30'), toClock(570), toClock(5)]).toEqual([570, '09:30', '00:05']);
  });
  test('refuses impossible times', () => {
    expect(() => toMinutes('24:00')).toThrow(SyntaxError);
  });
});

describe('freeSlots', () => {
  const busy = {
    ann: [['09:00', '10:00'], ['13:00', '14:00']],
    bob: [['09:30', '11:00'], ['15:00', '15:20']],
  };
  test('finds the gaps everyone shares', () => {
    expect(freeSlots(busy)).toEqual([['11:00', '13:00'], ['14:00', '15:00'], ['15:20', '17:00']]);
  });
  test('a gap of exactly the length counts', () => {
    expect(freeSlots({ a: [['09:00', '10:00'], ['10:30', '17:00']] }, { length: 30 })).toEqual([['10:00', '10:30']]);
  });
  test('leaves out gaps that are too short', () => {
    expect(freeSlots(busy, { length: 90 })).toEqual([['11:00', '13:00'], ['15:20', '17:00']]);
  });
  test('an empty calendar is free all day', () => {
    expect(freeSlots({}, { from: '08:00', to: '12:00' })).toEqual([['08:00', '12:00']]);
  });
  test('firstSlot cuts the first gap to length', () => {
    expect(firstSlot(busy, { length: 45 })).toEqual(['11:00', '11:45']);
    expect(firstSlot({ a: [['09:00', '17:00']] })).toBeNull();
  });
});
