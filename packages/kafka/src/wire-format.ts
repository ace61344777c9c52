/** Confluent's wire format: a 0 byte and the schema's 4-byte registry id before the Avro body. */
export const inWireFormat = (value: Buffer | null): value is Buffer =>
  value !== null && value.length >= 5 && value[0] === 0;
