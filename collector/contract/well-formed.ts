/**
 * JSON.parse reviver that replaces lone UTF-16 surrogates ("\ud800" escapes
 * are valid JSON) with U+FFFD. ClickHouse refuses such strings in JSONEachRow,
 * so one of them would fail every insert of its batch and stall the pipeline.
 * Used by the collector on the wire and by the processor on every message.
 */
export function wellFormedStrings(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? value.toWellFormed() : value;
}

/**
 * A lone surrogate can only come from a `\uD800`–`\uDFFF` escape: text
 * decoded from UTF-8 never holds one (invalid bytes become U+FFFD). A reviver
 * makes JSON.parse several times slower, so it runs only for text with such
 * an escape (a valid escaped pair such as an emoji takes that path too, and
 * comes out the same).
 */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/** The reviver JSON.parse needs for this text: wellFormedStrings, or none. */
export function wellFormedReviver(text: string): typeof wellFormedStrings | undefined {
  return SURROGATE_ESCAPE.test(text) ? wellFormedStrings : undefined;
}
