'use strict';

/** Degrees Celsius in Fahrenheit: 0 -> 32, 100 -> 212. */
function toFahrenheit(celsius) {
  return (celsius * 9) / 5 - 32;
}

/** Degrees Fahrenheit in Celsius: 32 -> 0, 212 -> 100. */
function toCelsius(fahrenheit) {
  return ((fahrenheit - 32) * 5) / 9;
}

/** A reading such as "21.5C" or "70F" in the other scale, rounded to one decimal. */
function convertReading(reading) {
  const match = /^(-?\d+(?:\.\d+)?)\s*([CF])$/i.exec(reading.trim());
  if (!match) {
    throw new Error(`not a temperature: ${reading}`);
  }
  const value = Number(match[1]);
  const scale = match[2].toUpperCase();
  const converted = scale === 'C' ? toFahrenheit(value) : toCelsius(value);
  return `${Math.round(converted * 10) / 10}${scale === 'C' ? 'F' : 'C'}`;
}

module.exports = { toFahrenheit, toCelsius, convertReading };
