// Telling ClickHouse's answers apart: an error about the data of an insert
// (one bad row refuses the whole insert) versus everything else (server down,
// too many parts, timeouts), which a retry of the same rows may fix.

/**
 * chDB throws @clickhouse/client-common's ClickHouseError, not the class
 * bundled in @clickhouse/client, so `instanceof` fails: recognised by shape.
 */
export function isClickHouseError(err: unknown): err is Error & { code: string; type?: string } {
  return err instanceof Error && err.constructor.name === 'ClickHouseError' && typeof (err as { code?: unknown }).code === 'string';
}

/**
 * Exception codes (ClickHouse src/Common/ErrorCodes.cpp) that mean "these
 * values cannot go in this table": the same rows fail again, whatever the
 * server's health.
 */
const DATA_ERROR_CODES: ReadonlyMap<string, string> = new Map([
  ['6', 'CANNOT_PARSE_TEXT'],
  ['27', 'CANNOT_PARSE_INPUT_ASSERTION_FAILED'],
  ['38', 'CANNOT_PARSE_DATE'],
  ['41', 'CANNOT_PARSE_DATETIME'],
  ['53', 'TYPE_MISMATCH'],
  ['69', 'ARGUMENT_OUT_OF_BOUND'],
  ['70', 'CANNOT_CONVERT_TYPE'],
  ['72', 'CANNOT_PARSE_NUMBER'],
  ['117', 'INCORRECT_DATA'],
  ['131', 'TOO_LARGE_STRING_SIZE'],
  ['321', 'VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE'],
  ['349', 'CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN'],
  ['407', 'DECIMAL_OVERFLOW'],
  ['469', 'VIOLATED_CONSTRAINT'],
]);

export function isDataError(err: unknown): boolean {
  return isClickHouseError(err) && DATA_ERROR_CODES.has(err.code);
}
