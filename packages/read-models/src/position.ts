/** Where in the log a document was last written from; writes apply only past it. */
export interface Position {
  partition: number;
  offset: number;
}
