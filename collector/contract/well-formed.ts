/**
 * JSON.parse reviver that replaces lone UTF-16 surrogates ("\ud800" escapes
 * are valid JSON) with U+FFFD. ClickHouse refuses such strings in JSONEachRow,
 * so one of them would fail every insert of its batch and stall the pipeline.
 * Used by the collector on the wire and by the processor on every message.
 */
export function wellFormedStrings(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? value.toWellFormed() : value;
}
