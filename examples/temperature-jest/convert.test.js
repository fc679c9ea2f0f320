const { toFahrenheit, toCelsius, convertReading } = require('./convert');

test('water freezes at 32F', () => {
  expect(toFahrenheit(0)).toBe(32);
});

test('water boils at 212F', () => {
  expect(toFahrenheit(100)).toBe(212);
});

test('Fahrenheit back to Celsius', () => {
  expect(toCelsius(212)).toBe(100);
});

test('a reading is converted to the other scale', () => {
  expect(convertReading('21.5C')).toBe('70.7F');
  expect(convertReading('32F')).toBe('0C');
});

test('a reading that is not a temperature is refused', () => {
  expect(() => convertReading('warm')).toThrow('not a temperature');
});
