import { describe, expect, test } from "vitest";
import { parseCsv, parseRecords } from "./csv";

describe("parseCsv", () => {
  test("splits plain fields and lines", () => {
    expect(parseCsv("a,b,c\n1,2,3\n")).toEqual([["a", "b", "c"], ["1", "2", "3"]]);
  });
  test("keeps commas inside quotes", () => {
    expect(parseCsv('name,city\n"Doe, Jane",Oslo')).toEqual([["name", "city"], ["Doe, Jane", "Oslo"]]);
  });
  test("turns a doubled quote into one", () => {
    expect(parseCsv('"say ""hi""",x')).toEqual([['say "hi"', "x"]]);
  });
  test("keeps newlines inside quotes", () => {
    expect(parseCsv('"line 1\nline 2",end')).toEqual([["line 1\nline 2", "end"]]);
  });
  test("accepts CRLF line ends", () => {
    expect(parseCsv("a,b\r\n1,2\r\n")).toEqual([["a", "b"], ["1", "2"]]);
  });
  test("keeps empty fields", () => {
    expect(parseCsv(",x,\n")).toEqual([["", "x", ""]]);
  });
  test("uses another delimiter", () => {
    expect(parseCsv("a;b\n1;2", ";")).toEqual([["a", "b"], ["1", "2"]]);
  });
  test("rejects an unterminated quote", () => {
    expect(() => parseCsv('"open,1')).toThrow(SyntaxError);
  });
});

describe("parseRecords", () => {
  test("keys rows by the header", () => {
    expect(parseRecords("id,name\n1,Ann\n2,")).toEqual([{ id: "1", name: "Ann" }, { id: "2", name: "" }]);
  });
});
