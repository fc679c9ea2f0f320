const { addBusinessDays, businessDaysBetween } = require('../lib/business');

describe('businessDaysBetween', () => {
  test('counts a plain week', () => {
    expect(businessDaysBetween('2024-06-03', '2024-06-10')).toBe(5);
  });
  test('includes the end day', () => {
    expect(businessDaysBetween('2024-06-03', '2024-06-04')).toBe(1);
  });
  test('skips the weekend', () => {
    expect(businessDaysBetween('2024-06-07', '2024-06-10')).toBe(1);
  });
  test('skips holidays', () => {
    expect(businessDaysBetween('2024-12-23', '2024-12-27', ['2024-12-25', '2024-12-26'])).toBe(2);
  });
  test('is zero for the same or an earlier day', () => {
    expect(businessDaysBetween('2024-06-05', '2024-06-05')).toBe(0);
    expect(businessDaysBetween('2024-06-05', '2024-06-01')).toBe(0);
  });
});

describe('addBusinessDays', () => {
  test('jumps over a weekend', () => {
    expect(addBusinessDays('2024-06-07', 1)).toBe('2024-06-10');
  });
  test('jumps over holidays', () => {
    expect(addBusinessDays('2024-12-24', 2, ['2024-12-25', '2024-12-26'])).toBe('2024-12-30');
  });
  test('adding zero stays put', () => {
    expect(addBusinessDays('2024-06-08', 0)).toBe('2024-06-08');
  });
  test('refuses a malformed date', () => {
    expect(() => addBusinessDays('2024-13-01', 1)).toThrow(SyntaxError);
  });
});
